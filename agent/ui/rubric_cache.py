"""Rubrics parsed once per app run: listing them on the start screen also readies them for starting.

Parsing a rubric file takes a noticeable part of startup, so each file is parsed once (by whichever
worker asks first; others wait for that result) and re-read only when its modification time changes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from agent.domain.kit import Kit
from agent.domain.rubric import Rubric
from agent.rubrics import RubricIssue, compose_kit, find_rubric, load_rubric, parse_file

Checked = tuple[Rubric | None, list[RubricIssue]]
Parsed = tuple[Rubric | Kit | None, list[RubricIssue]]


class RubricCache:
    """Thread-safe: workers fill and read it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_file: dict[tuple[Path, int], Parsed] = {}

    def check(self, path: Path, home: Path | None = None) -> Checked:
        """The rubric in a file, or its issues; parsed at most once while the file is unchanged.

        A kit is composed from its (cached) rubrics each time, so an edited rubric is seen.
        """
        parsed, issues = self._parsed(path)
        if isinstance(parsed, Kit):
            return compose_kit(parsed, path, home, check=self.check)
        return parsed, issues

    def _parsed(self, path: Path) -> Parsed:
        key = (path, path.stat().st_mtime_ns)
        with self._lock:
            if key not in self._by_file:
                self._by_file[key] = parse_file(path)
            return self._by_file[key]

    def load(self, rubric_id: str, home: Path) -> Rubric:
        """The rubric for an id (or a path); raises the usual RubricError when it is not valid."""
        path = find_rubric(rubric_id, home)
        rubric, _issues = self.check(path, home)
        return rubric if rubric is not None else load_rubric(str(path), home)
