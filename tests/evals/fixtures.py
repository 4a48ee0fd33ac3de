"""Deliberately degraded brains and rubrics: the gate must catch each of them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from agent.brains.offline import OfflineBrain, analyze_answer
from agent.domain.rubric import Topic
from agent.domain.star import SlotFinding, StarAnalysis, StarFindings
from agent.errors import BrainError
from tests.evals.conftest import REPO


class OwnershipBlindBrain(OfflineBrain):
    """Reads every answer as if the candidate's own part were clear: never hears 'only we'."""

    name = "ownership-blind"

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        return analyze_answer(question, replies, topic).model_copy(update={"ownership": "clear"})


class NeverProbesBrain(OfflineBrain):
    """Finds every answer complete and specific, so the interviewer never asks a follow-up."""

    name = "never-probes"

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        found = analyze_answer(question, replies, topic)
        present = SlotFinding(status="present")
        star = StarFindings(situation=present, task=present, action=present, result=present)
        return found.model_copy(update={"star": star, "specific_example": True, "ownership": "clear"})


class AlwaysMissingBrain(OfflineBrain):
    """Sees nothing in any answer."""

    name = "always-missing"

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        found = analyze_answer(question, replies, topic)
        missing = SlotFinding(status="missing")
        star = StarFindings(situation=missing, task=missing, action=missing, result=missing)
        return found.model_copy(update={"star": star, "score": 1, "specific_example": False})


class UnreachableModelBrain(OfflineBrain):
    """A model brain whose server is down: an infrastructure fault, not the agent's."""

    name = "unreachable"

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        raise BrainError("The model server could not be reached.")


class CrashingBrain(OfflineBrain):
    """An analyser with a bug: the agent's own fault."""

    name = "crashing"

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        raise ValueError("analyser bug")


class FallingBackBrain(OfflineBrain):
    """A model brain that quietly handed every turn to its offline fallback."""

    name = "falls-back"

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        return analyze_answer(question, replies, topic).model_copy(update={"brain": "offline (fallback)"})


def degraded_rubric(folder: Path) -> Path:
    """The shipped rubric with personality words in its anchors: scored constructs nobody declared."""
    data = yaml.safe_load((REPO / "rubrics" / "customer-focus.yaml").read_text(encoding="utf-8"))
    for dimension in data["dimensions"]:
        for level in (3, 4, 5):
            dimension["anchors"][level] += " Comes across as confident, with a positive attitude."
    path = folder / "customer-focus.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


BRAINS = {
    "ownership-blind": OwnershipBlindBrain,
    "never-probes": NeverProbesBrain,
    "always-missing": AlwaysMissingBrain,
    "unreachable": UnreachableModelBrain,
    "crashing": CrashingBrain,
    "falls-back": FallingBackBrain,
}
