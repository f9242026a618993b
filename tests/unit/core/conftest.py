from __future__ import annotations

import pytest

from tests.unit.core.documents import INVOICE_DE_LINES
from tests.unit.core.pdf_factory import make_pdf


@pytest.fixture(scope="session")
def invoice_pdf() -> bytes:
    return make_pdf([INVOICE_DE_LINES])
