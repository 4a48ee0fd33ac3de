"""A question answered in several attempts, with the STAR checks side by side to show what improved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from agent.domain.star import STAR_SLOTS, STATUS_RANK, SlotStatus, StarAnalysis
from agent.ui.attempts import AttemptView, QuestionAttempts
from agent.ui.labels import SLOT_NAME, STATUS_STYLE, STATUS_SYMBOL
from agent.ui.literal import literal

LABEL_WIDTH = 18
COLUMN_WIDTH = 15
GAP = " "


def _prompt_name(number: int, attempt: AttemptView) -> str:
    prompt = attempt.prompt
    if prompt is not None and prompt.ask == "followup":
        return f"#{number} {prompt.target}"
    return f"#{number} answer"


def _trend(before: int | None, now: int) -> str:
    if before is None or before == now:
        return ""
    return " ↑" if now > before else " ↓"


def _status(status: SlotStatus, before: SlotStatus | None) -> Content:
    trend = _trend(STATUS_RANK[before] if before else None, STATUS_RANK[status])
    return Content.styled(f"{STATUS_SYMBOL[status]} {status}{trend}", STATUS_STYLE[status])


def _flag(value: bool, before: bool | None, yes: str, no: str) -> Content:
    trend = _trend(int(before) if before is not None else None, int(value))
    if value:
        return Content.styled(f"✓ {yes}{trend}", "$text-success")
    return Content.styled(f"✗ {no}{trend}", "$text-error")


def _cells(analysis: StarAnalysis | None, before: StarAnalysis | None) -> list[Content]:
    if analysis is None:
        return [Content.styled("not analysed", "$text-muted")] * 8
    cells = [
        _status(analysis.star.status(slot), before.star.status(slot) if before else None)
        for slot in STAR_SLOTS
    ]
    cells.append(
        _flag(
            analysis.ownership == "clear",
            (before.ownership == "clear") if before else None,
            "clear",
            "unclear",
        )
    )
    cells.append(_flag(analysis.specific_example, before.specific_example if before else None, "yes", "no"))
    cells.append(_flag(analysis.quantified_result, before.quantified_result if before else None, "yes", "no"))
    if analysis.score is None:
        cells.append(Content("not assessed"))
    else:
        score_trend = _trend(before.score if before else None, analysis.score)
        cells.append(Content(f"{analysis.score}/5{score_trend}"))
    return cells


def comparison(group: QuestionAttempts) -> Content:
    """Rows of checks, one column per attempt; ↑ and ↓ mark changes from the attempt before."""
    labels = [
        *(SLOT_NAME[slot] for slot in STAR_SLOTS),
        "Ownership",
        "Specific example",
        "Quantified",
        "Score",
    ]
    columns: list[list[Content]] = []
    headers: list[Content] = []
    before: StarAnalysis | None = None
    for number, attempt in enumerate(group.attempts, start=1):
        headers.append(Content.styled(_prompt_name(number, attempt), "bold"))
        columns.append(_cells(attempt.analysis, before))
        before = attempt.analysis or before
    rows = [(Content(""), headers)]
    rows += [(Content(label), [column[row] for column in columns]) for row, label in enumerate(labels)]
    lines = [
        Content.assemble(
            label.truncate(LABEL_WIDTH, pad=True),
            *(Content.assemble(cell.truncate(COLUMN_WIDTH, ellipsis=True, pad=True), GAP) for cell in cells),
        ).rstrip()
        for label, cells in rows
    ]
    return Content("\n").join(lines)


def title(group: QuestionAttempts) -> Content:
    text = f"Question {group.number}: {group.question}" if group.number else group.question
    return literal(text, "bold")


class AttemptsView(Vertical):
    """The question on top (wrapped), the comparison below (scrolls sideways when wide)."""

    def __init__(self, group: QuestionAttempts) -> None:
        super().__init__(classes="attempts")
        self.group = group

    def compose(self) -> ComposeResult:
        yield Static(title(self.group), classes="attempts-title")
        yield Static(comparison(self.group), classes="attempts-table")
