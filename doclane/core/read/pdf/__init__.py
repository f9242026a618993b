"""PDFs: text layer through PDFium or pdfminer.six, attachments, and bomb checks."""
