"""Reviewer decisions: separate from the evaluation, append-only history, atomic writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from agent.errors import InputError
from agent.reviews import ReviewEntry, ReviewStore

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_decisions_are_kept_in_order_and_the_last_stands(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path / "reviews")
    assert store.load("abc").current is None
    store.record("abc", ReviewEntry(decision="hold", notes="check references", reviewer="sam", decided_at=AT))
    review = store.record("abc", ReviewEntry(decision="advance", reviewer="sam", decided_at=AT))
    assert [e.decision for e in review.history] == ["hold", "advance"]
    again = store.load("abc")
    assert again.current is not None and again.current.decision == "advance"
    assert (tmp_path / "reviews" / "abc.json").stat().st_mode & 0o077 == 0
    assert not list((tmp_path / "reviews").glob("*.tmp"))


def test_bad_ids_and_damaged_files_give_clear_errors(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path)
    with pytest.raises(InputError):
        store.load("../escape")
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="damaged"):
        store.load("x")
