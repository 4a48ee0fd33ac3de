"""Valid (and deliberately broken) model outputs for the brain's two schemas."""

from __future__ import annotations

import json
from typing import Any

SLOTS = ("situation", "task", "action", "result")


def analysis_output(
    *,
    statuses: str = "++++",
    evidence: dict[str, list[str]] | None = None,
    ownership: str = "clear",
    specific: bool = True,
    quantified: bool = False,
    reflection: bool = False,
    declined: bool = False,
    flags: list[str] | None = None,
    rationale: str = "A real example with clear personal actions.",
    score: int = 4,
    followups: list[dict[str, str]] | None = None,
    **override: Any,
) -> str:
    codes = {"+": "present", "~": "partial", "-": "missing"}
    quotes = evidence or {}
    body: dict[str, Any] = {
        "star": {
            slot: {"status": codes[code], "evidence": quotes.get(slot, [])}
            for slot, code in zip(SLOTS, statuses, strict=True)
        },
        "ownership": ownership,
        "specific_example": specific,
        "quantified_result": quantified,
        "reflection": reflection,
        "declined": declined,
        "red_flags": flags or [],
        "rationale": rationale,
        "score": score,
        "followups": followups or [],
    }
    body.update(override)
    return json.dumps(body)


def score_output(
    *,
    statuses: str = "++++",
    evidence: list[dict[str, str]] | None = None,
    score: int = 3,
    rationale: str = "Matches the competent level.",
    **override: Any,
) -> str:
    codes = {"+": "present", "~": "partial", "-": "missing"}
    body: dict[str, Any] = {
        "coverage": {slot: codes[code] for slot, code in zip(SLOTS, statuses, strict=True)},
        "evidence": evidence or [],
        "ownership": "clear",
        "specific_example": True,
        "quantified_result": False,
        "red_flags": [],
        "rationale": rationale,
        "score": score,
    }
    body.update(override)
    return json.dumps(body)
