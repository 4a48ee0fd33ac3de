"""Defaults of an interview, as plain constants: cheap to import where only the number is needed."""

from __future__ import annotations

DEFAULT_QUESTION_COUNT = 4
DEFAULT_MAX_FOLLOWUPS = 2
# How long an invitation link works unless the recruiter says otherwise.
DEFAULT_VALID_HOURS = 72
