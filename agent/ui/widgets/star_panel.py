"""Practice mode's coaching panel: which STAR parts the story covers, and why the next probe."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agent.domain.policy import QuestionProgress
from agent.domain.star import STAR_SLOTS, StarAnalysis, ranked_gaps
from agent.domain.transcript import Turn
from agent.ui.labels import SLOT_NAME, flag_name, status_label, yes_no
from agent.ui.literal import literal

INTRO = (
    "Answer with one real example. After each answer this panel shows which parts of "
    "STAR it covers:\nSituation · Task · Action · Result."
)


def analysis_lines(analysis: StarAnalysis) -> Content:
    """The slot statuses and the other checks, one per line, with symbols and words."""
    rows: list[Content] = []
    if analysis.not_assessed:
        rows.append(Content.styled("Not assessed", "bold $text-warning"))
        rows.extend(Content.assemble(("ⓘ ", "$text-warning"), literal(note)) for note in analysis.notes)
        return Content("\n").join(rows)
    for slot in STAR_SLOTS:
        rows.append(Content.assemble(f"{SLOT_NAME[slot]:<10}", status_label(analysis.star.status(slot))))
    rows.append(
        Content.assemble(f"{'Ownership':<10}", yes_no(analysis.ownership == "clear", "clear", "unclear"))
    )
    rows.append(Content.assemble("Specific example  ", yes_no(analysis.specific_example)))
    rows.append(Content.assemble("Quantified result ", yes_no(analysis.quantified_result)))
    if analysis.red_flags:
        flags = ", ".join(flag_name(flag) for flag in analysis.red_flags)
        rows.append(Content.assemble(("⚑ ", "$text-warning"), f"Watch: {flags}"))
    rows.extend(Content.assemble(("ⓘ ", "$text-muted"), literal(note)) for note in analysis.notes)
    return Content("\n").join(rows)


def why_next(
    analysis: StarAnalysis, next_turn: Turn | None, progress: QuestionProgress | None, max_followups: int
) -> Content:
    """Why the interviewer probes this gap next, or why it moved on."""
    if next_turn is not None and next_turn.ask == "followup":
        return Content.assemble(
            ("Why this follow-up?\n", "bold"),
            (f"→ {next_turn.target}", "$text-accent bold"),
            f": {next_turn.reason or 'a gap in the story'}",
        )
    if analysis.declined:
        reason = "You could not recall an example, so the interview moved on."
    elif analysis.not_assessed:
        reason = "This answer could not be read, so it is not probed or scored."
    else:
        blocked = set(progress.probed) | set(progress.not_evidenced) if progress else set()
        open_gaps = [gap for gap in ranked_gaps(analysis) if gap.target not in blocked]
        if not open_gaps:
            reason = "Your story covers what this question needs."
        elif progress is not None and len(progress.probed) >= max_followups:
            reason = f"The follow-ups for this question are used up; still open: {open_gaps[0].target}."
        else:
            reason = "Moving on."
    return Content.assemble(("Why move on?\n", "bold"), reason)


class StarPanel(VerticalScroll):
    """Shows the latest analysis and the reason for the interviewer's next move."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "STAR check"
        self._body = Static(Content.styled(INTRO, "$text-muted"), id="star-body")
        self._why = Static("", id="star-why")

    def compose(self) -> ComposeResult:
        yield self._body
        yield self._why

    def show(
        self, analysis: StarAnalysis, *, question: int | None, attempt: int, why: Content | None
    ) -> None:
        where = f"Q{question} · " if question else ""
        self.border_title = f"STAR check · {where}answer {attempt}"
        self._body.update(analysis_lines(analysis))
        self._why.update(why or "")
        self._why.display = why is not None

    def reset(self) -> None:
        self.border_title = "STAR check"
        self._body.update(Content.styled(INTRO, "$text-muted"))
        self._why.update("")
