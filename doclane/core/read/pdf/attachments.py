"""Embedded files of a PDF (the XML of a ZUGFeRD / Factur-X / XRechnung invoice)."""

from __future__ import annotations

import pypdfium2 as pdfium

# An embedded file larger than this is not an e-invoice; skip rather than hold it.
_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def read_attachments(pdf: pdfium.PdfDocument) -> dict[str, bytes]:
    """Name -> bytes of every embedded file that can be read; unreadable ones are skipped.

    A broken attachment must not cost us the page text, so failures here are
    dropped rather than raised.
    """
    attachments: dict[str, bytes] = {}
    for index in range(pdf.count_attachments()):
        try:
            attachment = pdf.get_attachment(index)
            name = attachment.get_name() or f"attachment-{index}"
            data = bytes(attachment.get_data())
        except pdfium.PdfiumError:
            continue
        if len(data) <= _MAX_ATTACHMENT_BYTES:
            attachments[name] = data
    return attachments
