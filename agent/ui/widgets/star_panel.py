"""Practice mode's coaching panel: which STAR parts the story covers, and why the next probe."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agent.domain.followup_choice import FollowUpChoice
from agent.domain.star import STAR_SLOTS, StarAnalysis
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


def why_next(choice: FollowUpChoice | None) -> Content:
    """Why the interviewer probes this gap next, or why it moved on, as the policy chose it."""
    probe = choice.probe if choice is not None else None
    if probe is not None:
        return Content.assemble(
            ("Why this follow-up?\n", "bold"),
            (f"→ {probe.target}", "$text-accent bold"),
            f": {probe.reason}",
        )
    return Content.assemble(("Why move on?\n", "bold"), _moved_on(choice))


def _moved_on(choice: FollowUpChoice | None) -> str:
    if choice is None:
        return "Moving on."  # no choice is known for this reply
    match choice.why:
        case "declined":
            return "You could not recall an example, so the interview moved on."
        case "not_assessed":
            return "This answer could not be read, so it is not probed or scored."
        case "covered":
            return "Your story covers what this question needs."
        case "already_asked":
            asked = choice.gap.target if choice.gap is not None else "none"
            return f"Already asked about: {asked}. Each gap is probed once, so the interview moves on."
        case "followups_spent":
            still_open = choice.gap.target if choice.gap is not None else "none"
            return f"The follow-ups for this question are used up; still open: {still_open}."
        case "open_gap":
            return "Moving on."  # not reached: a probe is explained as a follow-up


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
