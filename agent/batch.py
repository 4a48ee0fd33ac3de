"""`starling analyze --batch`: one JSON document per input line, in the input's order.

Lines are independent, so when analysis is local computation (the offline brain) they are read
by worker processes, one per core; a model-backed brain reads them one at a time, as its
endpoint and rate limits expect. A line that cannot be analysed gets an error document naming
its line; the rest go on.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from agent.errors import InputError

# (question, answer) -> the answer's analysis document. Raises ValueError or InputError for an
# answer it refuses.
Analyse = Callable[[str, str], dict[str, Any]]

# Fewer lines than this are not worth starting workers for.
PARALLEL_FROM = 64
_CHUNK = 32

_worker_analyse: Analyse | None = None


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def documents(lines: Sequence[str], analyse: Analyse, *, jobs: int = 1) -> Iterator[dict[str, Any]]:
    """The document of every non-blank line, in order, read by up to `jobs` processes."""
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        return
    # The first line is read here, so whatever analysis loads on first use (lexicons, weights) is
    # loaded once and shared with the workers forked after it.
    yield document(*numbered[0], analyse)
    rest = numbered[1:]
    if jobs <= 1 or len(rest) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield from (document(number, line, analyse) for number, line in rest)
        return
    global _worker_analyse
    _worker_analyse = analyse
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_in_worker, rest, chunksize=_CHUNK)
    finally:
        _worker_analyse = None


def document(number: int, line: str, analyse: Analyse) -> dict[str, Any]:
    """One line's document: its id and analysis, or its id, line number and what was wrong."""
    item: Any = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict) or not isinstance(item.get("answer"), str):
            raise ValueError("each line must be an object with a string 'answer'")
        question = str(item.get("question") or "")
        return {"id": item.get("id"), **analyse(question, item["answer"])}
    except (ValueError, InputError) as error:
        item_id = item.get("id") if isinstance(item, dict) else None
        reason = error.message if isinstance(error, InputError) else str(error)
        return {"id": item_id, "line": number, "error": reason}


def _in_worker(numbered: tuple[int, str]) -> dict[str, Any]:
    if _worker_analyse is None:
        raise RuntimeError("the batch's analysis is set before its workers are forked")
    return document(*numbered, _worker_analyse)
