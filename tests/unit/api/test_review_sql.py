"""Review filters reach SQL only as escaped literals and checked values."""

from __future__ import annotations

import pytest

from doclane.api.review import ReviewFilters, queue_sql, quote


def test_quotes_and_backslashes_cannot_end_a_literal() -> None:
    assert quote("O'Brien \\ Söhne") == "'O\\'Brien \\\\ Söhne'"
    assert quote("a\x00b\nc") == "'abc'"


def test_every_filter_is_part_of_the_query() -> None:
    sql = queue_sql(
        ReviewFilters(
            reason="total", doc_type="invoice", vendor="acme", min_age_hours=1, max_age_hours=48,
            limit=10_000,
        )
    )  # fmt: skip
    assert "positionCaseInsensitiveUTF8(r, 'total')" in sql
    assert "q.doc_type = 'invoice'" in sql
    assert "'acme'" in sql
    assert "toIntervalSecond(3600)" in sql
    assert "toIntervalSecond(172800)" in sql
    assert sql.endswith("LIMIT 500")  # capped


def test_an_unknown_document_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown document type"):
        queue_sql(ReviewFilters(doc_type="invoice' OR 1=1 --"))
