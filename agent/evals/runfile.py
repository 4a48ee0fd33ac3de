"""The run file: everything one eval run measured, with the manifest needed to trust and compare it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.evals.defaults import CaseKind
from agent.evals.errors import HarnessError
from agent.evals.scoring import Check, Stats
from agent.files import write_private

RUN_SCHEMA_VERSION: Literal[1] = 1
CaseStatus = Literal["pass", "fail", "error"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenUsage(_Model):
    """Model calls behind a run: tokens paid for, tokens served from the cache, and estimated cost."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_prompt_tokens: int = 0
    cached_completion_tokens: int = 0
    cost_usd: float | None = None
    cache_hits: int = 0
    cache_misses: int = 0
    cache_writes: int = 0
    rate_limited: int = 0


class PromptFile(_Model):
    sha256: str
    text: str


class RenderedPrompt(_Model):
    """One request as sent, for the prompt diff: the first case (by id) that made this kind of request."""

    case_id: str
    messages: list[tuple[str, str]]


class Manifest(_Model):
    """What was run, with what, and how long it took."""

    run_id: str
    suite: str
    suite_title: str
    suite_hash: str
    starling_version: str
    python: str
    platform: str
    rubric_id: str
    rubric_version: str
    rubric_hash: str
    prompts: dict[str, PromptFile] = Field(default_factory=dict)
    prompts_hash: str = ""
    rendered: dict[str, RenderedPrompt] = Field(default_factory=dict)
    brain: str
    model: str | None = None
    seed: int
    repeat: int = 1
    jobs: int = 1
    filters: list[str] = Field(default_factory=list)
    scorers: dict[str, int] = Field(default_factory=dict)
    started_at: datetime
    finished_at: datetime
    duration_s: float
    cases_per_second: float
    usage: TokenUsage = TokenUsage()


class CaseRecord(_Model):
    """One run of one case: its checks, its stats per scorer, and a compact view of what the agent did."""

    id: str
    kind: CaseKind
    repeat: int = 0
    status: CaseStatus
    critical: bool = False
    tags: list[str] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    stats: dict[str, Stats] = Field(default_factory=dict)
    output: dict[str, Any] = Field(default_factory=dict)
    signature: str = ""
    error: str | None = None
    duration_ms: float = 0.0

    @property
    def failed_checks(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]


class ThresholdResult(_Model):
    metric: str
    minimum: float
    value: float | None
    passed: bool
    note: str = ""


class MetricDelta(_Model):
    """A metric against the baseline, on the paired cases, with a bootstrap confidence interval."""

    metric: str
    baseline: float | None
    current: float | None
    delta: float | None
    low: float | None = None
    high: float | None = None
    max_drop: float
    regression: bool = False
    comparable: bool = True
    note: str = ""


class CheckFlip(_Model):
    name: str
    was: bool
    now: bool
    expected: str = ""
    before: str = ""
    after: str = ""


class Flip(_Model):
    """A case whose status changed between the baseline and this run, and the checks that moved."""

    case_id: str
    kind: CaseKind
    was: str
    now: str
    checks: list[CheckFlip] = Field(default_factory=list)

    @property
    def regressed(self) -> bool:
        """A check that passed now fails, or the case stopped passing."""
        return (self.was == "pass" and self.now != "pass") or any(c.was and not c.now for c in self.checks)


class Comparison(_Model):
    baseline_path: str
    baseline_run_id: str
    baseline_brain: str
    paired: int
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    deltas: list[MetricDelta] = Field(default_factory=list)
    flips: list[Flip] = Field(default_factory=list)
    prompt_diff: str = ""
    rendered_diff: str = ""
    changes: dict[str, tuple[str, str]] = Field(default_factory=dict)
    confidence: float = 0.95
    bootstrap: int = 1000


class Verdict(_Model):
    status: Literal["pass", "fail", "error"]
    exit_code: int
    reasons: list[str] = Field(default_factory=list)


class RunFile(_Model):
    """The whole `--json` document."""

    schema_version: Literal[1] = RUN_SCHEMA_VERSION
    manifest: Manifest
    metrics: dict[str, float] = Field(default_factory=dict)
    agreement: dict[str, float] = Field(default_factory=dict)
    cases: list[CaseRecord] = Field(default_factory=list)
    thresholds: list[ThresholdResult] = Field(default_factory=list)
    comparison: Comparison | None = None
    verdict: Verdict | None = None

    def case_ids(self) -> list[str]:
        return list(dict.fromkeys(case.id for case in self.cases))

    def save(self, path: Path) -> None:
        write_private(path, self.model_dump_json(indent=1) + "\n")


def load_run(path: Path) -> RunFile:
    """A run file written by `--json`; anything else is a harness error that says what to do."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise HarnessError(
            f"No such run file: {path}",
            hint="Record one with: starling eval SUITE --json PATH",
        ) from error
    except (OSError, ValueError) as error:
        raise HarnessError(f"Cannot read the run file {path}: {error}") from error
    if isinstance(data, dict) and data.get("schema_version", RUN_SCHEMA_VERSION) != RUN_SCHEMA_VERSION:
        raise HarnessError(
            f"{path} was written by a different Starling (run schema {data.get('schema_version')}).",
            hint="Record the baseline again with this version.",
        )
    try:
        return RunFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise HarnessError(
            f"{path} is not a Starling eval run file ({where}: {first['msg']}).",
            hint="Pass a file written by: starling eval SUITE --json PATH",
        ) from error
