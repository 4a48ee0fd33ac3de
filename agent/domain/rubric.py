"""Rubric models: dimensions with anchored levels, questions, and follow-ups tagged by what they probe."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from agent.domain.star import FollowUpTarget

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
SLUG_MAX = 64
MAX_DIMENSIONS = 12
MAX_QUESTIONS = 60
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
_SLUG = re.compile(SLUG_PATTERN)


# A dimension's or question's id in a rubric composed from a kit is qualified by its competency:
# "teamwork.dividing-work". Hand-written rubrics use plain slugs.
_PLAIN = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
QualifiedSlug = Annotated[
    str, StringConstraints(pattern=rf"^(?:{_PLAIN}\.)?{_PLAIN}$", max_length=2 * SLUG_MAX + 1)
]


def competency_of(item_id: str) -> str | None:
    """The competency a qualified dimension or question id belongs to; None for a plain id."""
    head, dot, _ = item_id.partition(".")
    return head if dot else None


def is_slug(text: str) -> bool:
    """Whether `text` can be an id: lower case letters and digits, joined by single - or _."""
    return len(text) <= SLUG_MAX and _SLUG.match(text) is not None


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Level = Annotated[int, Field(ge=1, le=5)]
StandardProbe = Literal["situation", "task", "action", "result", "ownership", "specificity", "reflection"]

_AREA_PROBE = re.compile(r"^area:(?P<area>[a-z0-9]+(?:[-_][a-z0-9]+)*)$")
_STANDARD_PROBES: frozenset[str] = frozenset(StandardProbe.__args__)  # type: ignore[attr-defined]


PRACTICE_CLOSING = (
    "That brings us to the end of this practice. Thank you for walking me through your examples. "
    "Your coaching summary comes next: what went well, and what to work on."
)


class RubricFieldError(ValueError):
    """A problem located at a field of a rubric or kit file: found by a model validator (which
    pydantic reports at the model itself) or by composing a kit with its rubrics.

    `loc` lets a loader point at the field that is actually wrong (its file line and field path).
    """

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Dimension(_Strict):
    """One assessed facet of the competency, with a behavioural anchor for each level."""

    id: QualifiedSlug
    name: Text
    description: Text
    anchors: dict[Level, Text]

    @field_validator("anchors")
    @classmethod
    def _all_levels(cls, anchors: dict[Level, str]) -> dict[Level, str]:
        missing = [level for level in (1, 2, 3, 4, 5) if level not in anchors]
        if missing:
            raise ValueError(f"anchors for levels {missing} are missing; describe all five levels")
        return anchors


class Area(_Strict):
    """Something a good answer to a question covers."""

    id: Slug
    description: Text


class FollowUp(_Strict):
    """A follow-up question and the gap it probes: a STAR slot, ownership, specificity,
    reflection, or `area:<id>` for one of the question's areas."""

    probes: str
    text: Text

    @field_validator("probes")
    @classmethod
    def _known_probe(cls, probes: str) -> str:
        if probes in _STANDARD_PROBES or _AREA_PROBE.match(probes):
            return probes
        allowed = ", ".join(sorted(_STANDARD_PROBES))
        raise ValueError(f"'{probes}' is not a probe target; use one of {allowed}, or area:<area id>")

    @property
    def area(self) -> str | None:
        match = _AREA_PROBE.match(self.probes)
        return match.group("area") if match else None


class Question(_Strict):
    """A behavioural question for one dimension, with areas to cover and follow-ups."""

    id: QualifiedSlug
    dimension: QualifiedSlug
    text: Text
    areas: list[Area] = Field(min_length=1, max_length=6)
    followups: list[FollowUp] = Field(min_length=3, max_length=6)

    @model_validator(mode="after")
    def _areas_exist(self) -> Question:
        area_ids = {area.id for area in self.areas}
        for index, followup in enumerate(self.followups):
            if followup.area is not None and followup.area not in area_ids:
                raise RubricFieldError(
                    ("followups", index, "probes"),
                    f"follow-up probes {followup.probes!r} but question {self.id!r} "
                    f"has no area with that id (areas: {', '.join(sorted(area_ids))})",
                )
        return self

    def followup_for(self, target: str) -> FollowUp | None:
        """The question's own follow-up for a probe target, if it has one."""
        return next((f for f in self.followups if f.probes == target), None)


class GenericFollowUps(_Strict):
    """Neutral follow-ups used when a question has none of its own for a gap."""

    situation: Text
    task: Text
    action: Text
    result: Text
    ownership: Text
    specificity: Text
    reflection: Text


TopicTerm = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=60, to_lower=True)
]


class Topic(_Strict):
    """What the competency is about, so relevance is judged against the rubric in use.

    An answer is on topic when it mentions one of the `terms` (a term matches the word and its
    inflections, so "customer" also matches "customers"); `about` says what the terms stand for.
    A story is off topic when its `elsewhere` signs outnumber its terms, or when it has none of
    the terms and no other person in it at all (unless `needs_people` is false).
    """

    about: Text
    terms: list[TopicTerm] = Field(min_length=3, max_length=200)
    elsewhere: list[TopicTerm] = Field(
        default_factory=list,
        max_length=200,
        description="Signs that a story is about something else, when they outnumber its terms.",
    )
    # Whether the competency always involves other people. When it does, a story with none of the
    # terms and nobody else in it is off topic; when not (solving a problem alone, owning one's
    # own mistake), such a story is judged on its substance. Left out of the hash when true.
    needs_people: bool = Field(default=True, exclude_if=lambda value: value)

    @field_validator("terms")
    @classmethod
    def _distinct(cls, terms: list[str]) -> list[str]:
        repeated = sorted({t for t in terms if terms.count(t) > 1})
        if repeated:
            raise ValueError(f"topic terms listed twice: {', '.join(repeated)}")
        return terms


class Part(_Strict):
    """One competency of a rubric composed from a role kit: which rubric, and how many questions.

    Its topic and generic follow-ups are the competency rubric's own, so relevance and neutral
    follow-ups for its questions are judged and worded for that competency.
    """

    id: Slug
    title: Text
    version: Text
    rubric_hash: str
    questions: int = Field(ge=1, le=12)
    topic: Topic
    generic_followups: GenericFollowUps


class Rubric(_Strict):
    """A competency rubric: the single source of questions, follow-ups and rating anchors."""

    schema_version: Literal[1] = 1
    id: Slug
    version: Text
    title: Text
    summary: Text
    opening: Text
    closing: Text
    # Said at the end of a practice interview instead of `closing`, which speaks of a review by
    # the hiring team. Left out of the content hash when absent, so older rubrics hash as before.
    practice_closing: Text | None = Field(default=None, exclude_if=lambda value: value is None)
    levels: dict[Level, Text]
    # A rubric has at most MAX_DIMENSIONS and MAX_QUESTIONS; a kit's rubric, those of each part.
    dimensions: list[Dimension] = Field(min_length=1, max_length=MAX_DIMENSIONS * 8)
    questions: list[Question] = Field(min_length=1, max_length=MAX_QUESTIONS * 8)
    generic_followups: GenericFollowUps
    topic: Topic
    # Set only on a rubric composed from a role kit (see agent/domain/kit.py): its competencies,
    # in interview order. Its `topic` and `generic_followups` are then the first part's; read a
    # question's with `topic_for` and `followup`.
    parts: list[Part] = Field(default_factory=list, max_length=8, exclude_if=lambda value: not value)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        missing_levels = [level for level in (1, 2, 3, 4, 5) if level not in self.levels]
        if missing_levels:
            raise RubricFieldError(("levels",), f"levels {missing_levels} have no name")
        parts = max(1, len(self.parts))
        for field, items, most in (
            ("dimensions", self.dimensions, MAX_DIMENSIONS),
            ("questions", self.questions, MAX_QUESTIONS),
        ):
            if len(items) > most * parts:
                raise RubricFieldError((field,), f"a rubric has at most {most} {field}, not {len(items)}")
        _unique("dimensions", "dimension", [d.id for d in self.dimensions])
        _unique("questions", "question", [q.id for q in self.questions])
        dimension_ids = {d.id for d in self.dimensions}
        for index, question in enumerate(self.questions):
            if question.dimension not in dimension_ids:
                raise RubricFieldError(
                    ("questions", index, "dimension"),
                    f"question {question.id!r} names dimension {question.dimension!r}, "
                    f"which is not one of: {', '.join(sorted(dimension_ids))}",
                )
        self._qualified_ids()
        return self

    def _qualified_ids(self) -> None:
        """Qualified ids belong to composed rubrics, and name one of their parts."""
        part_ids = {part.id for part in self.parts}
        items = [("dimensions", i, d.id) for i, d in enumerate(self.dimensions)]
        items += [("questions", i, q.id) for i, q in enumerate(self.questions)]
        for field, index, item_id in items:
            competency = competency_of(item_id)
            if competency is None and part_ids:
                raise RubricFieldError((field, index, "id"), f"{item_id!r} names no competency of the kit")
            if competency is not None and not part_ids:
                raise RubricFieldError(
                    (field, index, "id"), f"{item_id!r} may not contain '.': use letters, digits, - and _"
                )
            if competency is not None and competency not in part_ids:
                raise RubricFieldError((field, index, "id"), f"{item_id!r} names a competency not in the kit")

    @property
    def kit_question_count(self) -> int | None:
        """How many questions a kit asks (each part's count); None for a single-competency rubric."""
        return sum(part.questions for part in self.parts) if self.parts else None

    def questions_of(self, part: Part) -> list[Question]:
        """The questions of one kit competency."""
        return [q for q in self.questions if competency_of(q.id) == part.id]

    def part_for(self, question_id: str) -> Part | None:
        """The kit competency a question belongs to; None in a single-competency rubric."""
        competency = competency_of(question_id)
        return next((part for part in self.parts if part.id == competency), None)

    def topic_for(self, question_id: str) -> Topic:
        """What relevance is judged against for this question: its own competency's topic."""
        part = self.part_for(question_id)
        return part.topic if part is not None else self.topic

    def closing_for(self, mode: Literal["practice", "assessment"]) -> str:
        """What the interviewer says last: practice has its own words when the rubric gives them."""
        if mode == "practice":
            return self.practice_closing or PRACTICE_CLOSING
        return self.closing

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def followup(self, question_id: str, target: FollowUpTarget) -> str:
        """The follow-up text for a gap: the question's own, else the rubric's generic one."""
        own = self.question(question_id).followup_for(target)
        if own is not None:
            return own.text
        if target == "none":
            raise ValueError("there is no follow-up for target 'none'")
        part = self.part_for(question_id)
        generic: str = getattr(part.generic_followups if part else self.generic_followups, target)
        return generic

    def content_hash(self) -> str:
        """A stable hash of the rubric's content, recorded in every transcript and evaluation."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _unique(field: str, kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise RubricFieldError((field, index, "id"), f"{kind} id {item!r} is used twice")
        seen.add(item)
