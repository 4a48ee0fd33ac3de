"""Two or more candidates on one rubric or kit, line by line: competencies, dimensions, questions, outcome (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from agent.ui.labels import DECISION_LABEL, RECOMMENDATION_SHORT
from agent.ui.review_rows import ReviewRow

MIN_COMPARED = 2
NOT_ASKED = "not asked"

LineKind = Literal["heading", "score", "text"]
# A score, None for "not assessed", or words (a recommendation, a decision, "not asked").
Cell = float | str | None


@dataclass(frozen=True)
class Line:
    label: str
    kind: LineKind
    cells: tuple[Cell, ...] = ()
    detail: str = ""  # the whole question, for a line labelled by its id
    # Per cell: may it be pointed out as the best? (False for an incomplete interview's overall
    # score when some interview is complete.) Empty: every cell may.
    eligible: tuple[bool, ...] = ()
    # Per cell: a short mark shown after the score, e.g. how many questions it covers.
    marks: tuple[str, ...] = ()

    def best(self) -> float | None:
        """The highest score on a score line when candidates differ, to point it out."""
        allowed = self.eligible or (True,) * len(self.cells)
        scores = [c for c, ok in zip(self.cells, allowed, strict=True) if ok and isinstance(c, float)]
        if self.kind != "score" or len(set(scores)) < 2:
            return None
        return max(scores)


def comparison_problem(rows: list[ReviewRow]) -> str | None:
    """Why these interviews cannot be compared, or None when they can."""
    if len(rows) < MIN_COMPARED:
        return "Mark two or more interviews with space, then press c to compare them."
    unevaluated = [row.candidate or row.interview_id for row in rows if row.evaluation is None]
    if unevaluated:
        return f"Only evaluated interviews can be compared; not evaluated: {', '.join(unevaluated)}."
    rubrics = sorted({row.rubric_id for row in rows})
    if len(rubrics) > 1:
        return (
            "Only interviews on the same rubric or kit can be compared side by side; the marked ones use "
            f"{', '.join(rubrics)}."
        )
    return None


def version_note(rows: list[ReviewRow]) -> str | None:
    """A warning when the rubric changed between the interviews (scores may not mean the same)."""
    versions = sorted({row.transcript.header.rubric_version for row in rows})
    hashes = {row.transcript.header.rubric_hash for row in rows}
    if len(hashes) > 1:
        return f"The rubric changed between these interviews (versions {', '.join(versions)})."
    return None


def coverage_note(rows: list[ReviewRow]) -> str | None:
    """Said when some interview's scores cover only part of it (it is never marked best then)."""
    if all(row.complete for row in rows):
        return None
    note = "⚠ n/m: only n of m questions scored"
    return note + (
        "; the overall ▲ goes to complete interviews only." if any(r.complete for r in rows) else "."
    )


def comparison_lines(rows: list[ReviewRow]) -> list[Line]:
    """The lines of the comparison, one cell per interview in the order given."""
    evaluations = [row.evaluation for row in rows]
    lines: list[Line] = []
    competencies: dict[str, str] = {}
    for evaluation in evaluations:
        for competency in evaluation.competencies if evaluation else []:
            competencies.setdefault(competency.competency, competency.name)
    if competencies:
        lines.append(Line("Competencies (1-5)", "heading"))
    for competency_id, name in competencies.items():
        cells: list[Cell] = []
        for evaluation in evaluations:
            scored = (
                [c for c in evaluation.competencies if c.competency == competency_id] if evaluation else []
            )
            cells.append(scored[0].score if scored else NOT_ASKED)
        lines.append(Line(name, "score", tuple(cells)))
    lines.append(Line("Dimensions (1-5)", "heading"))
    names: dict[str, str] = {}
    for evaluation in evaluations:
        for dimension in evaluation.dimensions if evaluation else []:
            names.setdefault(dimension.dimension, dimension.name)
    for dimension_id, name in names.items():
        cells = []
        for evaluation in evaluations:
            found = [d for d in evaluation.dimensions if d.dimension == dimension_id] if evaluation else []
            cells.append(found[0].score if found else NOT_ASKED)
        lines.append(Line(name, "score", tuple(cells)))
    complete = tuple(row.complete for row in rows)
    lines.append(
        Line(
            "Overall",
            "score",
            tuple(e.overall_score if e else None for e in evaluations),
            eligible=complete if any(complete) else (),
            marks=tuple(
                "" if row.complete or row.coverage is None else f"⚠{row.coverage.short}" for row in rows
            ),
        )
    )
    lines.append(
        Line("Questions scored", "text", tuple(row.coverage.short if row.coverage else None for row in rows))
    )
    lines.append(Line("Questions (1-5)", "heading"))
    questions: dict[str, tuple[str, str]] = {}
    for evaluation in evaluations:
        for question in evaluation.questions if evaluation else []:
            label = f"{question.question_id} · {question.dimension.rpartition('.')[2]}"
            questions.setdefault(question.question_id, (label, question.question))
    for question_id, (label, text) in questions.items():
        cells = []
        for evaluation in evaluations:
            asked = [q for q in evaluation.questions if q.question_id == question_id] if evaluation else []
            score = asked[0].score if asked else None
            cells.append(NOT_ASKED if not asked else None if score is None else float(score))
        lines.append(Line(label, "score", tuple(cells), detail=text))
    lines.append(Line("Outcome", "heading"))
    lines.append(
        Line(
            "Machine recommendation",
            "text",
            tuple(RECOMMENDATION_SHORT[e.recommendation] if e else None for e in evaluations),
        )
    )
    lines.append(Line("Confidence", "text", tuple(e.confidence if e else None for e in evaluations)))
    lines.append(
        Line(
            "Reviewer's decision",
            "text",
            tuple(DECISION_LABEL[row.decision.decision] if row.decision else "none yet" for row in rows),
        )
    )
    return lines
