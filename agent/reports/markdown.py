"""Readable Markdown for transcripts and evaluations.

Every piece of text that is not Starling's own (the candidate's words and name, quotes, what a
brain wrote, rubric wording) is escaped, so a Markdown renderer shows it as typed: no HTML,
links, images or formatting can be smuggled in through an answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC

from agent.domain.coaching import PRACTICE_NOTE, coaching_summary
from agent.domain.coverage import coverage
from agent.domain.evaluation import CompetencyScore, DimensionScore, Evaluation
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
    if evaluation.competencies:
        lines += _score_table("Competencies", "Competency", evaluation.competencies)
    lines += _score_table("Dimensions", "Dimension", evaluation.dimensions)
    if not coaching:
        if evaluation.strengths:
            lines += ["### Strengths", "", *[f"- {md_text(s)}" for s in evaluation.strengths], ""]
        if evaluation.concerns:
            lines += ["### Concerns", "", *[f"- {md_text(c)}" for c in evaluation.concerns], ""]
    if evaluation.red_flags:
        title = "Watch out for" if coaching else "Red flags"
        lines += [f"### {title}", "", *[f"- `{f}`" for f in evaluation.red_flags], ""]
    lines += ["### Questions", ""]
    for number, q in enumerate(evaluation.questions, start=1):
        score = f"{q.score}/5 ({md_text(q.level or '')})" if q.score is not None else "not assessed"
        lines += [
            f"#### {number}. {md_text(q.question)}",
            "",
            f"**Score:** {score}  ",
            f"**Why:** {md_text(q.rationale)}",
            "",
        ]
        star = " · ".join(f"{slot}: {_STATUS_MARK[status]}" for slot, status in q.coverage.items())
        lines += [f"STAR coverage: {star}", ""]
        if q.not_evidenced:
            lines += [f"Not evidenced (candidate could not recall): {', '.join(q.not_evidenced)}", ""]
        lines += [f"**Note:** {md_text(note)}  " for note in q.notes] + ([""] if q.notes else [])
        for item in q.evidence:
            lines.append(f"- *{md_text(item.claim)}*: “{md_text(item.quote)}”")
        if q.evidence:
            lines.append("")
        if coaching and q.coaching:
            lines += ["What to add next time:", "", *[f"- {md_text(c)}" for c in q.coaching], ""]
    p = evaluation.provenance
    lines += [
        "### Provenance",
        "",
        f"- Interview {_code(p.interview_id)}, rubric {_code(p.rubric_id)} v{md_text(p.rubric_version)} "
        f"({md_text(p.rubric_hash)})",
        f"- Brain: {md_text(p.brain)}; Starling {md_text(p.starling_version)}",
        f"- Started {p.interview_started_at:%Y-%m-%d %H:%M UTC}; evaluated {p.evaluated_at:%Y-%m-%d %H:%M UTC}",
    ]
    if evaluation.dropped_evidence:
        lines.append(
            f"- {evaluation.dropped_evidence} evidence quote(s) not found in the transcript were dropped."
        )
    return "\n".join(lines) + "\n"


def _score_table(title: str, column: str, scores: Sequence[DimensionScore | CompetencyScore]) -> list[str]:
    lines = [f"### {title}", "", f"| {column} | Score | Level |", "| --- | --- | --- |"]
    for d in scores:
        level_text = md_text(d.level or "—") if d.status == "assessed" else "not assessed"
        lines.append(f"| {md_text(d.name)} | {bar(d.score)} | {level_text} |")
    return [*lines, ""]


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
        f"- {PRACTICE_NOTE}",
        "",
    ]
    for title, items in coached.sections:
        if items:
            lines += [f"### {title}", "", *[f"- {md_text(item)}" for item in items], ""]
    return lines


def review_markdown(review: Review) -> list[str]:
    """The reviewer's decision and notes (newest first), kept apart from the machine's evaluation."""
    lines = ["## Reviewer's decision", ""]
    for number, entry in enumerate(reversed(review.history)):
        when = f"{entry.decided_at.astimezone(UTC):%Y-%m-%d %H:%M UTC}"
        label = "Decision" if number == 0 else "Earlier decision"
        lines.append(f"- **{label}:** {DECISION_LABEL[entry.decision]}, by {md_text(entry.reviewer)}, {when}")
        notes = visible_controls(entry.notes).splitlines() if entry.notes.strip() else []
        lines += [f"  > {md_text(line)}" if line.strip() else "  >" for line in notes]
    return [*lines, ""]


def transcript_markdown(transcript: Transcript, *, review: Review | None = None) -> str:
    header = transcript.header
    who = f" with {md_text(header.candidate)}" if header.candidate else ""
    lines = [
        f"# Interview {md_text(header.interview_id)}{who}",
        "",
        f"Rubric {_code(header.rubric_id)} v{md_text(header.rubric_version)} · mode: {header.mode} · "
        f"brain: {md_text(header.brain)} · started {header.at:%Y-%m-%d %H:%M UTC}"
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
        return [f"**Interviewer** ({tag}): {md_text(turn.text)}", ""]
    lines = visible_controls(turn.text).split("\n")
    body = [f"> {md_text(line)}" if line.strip() else ">" for line in lines] or [">"]
    return ["**Candidate:**", "", *body, ""]


# Characters that make Markdown (CommonMark and GitHub's) act anywhere in a line: the backslash
# itself, HTML and autolinks, links and images, emphasis, code, tables and headings.
_ANYWHERE = re.compile(r"([\\`*_\[\]<|~#])")
# An entity such as &lt; or &#106; would be decoded by a renderer; the & is shown as typed.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What turns the start of a line into a block: quote (>), list (- + 1. 1)) or heading underline (=).
_LINE_START = re.compile(r"^(?:([>+=-])|(\d{1,9})([.)])(?=\s|$))")


def md_text(text: str) -> str:
    """Text shown as typed in Markdown, on one line: controls made visible, markup escaped."""
    line = " ".join(visible_controls(text).split())
    line = _ENTITY.sub(r"\\&", _ANYWHERE.sub(r"\\\1", line))
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)


def _code(text: str) -> str:
    """An identifier as inline code, which renderers show literally; escaped text if it cannot be."""
    shown = " ".join(visible_controls(text).split())
    return f"`{shown}`" if shown and "`" not in shown else md_text(text)
