"""`starling rubrics show`: a rubric as an interviewer reads it, in plain text."""

from __future__ import annotations

import textwrap

from agent.domain.rubric import Rubric

WIDTH = 88


def _wrapped(text: str, indent: str, first: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        width=WIDTH,
        initial_indent=indent + first,
        subsequent_indent=indent + " " * len(first),
    ) or [indent + first.rstrip()]


def render(rubric: Rubric) -> str:
    """The whole rubric: summary, levels, dimensions with anchors, questions, follow-ups, topic.

    A kit shows its own words and its competencies; each competency's rubric is shown on its own.
    """
    if rubric.parts:
        return _render_kit(rubric)
    lines = [
        f"{rubric.title} ({rubric.id} v{rubric.version}, {rubric.content_hash()})",
        f"{len(rubric.dimensions)} dimensions, {len(rubric.questions)} questions",
        "",
        *_wrapped(rubric.summary, ""),
        "",
        "Levels: " + " · ".join(f"{level} {name}" for level, name in sorted(rubric.levels.items())),
        "",
        "DIMENSIONS",
    ]
    for dimension in rubric.dimensions:
        asked = sum(1 for q in rubric.questions if q.dimension == dimension.id)
        lines += ["", f"  {dimension.name} [{dimension.id}], {asked} questions"]
        lines += _wrapped(dimension.description, "    ")
        for level in sorted(dimension.anchors):
            lines += _wrapped(dimension.anchors[level], "      ", f"{level} {rubric.levels[level]}: ")
    lines += ["", "QUESTIONS"]
    for number, question in enumerate(rubric.questions, start=1):
        lines += ["", f"  {number}. {question.id} [{question.dimension}]"]
        lines += _wrapped(question.text, "     ")
        lines.append("     Areas to cover:")
        for area in question.areas:
            lines += _wrapped(area.description, "       ", f"- {area.id}: ")
        lines.append("     Follow-ups:")
        for followup in question.followups:
            lines += _wrapped(followup.text, "       ", f"{followup.probes + ':':<12} ")
    lines += ["", "GENERIC FOLLOW-UPS (for a gap a question has none for)"]
    for target, text in rubric.generic_followups.model_dump().items():
        lines += _wrapped(text, "  ", f"{target + ':':<12} ")
    topic = rubric.topic
    lines += ["", "TOPIC (what relevance is judged against)", *_wrapped(topic.about, "  ")]
    lines += _wrapped(", ".join(topic.terms), "  ", f"Terms ({len(topic.terms)}): ")
    elsewhere = ", ".join(topic.elsewhere) or "none"
    lines += _wrapped(elsewhere, "  ", f"Elsewhere ({len(topic.elsewhere)}): ")
    return "\n".join(lines) + "\n"


def _render_kit(kit: Rubric) -> str:
    asked = kit.kit_question_count
    lines = [
        f"{kit.title} (kit {kit.id} v{kit.version}, {kit.content_hash()})",
        f"{len(kit.parts)} competencies, {asked} questions asked in this order",
        "",
        *_wrapped(kit.summary, ""),
        "",
        "COMPETENCIES",
    ]
    for part in kit.parts:
        bank = len(kit.questions_of(part))
        lines.append(
            f"  {part.questions} of {bank} questions from {part.title} ({part.id} v{part.version}, {part.rubric_hash})"
        )
    lines += ["", "OPENING", *_wrapped(kit.opening, "  "), "", "CLOSING", *_wrapped(kit.closing, "  ")]
    if kit.practice_closing:
        lines += ["", "CLOSING IN PRACTICE", *_wrapped(kit.practice_closing, "  ")]
    lines += ["", "See a competency's questions and anchors with: starling rubrics show <id>"]
    return "\n".join(lines) + "\n"
