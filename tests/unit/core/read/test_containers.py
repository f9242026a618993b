"""ZIP archives and e-mails unpack into members; every limit has its own reason code."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

import pytest

from doclane.core.exceptions import UnreadableDocumentError
from doclane.core.read.containers import (
    ContainerKind,
    ContainerLimits,
    container_kind,
    unpack_container,
)
from tests.hostile.pdf_builder import text_pdf
from tests.unit.core.read.msg_builder import build_msg


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _mail(*, html: bool = False, attachments: dict[str, bytes] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "billing@nordwind.example"
    message["To"] = "ap@buyer.example"
    message["Subject"] = "Invoice INV-2026-0042"
    message["Date"] = "Sat, 14 Mar 2026 09:30:00 +0100"
    if html:
        message.set_content("<html><body><p>Invoice number: INV-2026-0042</p>"
                            "<table><tr><td>Total</td><td>1,190.00 EUR</td></tr></table>"
                            "<script>x()</script></body></html>", subtype="html")  # fmt: skip
    else:
        message.set_content("Dear customer,\nplease find our invoice attached.\n")
    for name, data in (attachments or {}).items():
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message.as_bytes()


def _reason(payload: bytes, kind: ContainerKind, limits: ContainerLimits | None = None) -> str:
    with pytest.raises(UnreadableDocumentError) as caught:
        unpack_container(payload, kind, limits)
    return caught.value.reason_code


def test_a_zip_with_a_nested_zip_gives_every_document_with_its_path() -> None:
    pdf = text_pdf()
    inner = _zip({"receipts/till.txt": b"Kassenbon\nSumme 3,50"})
    outer = _zip({"invoices/a.pdf": pdf, "old.zip": inner, "../../etc/passwd": b"x"})
    assert container_kind(outer, "application/zip", "inbox.zip") is ContainerKind.ZIP
    members = unpack_container(outer, ContainerKind.ZIP)
    assert [(m.path, m.content_type) for m in members] == [
        ("invoices/a.pdf", "application/pdf"),
        ("old.zip/receipts/till.txt", "text/plain"),
        ("etc/passwd", "application/octet-stream"),
    ]
    assert members[0].payload == pdf
    assert members[1].filename == "till.txt"


def test_office_files_and_damaged_zips_are_not_containers() -> None:
    docx = _zip({"word/document.xml": b"<w:document/>"})
    xlsx = _zip({"xl/workbook.xml": b"<workbook/>"})
    assert container_kind(docx, None, "a.docx") is None
    assert container_kind(xlsx, None, "a.xlsx") is None
    assert container_kind(b"PK\x03\x04" + bytes(40), None, "a.zip") is None


def test_archives_nested_too_deep_are_refused() -> None:
    nested = _zip({"invoice.txt": b"Rechnung"})
    for level in range(4):
        nested = _zip({f"level{level}.zip": nested})
    assert _reason(nested, ContainerKind.ZIP) == "archive_too_deep"


def test_too_many_members_are_refused() -> None:
    payload = _zip({f"m{i}.txt": b"Rechnung" for i in range(11)})
    limits = ContainerLimits(max_members=10)
    assert _reason(payload, ContainerKind.ZIP, limits) == "archive_too_many_members"


def test_too_much_unpacked_data_is_refused() -> None:
    payload = _zip({f"m{i}.bin": bytes(range(256)) * 4096 for i in range(3)})
    limits = ContainerLimits(max_total_bytes=2 * 2**20)
    assert _reason(payload, ContainerKind.ZIP, limits) == "archive_too_large"


def test_a_zip_bomb_member_is_refused_by_its_ratio_before_it_inflates() -> None:
    payload = _zip({"bomb.txt": bytes(50 * 2**20)})
    assert len(payload) < 100_000
    assert _reason(payload, ContainerKind.ZIP) == "archive_ratio_exceeded"


def test_a_damaged_zip_is_corrupt() -> None:
    payload = bytearray(_zip({"a.txt": b"Rechnung " * 100}))
    payload[40:60] = bytes(20)  # the member's compressed data
    assert _reason(bytes(payload), ContainerKind.ZIP) == "corrupt_archive"


def test_an_email_gives_its_body_and_every_attachment() -> None:
    pdf = text_pdf()
    payload = _mail(attachments={"INV-2026-0042.pdf": pdf, "terms.pdf": pdf})
    assert container_kind(payload, None, None) is ContainerKind.EML, "known by its headers"
    members = unpack_container(payload, ContainerKind.EML)
    assert [m.path for m in members] == ["body", "INV-2026-0042.pdf", "terms.pdf"]
    body = members[0].payload.decode()
    assert body.startswith("From: billing@nordwind.example\n")
    assert "Subject: Invoice INV-2026-0042" in body
    assert "please find our invoice attached." in body
    assert members[1].content_type == "application/pdf"
    assert members[1].payload == pdf


def test_an_html_mail_body_is_its_text() -> None:
    members = unpack_container(_mail(html=True), ContainerKind.EML)
    body = members[0].payload.decode()
    assert "Invoice number: INV-2026-0042" in body
    assert "Total   1,190.00 EUR" in body
    assert "x()" not in body


def test_a_mail_without_body_text_gives_only_its_attachments() -> None:
    message = EmailMessage()
    message["From"] = "scanner@office.example"
    message["Subject"] = "Scan"
    message.add_attachment(text_pdf(), maintype="application", subtype="pdf", filename="scan.pdf")
    members = unpack_container(message.as_bytes(), ContainerKind.EML)
    assert [m.path for m in members] == ["scan.pdf"]


def test_a_damaged_msg_is_corrupt_email() -> None:
    payload = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert container_kind(payload, None, "mail.msg") is ContainerKind.MSG
    assert _reason(payload, ContainerKind.MSG) == "corrupt_email"


def test_an_outlook_msg_gives_its_body_and_attachments() -> None:
    pdf = text_pdf()
    payload = build_msg(
        subject="Invoice INV-2026-0042",
        body="Dear customer,\nplease find our invoice attached.",
        sender="billing@nordwind.example",
        attachments={"INV-2026-0042.pdf": pdf},
    )
    assert container_kind(payload, "application/vnd.ms-outlook", None) is ContainerKind.MSG
    members = unpack_container(payload, ContainerKind.MSG)
    assert [(m.path, m.content_type) for m in members] == [
        ("body", "text/plain"),
        ("INV-2026-0042.pdf", "application/pdf"),
    ]
    body = members[0].payload.decode()
    assert "Subject: Invoice INV-2026-0042" in body
    assert "please find our invoice attached." in body
    assert members[1].payload == pdf
