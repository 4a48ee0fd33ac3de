"""Defaults of an interview, as plain constants: cheap to import where only the number is needed."""

from __future__ import annotations

DEFAULT_QUESTION_COUNT = 4
DEFAULT_MAX_FOLLOWUPS = 2
# How long an invitation link works unless the recruiter says otherwise.
DEFAULT_VALID_HOURS = 72
# The longest a link may work: 90 days.
MAX_VALID_HOURS = 24 * 90
# The longest name a candidate may be given, on an invitation or an interview.
MAX_NAME_CHARS = 120
# How long a candidate whose connection dropped may reopen their link and carry on.
DEFAULT_REJOIN_MINUTES = 30
# Where `starling serve` listens, and so where `starling invite` points its links, unless set.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

# The rubric an interview uses when none is chosen, and the start screen's fallback.
DEFAULT_RUBRIC = "customer-focus"
