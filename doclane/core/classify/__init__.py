"""Classification: which kind of document a text is, with a probability per type."""
