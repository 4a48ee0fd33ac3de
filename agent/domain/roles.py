"""Clause roles: what one clause of an answer does in the story (see docs/labelling.md)."""

from __future__ import annotations

from typing import Literal, get_args

ClauseRole = Literal[
    "scene",
    "trigger",
    "goal",
    "own_action",
    "team_action",
    "other_action",
    "outcome",
    "vague_outcome",
    "reflection",
    "generality",
    "hypothetical",
    "injection",
    "filler",
]
CLAUSE_ROLES: tuple[ClauseRole, ...] = get_args(ClauseRole)
