"""Readable Markdown for transcripts and evaluations."""

from __future__ import annotations

from datetime import UTC

from agent.domain.coaching import coaching_summary
from agent.domain.coverage import coverage
from agent.domain.evaluation import Evaluation
from agent.domain.transcript import Transcript, Turn
from agent.reviews import DECISION_LABEL, Review
from agent.visible import visible_controls

RECOMMENDATION_TEXT = {
    "advance": "Advance (evidence supports the competency)",
    "borderline": "Borderline (mixed evidence; a reviewer should look closely)",
    "do_not_advance": "Do not advance on this evidence",
    "insufficient_evidence": "Insufficient evidence to recommend either way",
}
_STATUS_MARK = {"present": "present ✓", "partial": "partial ~", "missing": "missing ✗"}


def bar(score: float | None, width: int = 20) -> str:
    """A text bar for a 1-5 score that reads without colour."""
    if score is None:
        return "not assessed"
    filled = round(width * score / 5)
    return "█" * filled + "░" * (width - filled) + f" {score:.1f}/5"


def evaluation_markdown(evaluation: Evaluation, *, coaching: bool = True) -> str:
    """The evaluation for a reviewer, or with `coaching` the practice summary for the person practising."""
    lines = _practice_lines(evaluation) if coaching else _reviewer_lines(evaluation)
    lines += ["### Dimensions", "", "| Dimension | Score | Level |", "| --- | --- | --- |"]
    for d in evaluation.dimensions:
        level = d.level or "—"
        lines.append(f"| {d.name} | {bar(d.score)} | {level if d.status == 'assessed' else 'not assessed'} |")
    lines.append("")
    if not coaching:
        if evaluation.strengths:
            lines += ["### Strengths", "", *[f"- {s}" for s in evaluation.strengths], ""]
        if evaluation.concerns:
            lines += ["### Concerns", "", *[f"- {c}" for c in evaluation.concerns], ""]
    if evaluation.red_flags:
        title = "Watch out for" if coaching else "Red flags"
        lines += [f"### {title}", "", *[f"- `{f}`" for f in evaluation.red_flags], ""]
    lines += ["### Questions", ""]
    for number, q in enumerate(evaluation.questions, start=1):
        score = f"{q.score}/5 ({q.level})" if q.score is not None else "not assessed"
        lines += [f"#### {number}. {q.question}", "", f"**Score:** {score}  ", f"**Why:** {q.rationale}", ""]
        star = " · ".join(f"{slot}: {_STATUS_MARK[status]}" for slot, status in q.coverage.items())
        lines += [f"STAR coverage: {star}", ""]
        if q.not_evidenced:
            lines += [f"Not evidenced (candidate could not recall): {', '.join(q.not_evidenced)}", ""]
        lines += [f"**Note:** {_inline(note)}  " for note in q.notes] + ([""] if q.notes else [])
        for item in q.evidence:
            lines.append(f"- *{item.claim}*: “{_inline(item.quote)}”")
        if q.evidence:
            lines.append("")
        if coaching and q.coaching:
            lines += ["What to add next time:", "", *[f"- {c}" for c in q.coaching], ""]
    p = evaluation.provenance
    lines += [
        "### Provenance",
        "",
        f"- Interview `{p.interview_id}`, rubric `{p.rubric_id}` v{p.rubric_version} ({p.rubric_hash})",
        f"- Brain: {p.brain}; Starling {p.starling_version}",
        f"- Started {p.interview_started_at:%Y-%m-%d %H:%M UTC}; evaluated {p.evaluated_at:%Y-%m-%d %H:%M UTC}",
    ]
    if evaluation.dropped_evidence:
        lines.append(
            f"- {evaluation.dropped_evidence} evidence quote(s) not found in the transcript were dropped."
        )
    return "\n".join(lines) + "\n"


def _reviewer_lines(evaluation: Evaluation) -> list[str]:
    overall = (
        f"{evaluation.overall_score:.2f} / 5" if evaluation.overall_score is not None else "not assessed"
    )
    return [
        "## Evaluation",
        "",
        f"- **Recommendation:** {RECOMMENDATION_TEXT[evaluation.recommendation]} "
        f"(confidence: {evaluation.confidence})",
        f"- **Overall score:** {overall} ({coverage(evaluation).text})",
        "- A person makes the decision; this summary is evidence for them.",
        "",
    ]


def _practice_lines(evaluation: Evaluation) -> list[str]:
    coached = coaching_summary(evaluation)
    lines = [
        "## Practice summary",
        "",
        f"- {coached.score_line}",
        "- Scores are for your practice only: nobody is deciding anything.",
        "",
    ]
    for title, items in (
        ("What went well", coached.went_well),
        ("What to work on next", coached.work_on),
        ("Not scored", coached.not_scored),
    ):
        if items:
            lines += [f"### {title}", "", *[f"- {_inline(item)}" for item in items], ""]
    return lines


def review_markdown(review: Review) -> list[str]:
    """The reviewer's decision and notes (newest first), kept apart from the machine's evaluation."""
    lines = ["## Reviewer's decision", ""]
    for number, entry in enumerate(reversed(review.history)):
        when = f"{entry.decided_at.astimezone(UTC):%Y-%m-%d %H:%M UTC}"
        label = "Decision" if number == 0 else "Earlier decision"
        lines.append(f"- **{label}:** {DECISION_LABEL[entry.decision]}, by {_inline(entry.reviewer)}, {when}")
        notes = visible_controls(entry.notes).splitlines() if entry.notes.strip() else []
        lines += [f"  > {line}" if line.strip() else "  >" for line in notes]
    return [*lines, ""]


def transcript_markdown(transcript: Transcript, *, review: Review | None = None) -> str:
    header = transcript.header
    who = f" with {_inline(header.candidate)}" if header.candidate else ""
    lines = [
        f"# Interview {header.interview_id}{who}",
        "",
        f"Rubric `{header.rubric_id}` v{header.rubric_version} · mode: {header.mode} · "
        f"brain: {header.brain} · started {header.at:%Y-%m-%d %H:%M UTC}"
        + ("" if transcript.finished else " · **unfinished**"),
        "",
    ]
    if review is not None and review.history:
        lines += review_markdown(review)
    lines += ["## Transcript", ""]
    for turn in transcript.turns:
        lines += _turn_lines(turn)
    evaluation = transcript.evaluation
    if evaluation is not None:
        lines += ["", evaluation_markdown(evaluation, coaching=header.mode == "practice")]
    return "\n".join(lines).rstrip() + "\n"


def _turn_lines(turn: Turn) -> list[str]:
    if turn.role == "interviewer":
        tag: str = turn.ask or "message"
        if turn.ask == "followup" and turn.target:
            tag = f"follow-up on {turn.target}"
        return [f"**Interviewer** ({tag}): {_inline(turn.text)}", ""]
    text = visible_controls(turn.text)
    body = [f"> {line}" if line.strip() else ">" for line in text.splitlines()] or [">"]
    return ["**Candidate:**", "", *body, ""]


def _inline(text: str) -> str:
    return " ".join(visible_controls(text).split())
