"""Build small real PDFs with fpdf2 for the tests (core fonts, latin-1 text)."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos


def make_pdf(
    pages: list[list[str]],
    *,
    attachments: dict[str, bytes] | None = None,
    user_password: str | None = None,
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_font("helvetica", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for name, data in (attachments or {}).items():
        pdf.embed_file(bytes=data, basename=name)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(pdf.output())


def make_blank_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())
