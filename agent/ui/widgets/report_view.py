"""The evaluation made readable: recommendation, dimension chart, strengths, concerns, per question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from agent.domain.coaching import PRACTICE_NOTE, CoachingSummary, coaching_summary
from agent.domain.coverage import coverage
from agent.domain.evaluation import Evaluation, QuestionScore
from agent.domain.rubric import Rubric
from agent.domain.star import STAR_SLOTS
from agent.ui.labels import (
    CONFIDENCE,
    DECISION_NOTE,
    RECOMMENDATION,
    SLOT_NAME,
    flag_name,
    score_text,
    status_label,
)
from agent.ui.literal import literal
from agent.ui.widgets.score_chart import ScoreChart


def summary(evaluation: Evaluation) -> Content:
    """The reviewer's summary: the machine's recommendation, and what the score covers."""
    overall = score_text(evaluation.overall_score)
    covered = coverage(evaluation)
    return Content("\n").join(
        [
            Content.assemble(("Recommendation: ", "bold"), RECOMMENDATION[evaluation.recommendation]),
            Content.assemble(("Confidence: ", "bold"), CONFIDENCE[evaluation.confidence]),
            Content.assemble(
                ("Overall score: ", "bold"),
                overall,
                (f" · {covered.text}", "" if covered.complete else "$text-warning"),
            ),
            Content.styled(DECISION_NOTE, "italic $text-muted"),
        ]
    )


def practice_summary(coached: CoachingSummary) -> Content:
    """The person practising gets coaching, never a hiring recommendation."""
    style = "" if coached.coverage.complete else "$text-warning"
    return Content("\n").join(
        [
            Content.styled("Practice summary", "bold"),
            Content.styled(coached.score_line, style),
            Content.styled(PRACTICE_NOTE, "italic $text-muted"),
        ]
    )


def bullets(title: str, items: list[str], marker: str) -> Content:
    lines = [Content.styled(title, "bold")]
    lines += [Content.assemble(f" {marker} ", literal(item)) for item in items] or [Content("  none")]
    return Content("\n").join(lines)


def anchor_for(question: QuestionScore, rubric: Rubric | None) -> str | None:
    if rubric is None or question.score is None:
        return None
    try:
        return rubric.dimension(question.dimension).anchors.get(question.score)
    except KeyError:
        return None


def question_block(number: int, question: QuestionScore, rubric: Rubric | None, coaching: bool) -> Content:
    lines = [literal(f"{number}. {question.question}", "bold")]
    if question.score is None:
        lines.append(Content.assemble(("Score: ", "bold"), ("not assessed", "$text-muted")))
    else:
        lines.append(Content.assemble(("Score: ", "bold"), f"{question.score}/5 · {question.level or ''}"))
    anchor = anchor_for(question, rubric)
    rationale = question.rationale
    if anchor:
        lines.append(Content.assemble(("Level means: ", "bold"), literal(anchor, "italic")))
        rationale = rationale.removesuffix(f"Level {question.score} ({question.level}): {anchor}").strip()
    if rationale:
        lines.append(Content.assemble(("Why: ", "bold"), literal(rationale)))
    coverage = [
        Content.assemble(f"{SLOT_NAME[slot]} ", status_label(question.coverage[slot]))
        for slot in STAR_SLOTS
        if slot in question.coverage
    ]
    if coverage:
        lines.append(Content.assemble(("STAR: ", "bold"), Content(" · ").join(coverage)))
    if question.not_evidenced:
        lines.append(Content(f"Could not recall: {', '.join(question.not_evidenced)}"))
    lines.extend(
        Content.assemble(("ⓘ Note: ", "$text-warning bold"), literal(note)) for note in question.notes
    )
    if question.red_flags:
        flags = ", ".join(flag_name(flag) for flag in question.red_flags)
        lines.append(Content.assemble(("⚑ Flags: ", "$text-warning bold"), flags))
    if question.evidence:
        lines.append(Content.styled("Evidence, quoted from the answers:", "bold"))
    for item in question.evidence:
        lines.append(Content.assemble((f"  {item.claim}: ", "$text-muted"), literal(f"“{item.quote}”")))
    if coaching and question.coaching:
        lines.append(Content.styled("What to add next time:", "bold $text-accent"))
        lines += [Content.assemble(" → ", literal(tip)) for tip in question.coaching]
    return Content("\n").join(lines)


def provenance(evaluation: Evaluation) -> Content:
    p = evaluation.provenance
    lines = [
        f"Interview {p.interview_id} · rubric {p.rubric_id} v{p.rubric_version} · brain {p.brain}",
        f"Started {p.interview_started_at:%Y-%m-%d %H:%M} UTC · evaluated {p.evaluated_at:%Y-%m-%d %H:%M} UTC",
    ]
    if evaluation.dropped_evidence:
        lines.append(f"{evaluation.dropped_evidence} quote(s) not found in the transcript were dropped.")
    return Content.styled("\n".join(lines), "$text-muted")


class ReportView(VerticalScroll, can_focus=True):
    """A scrolling report; coaching appears only when asked for (practice mode)."""

    ALLOW_MAXIMIZE = True  # the reviewer zooms it to read the evaluation full width

    def __init__(
        self, evaluation: Evaluation, *, rubric: Rubric | None, coaching: bool, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.evaluation = evaluation
        self.rubric = rubric
        self.coaching = coaching

    def compose(self) -> ComposeResult:
        evaluation = self.evaluation
        if self.coaching:
            coached = coaching_summary(evaluation)
            yield Static(practice_summary(coached), classes="section summary")
        else:
            yield Static(summary(evaluation), classes="section summary")
        if evaluation.competencies:
            yield Static(Content.styled("Competency scores (1-5)", "bold"), classes="heading")
            yield ScoreChart(evaluation.competencies)
        yield Static(Content.styled("Dimension scores (1-5)", "bold"), classes="heading")
        yield ScoreChart(evaluation.dimensions)
        if self.coaching:
            yield Static(bullets("What went well", coached.went_well, "+"), classes="section")
            yield Static(bullets("What to work on next", coached.work_on, "→"), classes="section")
            if coached.not_scored:
                yield Static(bullets("Not scored", coached.not_scored, "·"), classes="section")
        else:
            yield Static(bullets("Strengths", evaluation.strengths, "+"), classes="section")
            yield Static(bullets("Concerns", evaluation.concerns, "-"), classes="section")
        if evaluation.red_flags:
            flags = [flag_name(flag) for flag in evaluation.red_flags]
            title = "Watch out for" if self.coaching else "Red flags"
            yield Static(bullets(title, flags, "⚑"), classes="section")
        yield Static(Content.styled("Questions", "bold"), classes="heading")
        for number, question in enumerate(evaluation.questions, start=1):
            yield Static(question_block(number, question, self.rubric, self.coaching), classes="question")
        yield Static(provenance(evaluation), classes="section provenance")
