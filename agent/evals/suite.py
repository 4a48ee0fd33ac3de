"""Eval suites as data: the schema of a suite file, and the loaded suite the runner works from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.domain.policy import Mode
from agent.domain.rubric import Rubric, Topic
from agent.evals.cases import (
    Case,
    InterviewExpect,
    NextTurnCase,
    Perturbation,
    Tag,
)
from agent.evals.errors import SuiteError
from agent.evals.gold import GoldTranscript
from agent.evals.personas import Persona

LabelName = Literal[
    "situation",
    "task",
    "action",
    "result",
    "ownership",
    "specific_example",
    "quantified_result",
    "reflection",
    "declined",
    "red_flags",
    "followup_target",
    "score",
]
ALL_LABELS: tuple[LabelName, ...] = LabelName.__args__  # type: ignore[attr-defined]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Selection(_Strict):
    """Which items of a source to use: by id, by tag, every Nth, at most N."""

    source: str = Field(alias="from", min_length=1)
    ids: list[str] | None = None
    tags: list[Tag] = Field(default_factory=list)
    exclude_tags: list[Tag] = Field(default_factory=list)
    every: int = Field(default=1, ge=1)
    limit: int | None = Field(default=None, ge=1)
    critical: bool = False


class AnalysisSource(Selection):
    labels: list[LabelName] = Field(default_factory=lambda: list(ALL_LABELS))
    # Only the corpus records asked about these competencies (default: every record).
    competencies: list[str] = Field(default_factory=list)
    invariance: list[Perturbation] = Field(default_factory=list)
    # Tell each story over two replies, one STAR part held back for a follow-up as an interview
    # would ask for it (the same labels are expected): does the reader hear a story told in parts?
    told_in_two: bool = False


class NextTurnFile(_Strict):
    schema_version: Literal[1] = 1
    cases: list[NextTurnCase] = Field(min_length=1)


class SimulatedSource(_Strict):
    """Interviews with personas: every persona listed (`*` for all) times every seed."""

    personas: list[str] = Field(min_length=1)
    seeds: list[int] = Field(default_factory=lambda: [1], min_length=1)
    questions: int = Field(default=3, ge=1, le=12)
    plan: list[str] | None = None
    max_followups: int = Field(default=2, ge=0, le=4)
    mode: Mode = "practice"
    suffix: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,24}$")] | None = None
    # Interview on this rubric or kit instead of the suite's; `*` then picks the personas that fit it.
    rubric: str | None = None
    expect: InterviewExpect | None = None
    critical: bool = False


class Threshold(_Strict):
    """A floor on a metric's value, and how far it may fall against a baseline."""

    min: float | None = None
    max_drop: float | None = Field(default=None, ge=0)


class CompareSettings(_Strict):
    max_drop: float = Field(default=0.02, ge=0, description="A drop smaller than this is never a regression.")
    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    bootstrap: int = Field(default=1000, ge=100, le=100_000)


class SuiteFile(_Strict):
    """The top level of `evals/suites/<id>.yaml`. Case entries are validated one by one."""

    schema_version: Literal[1] = 1
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
    title: str = Field(min_length=1)
    description: str = ""
    rubric: str = "customer-focus"
    seed: int = 0
    personas_dir: str = "../personas"
    analysis: list[dict[str, Any]] = Field(default_factory=list)
    next_turn: list[dict[str, Any]] = Field(default_factory=list)
    simulated_interview: list[dict[str, Any]] = Field(default_factory=list)
    evaluation_calibration: list[dict[str, Any]] = Field(default_factory=list)
    thresholds: dict[str, Threshold] = Field(default_factory=dict)
    compare: CompareSettings = CompareSettings()


@dataclass
class Suite:
    """A suite ready to run: its cases in file order, and everything they refer to."""

    id: str
    title: str
    path: Path
    rubric: Rubric
    seed: int
    cases: list[Case]
    thresholds: dict[str, Threshold]
    compare: CompareSettings
    personas: dict[str, Persona] = field(default_factory=dict)
    transcripts: dict[str, GoldTranscript] = field(default_factory=dict)
    labels: dict[str, tuple[LabelName, ...]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    # The topic of every competency an analysis case names, for judging its relevance.
    topics: dict[str, Topic] = field(default_factory=dict)
    # Rubrics and kits that simulated interviews use besides the suite's own, by id.
    rubrics: dict[str, Rubric] = field(default_factory=dict)

    def rubric_for(self, case: Case) -> Rubric:
        """The rubric a case runs on: its own when it names one, else the suite's."""
        own = getattr(case, "rubric", None)
        return self.rubrics[own] if isinstance(own, str) else self.rubric

    @property
    def content_hash(self) -> str:
        """One hash over the suite file and every data file it uses."""
        payload = "\n".join(f"{name}:{digest}" for name, digest in sorted(self.files.items()))
        return "sha256:" + hashlib.sha256(payload.encode()).hexdigest()[:16]


def find_suite(name: str, search: list[Path]) -> Path:
    """A suite file from a path, or from its id in the `evals/suites` folders searched."""
    direct = Path(name)
    if direct.suffix in {".yaml", ".yml"}:
        if direct.is_file():
            return direct
        raise SuiteError(f"No such suite file: {direct}")
    for folder in search:
        for suffix in (".yaml", ".yml"):
            candidate = folder / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    folders = list(dict.fromkeys(folder.resolve() for folder in search))
    known = sorted({p.stem for folder in folders if folder.is_dir() for p in folder.glob("*.y*ml")})
    raise SuiteError(
        f"No eval suite called '{name}'.",
        hint=f"Known suites: {', '.join(known) or 'none'} (looked in {', '.join(map(str, folders))}).",
    )
