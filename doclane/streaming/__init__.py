"""The Faust topology: classify -> extract -> validate -> enrich, as thin agents."""
