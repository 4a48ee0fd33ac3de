"""Shared fixtures: the bundled rubric, a deterministic clock, a temporary store and a scripted brain."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.brains.offline.evaluator import evaluate_interview
from agent.brains.protocol import InterviewFacts
from agent.domain.evaluation import Evaluation
from agent.domain.policy import InterviewState
from agent.domain.rubric import Rubric, Topic
from agent.domain.star import (
    STAR_SLOTS,
    Ownership,
    RedFlag,
    SlotFinding,
    SlotStatus,
    StarAnalysis,
    StarFindings,
)
from agent.rubrics import load_rubric
from agent.storage import TranscriptStore

REPO = Path(__file__).resolve().parent.parent
RUBRIC_FILE = REPO / "rubrics" / "customer-focus.yaml"
FIXED_START = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)

_CODES: dict[str, SlotStatus] = {"+": "present", "~": "partial", "-": "missing"}


def analysis(
    code: str = "++++",
    *,
    ownership: Ownership = "clear",
    specific: bool = True,
    quantified: bool = False,
    declined: bool = False,
    score: int = 3,
    flags: Iterable[RedFlag] = (),
    evidence: dict[str, list[str]] | None = None,
    reflection: bool = False,
    rationale: str = "scripted",
) -> StarAnalysis:
    """A StarAnalysis from a four-letter code over situation, task, action, result.

    `+` present, `~` partial, `-` missing: `analysis("++-~")` has a missing action and a partial result.
    """
    if len(code) != 4 or any(c not in _CODES for c in code):
        raise ValueError(f"bad STAR code {code!r}; use four of + ~ -")
    quotes = evidence or {}
    findings = {
        slot: SlotFinding(status=_CODES[c], evidence=quotes.get(slot, []))
        for slot, c in zip(STAR_SLOTS, code, strict=True)
    }
    return StarAnalysis(
        star=StarFindings(**findings),
        ownership=ownership,
        specific_example=specific,
        quantified_result=quantified,
        reflection=reflection,
        red_flags=list(flags),
        declined=declined,
        score=score,
        rationale=rationale,
        word_count=42,
        brain="fake",
    )


def complete(score: int = 4) -> StarAnalysis:
    """An answer with no gaps at all."""
    return analysis("++++", score=score)


def declined() -> StarAnalysis:
    """The candidate could not recall an example."""
    return analysis("----", ownership="unclear", specific=False, declined=True, score=1)


class FixedClock:
    """A deterministic clock: starts at a fixed instant and moves one second per reading."""

    def __init__(self, start: datetime = FIXED_START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        current = self.now
        self.now = current + timedelta(seconds=1)
        return current


class BrainCrashed(RuntimeError):
    """Raised by the fake brain on request, to interrupt a session mid-analysis."""


@dataclass
class FakeBrain:
    """A brain whose analyses come from a queue, so flow tests never depend on the offline analyser.

    `evaluate` scores the latest scripted analysis of each question with the offline evaluator,
    which reads analyses only, so an evaluation is produced without any judgement of text.
    """

    analyses: deque[StarAnalysis] = field(default_factory=deque)
    default: StarAnalysis | None = None
    crash_on_call: int | None = None
    name: str = "fake"
    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    evaluations: int = 0

    def queue(self, *items: StarAnalysis) -> FakeBrain:
        self.analyses.extend(items)
        return self

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        self.calls.append((question, tuple(replies)))
        if self.crash_on_call is not None and len(self.calls) == self.crash_on_call:
            raise BrainCrashed(f"scripted crash on analysis call {self.crash_on_call}")
        if self.analyses:
            return self.analyses.popleft()
        if self.default is not None:
            return self.default
        raise AssertionError(f"FakeBrain has no analysis queued for call {len(self.calls)}: {replies!r}")

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        self.evaluations += 1
        # The offline evaluator reads only the scripted analyses, so it adds no judgement of text.
        return evaluate_interview(state, facts, brain=self.name)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's settings file or writes to the user's data folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))  # Settings() built directly
    monkeypatch.setenv("STARLING_HOME", str(tmp_path_factory.mktemp("default-home")))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "STARLING_MODEL", "STARLING_BRAIN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return load_rubric("customer-focus")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(tmp_path: Path) -> TranscriptStore:
    return TranscriptStore(tmp_path / "transcripts")


@pytest.fixture
def brain() -> FakeBrain:
    return FakeBrain()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh STARLING_HOME for CLI runs."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("STARLING_HOME", str(folder))
    yield folder
