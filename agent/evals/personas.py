"""Scripted candidate personas: known behaviour, deterministic replies, what the interviewer must do."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from agent.domain.rubric import Rubric
from agent.domain.transcript import Turn
from agent.evals.cases import InterviewExpect
from agent.evals.errors import HarnessError, LocatedError

Reply = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
DEFAULT = "default"
_FOLLOWUP_KEYS = {"situation", "task", "action", "result", "ownership", "specificity", "reflection", DEFAULT}


class Persona(BaseModel):
    """A candidate with one known behaviour, scripted so that every run plays out the same way.

    `answers` maps a rubric question id (or `default`) to replies, used in turn across questions;
    `followups` maps a probe target (or `default`) to replies, used in turn each time it is probed.
    A reply of `/skip` or `/end` acts as that command.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=48)]
    name: str = Field(min_length=1, max_length=80)
    behaviour: str = Field(min_length=1, max_length=200)
    description: str = ""
    answers: dict[str, list[Reply]]
    followups: dict[str, list[Reply]] = Field(default_factory=dict)
    expect: InterviewExpect
    # The rubrics (or kits) whose questions its stories answer; empty when its behaviour fits any.
    rubrics: list[str] = Field(default_factory=list)

    def fits(self, rubric_id: str) -> bool:
        return not self.rubrics or rubric_id in self.rubrics

    @model_validator(mode="after")
    def _defaults_present(self) -> Persona:
        if DEFAULT not in self.answers:
            raise LocatedError(("answers",), "needs a 'default' list for questions without their own replies")
        for key, replies in (*self.answers.items(), *self.followups.items()):
            if not replies:
                raise LocatedError((key,), "needs at least one reply")
        for key in self.followups:
            if key not in _FOLLOWUP_KEYS and not key.startswith("area:"):
                raise LocatedError(
                    ("followups", key), f"'{key}' is not a probe target; use one of {sorted(_FOLLOWUP_KEYS)}"
                )
        return self

    def unknown_questions(self, rubric: Rubric) -> list[str]:
        known = {question.id for question in rubric.questions}
        return [key for key in self.answers if key != DEFAULT and key not in known]


class ScriptedCandidate:
    """Plays a persona: picks the reply to each interviewer turn, deterministically."""

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self._questions = 0
        self._used: Counter[str] = Counter()

    def reply(self, turn: Turn) -> str:
        if turn.ask == "question":
            self._questions += 1
            key = turn.question_id if turn.question_id in self.persona.answers else DEFAULT
            replies = self.persona.answers[key]
            index = self._questions - 1 if key == DEFAULT else self._used[key]
        elif turn.ask == "followup":
            target = turn.target or DEFAULT
            key = target if target in self.persona.followups else DEFAULT
            replies = self.persona.followups.get(key) or self.persona.answers[DEFAULT]
            index = self._used[f"followup:{key}"]
            key = f"followup:{key}"
        else:
            raise HarnessError(f"persona {self.persona.id} was asked to reply to a {turn.ask} turn")
        self._used[key] += 1
        return replies[index % len(replies)]
