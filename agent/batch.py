"""`starling analyze --batch`: one JSON document per input line, in the input's order.

Lines are independent, so when analysis is local computation (the offline brain) they are read
by worker processes, one per core; a model-backed brain reads them one at a time, as its
endpoint and rate limits expect. A line that cannot be analysed gets an error document naming
its line; the rest go on.
"""

from __future__ import annotations

import gc
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
# Lines go to the workers in chunks of at least this many, fewer and larger ones for a longer
# batch: each chunk is a round trip between processes.
_CHUNK = 32
_CHUNKS_PER_WORKER = 8

# One line's result: its document as one line of JSON, and whether that document is an error.
Result = tuple[str, bool]

_worker_analyse: Analyse | None = None


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def results(lines: Sequence[str], analyse: Analyse, *, jobs: int = 1) -> Iterator[Result]:
    """The result of every non-blank line, in order, read by up to `jobs` processes.

    Workers write each document's JSON themselves, so only text travels between processes.
    """
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        return
    # The first line is read here, so whatever analysis loads on first use (lexicons, weights) is
    # loaded once and shared with the workers forked after it.
    yield result(*numbered[0], analyse)
    rest = numbered[1:]
    if jobs <= 1 or len(rest) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield from (result(number, line, analyse) for number, line in rest)
        return
    global _worker_analyse
    _worker_analyse = analyse
    chunk = max(_CHUNK, len(rest) // (jobs * _CHUNKS_PER_WORKER))
    # What is loaded by now lives as long as the workers: set aside from the collector, it is
    # neither scanned by their collections nor copied into them by those scans.
    gc.freeze()
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_in_worker, rest, chunksize=chunk)
    finally:
        gc.unfreeze()
        _worker_analyse = None


def result(number: int, line: str, analyse: Analyse) -> Result:
    """One line's document as JSON, and whether it is an error document."""
    found = document(number, line, analyse)
    return json.dumps(found, ensure_ascii=False), "error" in found


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


def _in_worker(numbered: tuple[int, str]) -> Result:
    if _worker_analyse is None:
        raise RuntimeError("the batch's analysis is set before its workers are forked")
    return result(*numbered, _worker_analyse)
