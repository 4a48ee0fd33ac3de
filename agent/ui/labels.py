"""Words and symbols for STAR statuses, scores and progress, so nothing relies on colour alone.

Colours come from theme variables ($text-success ...) so they stay readable in dark and light themes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.content import Content

from agent.domain.evaluation import Confidence, Recommendation
from agent.domain.star import RedFlag, SlotStatus, StarSlot
from agent.reviews import DECISION_LABEL as DECISION_LABEL

STATUS_SYMBOL: dict[SlotStatus, str] = {"present": "✓", "partial": "~", "missing": "✗"}
STATUS_STYLE: dict[SlotStatus, str] = {
    "present": "$text-success",
    "partial": "$text-warning",
    "missing": "$text-error",
}
SLOT_NAME: dict[StarSlot, str] = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
}
RECOMMENDATION: dict[Recommendation, str] = {
    "advance": "Advance: the evidence supports the competency",
    "borderline": "Borderline: mixed evidence, look closely",
    "do_not_advance": "Do not advance on this evidence",
    "insufficient_evidence": "Insufficient evidence to recommend either way",
}
RECOMMENDATION_SHORT: dict[Recommendation, str] = {
    "advance": "advance",
    "borderline": "borderline",
    "do_not_advance": "do not advance",
    "insufficient_evidence": "insufficient",
}
CONFIDENCE: dict[Confidence, str] = {"low": "low", "medium": "medium", "high": "high"}
DECISION_NOTE = "A person makes the decision; this report is evidence for them, not a verdict."


def status_label(status: SlotStatus) -> Content:
    """'✓ present', '~ partial' or '✗ missing': symbol and word, coloured as well."""
    return Content.styled(f"{STATUS_SYMBOL[status]} {status}", STATUS_STYLE[status])


def yes_no(value: bool | None, yes: str = "yes", no: str = "no") -> Content:
    if value is None:
        return Content.styled("– unknown", "$text-muted")
    if value:
        return Content.styled(f"✓ {yes}", "$text-success")
    return Content.styled(f"✗ {no}", "$text-error")


def flag_name(flag: RedFlag) -> str:
    return flag.replace("_", " ")


def progress_text(
    *, question: int | None, total: int, followup: int | None, max_followups: int, finished: bool
) -> str:
    """'Question 2 of 4 · follow-up 1 of 2', or where the interview stands when not on a question."""
    if finished:
        return "Interview complete"
    if question is None:
        return "Starting…"
    text = f"Question {question} of {total}"
    if followup and max_followups:
        text += f" · follow-up {followup} of {max_followups}"
    return text


def short_path(path: Path) -> str:
    """A path as a person would type it: the home folder as ~."""
    home = Path.home()
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) and path != home else str(path)


def saved_notice(paths: Sequence[Path]) -> str:
    """Where exported files went: the folder once, then one file name a line (no name is cut)."""
    folders = {path.parent for path in paths}
    if len(folders) != 1:
        return "\n".join(short_path(path) for path in paths)
    return "\n".join([f"In {short_path(paths[0].parent)}:", *(f"  {path.name}" for path in paths)])


def elapsed_text(seconds: float) -> str:
    whole = max(0, int(seconds))
    minutes, rest = divmod(whole, 60)
    return f"{minutes}:{rest:02d}"


def score_text(score: float | None) -> str:
    return "not assessed" if score is None else f"{score:.1f}/5"


def bar(score: float | None, width: int = 20) -> Content:
    """A text bar for a 1-5 score with its number, or 'not assessed'; readable without colour."""
    if score is None:
        return Content.styled("· not assessed", "$text-muted")
    filled = round(width * score / 5)
    return Content.assemble(
        ("█" * filled, "$text-primary"),
        ("░" * (width - filled), "$text-muted"),
        f" {score:.1f}/5",
    )
