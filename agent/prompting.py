"""Prompts as Jinja2 templates in `prompts/`, rendered strictly from typed context models.

An undefined variable is an error, never an empty string. Candidate text reaches a template only
as a value (never as template source), and templates wrap it in `<candidate_reply>` tags through
the `data` filter, which also disarms any tag the candidate typed themselves.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field

from agent.llm.protocol import ChatMessage
from agent.resources import bundled_dir

_TAG = re.compile(r"<(\s*/?\s*)(candidate_reply)", re.IGNORECASE)


def as_data(text: str) -> str:
    """Candidate text made safe to place between our delimiters: their own tags are disarmed."""
    return _TAG.sub(r"‹\1\2", text)


@functools.cache
def environment(folder: Path | None = None) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder or bundled_dir("prompts"))),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["data"] = as_data
    return env


class _Context(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exchange(_Context):
    """One candidate reply, and the follow-up it answered (None for the answer to the question)."""

    followup: str | None = None
    reply: str


class AnalysisPrompt(_Context):
    """Everything the analysis templates may use: the compact state of one question, nothing more."""

    question: str
    exchanges: list[Exchange] = Field(min_length=1)
    personalise: bool = True
    truncated: bool = False


class Anchor(_Context):
    level: int
    name: str
    text: str


class EvaluationPrompt(_Context):
    """Everything the per-question evaluation templates may use; no other question, no earlier score."""

    question: str
    dimension_name: str
    dimension_description: str
    anchors: list[Anchor]
    areas: list[str]
    exchanges: list[Exchange] = Field(min_length=1)
    truncated: bool = False


# Each request kind: its system and user templates, and the one context model both render from.
TEMPLATES: dict[str, tuple[str, str, type[_Context]]] = {
    "analysis": ("analysis.system.j2", "analysis.user.j2", AnalysisPrompt),
    "evaluation": ("evaluation.system.j2", "evaluation.user.j2", EvaluationPrompt),
}


def render(template: str, context: BaseModel, folder: Path | None = None) -> str:
    """One template rendered from a context model's fields (models stay models inside)."""
    values = {name: getattr(context, name) for name in type(context).model_fields}
    return environment(folder).get_template(template).render(**values).strip()


def messages(kind: str, context: BaseModel, folder: Path | None = None) -> tuple[ChatMessage, ChatMessage]:
    """The system and user messages for a request kind."""
    system, user, expected = TEMPLATES[kind]
    if not isinstance(context, expected):
        raise TypeError(f"{kind} prompts render from {expected.__name__}, not {type(context).__name__}")
    return (
        ChatMessage(role="system", content=render(system, context, folder)),
        ChatMessage(role="user", content=render(user, context, folder)),
    )
