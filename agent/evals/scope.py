"""Which case (and which repeat of it) the current thread is running, for the model wrappers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

CASE: ContextVar[str] = ContextVar("starling_eval_case", default="")
SAMPLE: ContextVar[int] = ContextVar("starling_eval_sample", default=0)


@contextmanager
def case_scope(case_id: str, sample: int) -> Iterator[None]:
    """Run a block as case `case_id`, repeat `sample` (0 for the first run)."""
    case_token, sample_token = CASE.set(case_id), SAMPLE.set(sample)
    try:
        yield
    finally:
        CASE.reset(case_token)
        SAMPLE.reset(sample_token)
