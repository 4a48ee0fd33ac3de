"""Names and defaults of `starling eval` that the command line needs before anything runs.

Kept free of heavy imports, so building the command-line parser stays instant.
"""

from __future__ import annotations

from typing import Literal

CaseKind = Literal["analysis", "next_turn", "simulated_interview", "evaluation_calibration"]
CASE_KINDS: tuple[CaseKind, ...] = ("analysis", "next_turn", "simulated_interview", "evaluation_calibration")
BUILTIN_BRAINS = ("offline", "openai", "replay")
DEFAULT_JOBS = 1
DEFAULT_MODEL_JOBS = 8
DEFAULT_MAX_IN_FLIGHT = 4
# The circuit breaker of a model-backed run: model calls failing in a row, or failing without a
# success for this many seconds, that stop the run (exit 2) rather than wait out every case.
BREAKER_FAILURES = 10
BREAKER_SECONDS = 60.0
