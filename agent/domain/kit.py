"""Role kits: the competencies a role is interviewed on, and how many questions from each.

A kit is data (`rubrics/kits/*.yaml`). `compose` turns a kit and its competency rubrics into one
`Rubric` whose dimensions and questions are qualified by competency ("teamwork.dividing-work")
and whose `parts` say which competency each belongs to. Everything downstream (the interview
flow, transcripts, both brains, the evaluation, reports and evals) then works on that one rubric.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agent.domain.rubric import Part, Rubric, RubricFieldError, Slug, Text

# An interview plans at most this many questions (InterviewConfig.question_count's bound).
MAX_KIT_QUESTIONS = 12


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class KitCompetency(_Strict):
    """One competency of a kit: a rubric id and how many of its questions to ask."""

    rubric: Slug
    questions: Annotated[int, Field(ge=1, le=MAX_KIT_QUESTIONS)]


class Kit(_Strict):
    """A role's interview: its competencies in the order they are asked, with its own words."""

    schema_version: Literal[1] = 1
    id: Slug
    version: Text
    title: Text
    summary: Text
    opening: Text
    closing: Text
    practice_closing: Text | None = None
    competencies: list[KitCompetency] = Field(min_length=1, max_length=8)

    @model_validator(mode="after")
    def _consistent(self) -> Kit:
        seen: set[str] = set()
        for index, competency in enumerate(self.competencies):
            if competency.rubric in seen:
                raise RubricFieldError(
                    ("competencies", index, "rubric"), f"competency {competency.rubric!r} is listed twice"
                )
            seen.add(competency.rubric)
        if self.question_count > MAX_KIT_QUESTIONS:
            raise RubricFieldError(
                ("competencies",),
                f"the kit asks {self.question_count} questions; an interview has at most {MAX_KIT_QUESTIONS}",
            )
        return self

    @property
    def question_count(self) -> int:
        return sum(c.questions for c in self.competencies)


def compose(kit: Kit, rubrics: Mapping[str, Rubric]) -> Rubric:
    """The kit as one rubric over its competencies. `rubrics` maps each competency id to its rubric.

    Raises RubricFieldError located at the kit's field at fault.
    """
    chosen: list[Rubric] = []
    for index, competency in enumerate(kit.competencies):
        rubric = rubrics.get(competency.rubric)
        if rubric is None:
            raise RubricFieldError(
                ("competencies", index, "rubric"), f"no rubric called {competency.rubric!r}"
            )
        if rubric.parts:
            raise RubricFieldError(
                ("competencies", index, "rubric"), f"{competency.rubric!r} is a kit, not a rubric"
            )
        if competency.questions > len(rubric.questions):
            raise RubricFieldError(
                ("competencies", index, "questions"),
                f"{competency.rubric!r} has only {len(rubric.questions)} questions",
            )
        if chosen and rubric.levels != chosen[0].levels:
            raise RubricFieldError(
                ("competencies", index, "rubric"),
                f"{competency.rubric!r} names its levels differently from {chosen[0].id!r}",
            )
        chosen.append(rubric)
    try:
        return _composed(kit, chosen)
    except ValidationError as error:
        raise RubricFieldError(
            (), f"the kit's rubrics cannot be combined: {error.errors()[0]['msg']}"
        ) from error


def _composed(kit: Kit, chosen: list[Rubric]) -> Rubric:
    first = chosen[0]
    return Rubric(
        id=kit.id,
        version=kit.version,
        title=kit.title,
        summary=kit.summary,
        opening=kit.opening,
        closing=kit.closing,
        practice_closing=kit.practice_closing,
        levels=first.levels,
        dimensions=[d.model_copy(update={"id": f"{r.id}.{d.id}"}) for r in chosen for d in r.dimensions],
        questions=[
            q.model_copy(update={"id": f"{r.id}.{q.id}", "dimension": f"{r.id}.{q.dimension}"})
            for r in chosen
            for q in r.questions
        ],
        generic_followups=first.generic_followups,
        topic=first.topic,
        parts=[
            Part(
                id=r.id,
                title=r.title,
                version=r.version,
                rubric_hash=r.content_hash(),
                questions=c.questions,
                topic=r.topic,
                generic_followups=r.generic_followups,
            )
            for r, c in zip(chosen, kit.competencies, strict=True)
        ],
    )
