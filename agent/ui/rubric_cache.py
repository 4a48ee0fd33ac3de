"""Rubrics parsed once per app run: listing them on the start screen also readies them for starting.

Parsing a rubric file takes a noticeable part of startup, so each file is parsed once (by whichever
worker asks first; others wait for that result) and re-read only when its modification time changes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from agent.domain.rubric import Rubric
from agent.rubrics import RubricIssue, check_rubric_file, find_rubric, load_rubric

Checked = tuple[Rubric | None, list[RubricIssue]]


class RubricCache:
    """Thread-safe: workers fill and read it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_file: dict[tuple[Path, int], Checked] = {}

    def check(self, path: Path) -> Checked:
        """The rubric in a file, or its issues; parsed at most once while the file is unchanged."""
        key = (path, path.stat().st_mtime_ns)
        with self._lock:
            if key not in self._by_file:
                self._by_file[key] = check_rubric_file(path)
            return self._by_file[key]

    def load(self, rubric_id: str, home: Path) -> Rubric:
        """The rubric for an id (or a path); raises the usual RubricError when it is not valid."""
        path = find_rubric(rubric_id, home)
        rubric, _issues = self.check(path)
        return rubric if rubric is not None else load_rubric(str(path), home)
