"""Labelled answers and per-label accuracy of an analyser against them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.domain.star import (
    RED_FLAGS,
    STAR_SLOTS,
    FollowUpTarget,
    Ownership,
    RedFlag,
    SlotStatus,
    StarAnalysis,
    primary_gap,
)
from agent.errors import InputError


class ExpectedStar(BaseModel):
    model_config = ConfigDict(extra="forbid")

    situation: SlotStatus
    task: SlotStatus
    action: SlotStatus
    result: SlotStatus


class ExpectedLabels(BaseModel):
    """What a careful human interviewer says the answer shows."""

    model_config = ConfigDict(extra="forbid")

    star: ExpectedStar
    ownership: Ownership
    specific_example: bool
    quantified_result: bool
    red_flags: list[RedFlag]
    declined: bool
    followup_target: FollowUpTarget
    score: int = Field(ge=1, le=5)


class LabelledAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    answer: str
    labels: ExpectedLabels
    tags: list[str] = Field(default_factory=list)
    note: str = ""


def load_labelled(paths: Iterable[Path]) -> list[LabelledAnswer]:
    items: list[LabelledAnswer] = []
    seen: set[str] = set()
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = LabelledAnswer.model_validate(json.loads(line))
            except (ValueError, ValidationError) as error:
                raise InputError(f"{path}, line {number}: {error}") from error
            if item.id in seen:
                raise InputError(f"{path}, line {number}: id {item.id!r} is used twice")
            seen.add(item.id)
            items.append(item)
    return items


@dataclass
class Tally:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass
class FlagTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    support: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class LabelReport:
    """Per-label accuracy, per-flag precision/recall/F1, and the misses for inspection."""

    labels: dict[str, Tally] = field(default_factory=dict)
    flags: dict[str, FlagTally] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)
    count: int = 0

    def add(self, label: str, item_id: str, ok: bool) -> None:
        tally = self.labels.setdefault(label, Tally())
        tally.total += 1
        if ok:
            tally.correct += 1
        else:
            self.misses.setdefault(label, []).append(item_id)

    def markdown(self) -> str:
        lines = ["| Label | Accuracy | Correct / total |", "| --- | --- | --- |"]
        for label, tally in self.labels.items():
            lines.append(f"| {label} | {tally.accuracy:.0%} | {tally.correct} / {tally.total} |")
        lines += ["", "| Red flag | Precision | Recall | F1 | Support |", "| --- | --- | --- | --- | --- |"]
        for flag, t in self.flags.items():
            lines.append(f"| {flag} | {t.precision:.0%} | {t.recall:.0%} | {t.f1:.2f} | {t.support} |")
        return "\n".join(lines)


Analyse = Callable[[str, str], StarAnalysis]


def measure(analyse: Analyse, items: list[LabelledAnswer]) -> LabelReport:
    report = LabelReport(count=len(items))
    for flag in RED_FLAGS:
        report.flags[flag] = FlagTally()
    for item in items:
        got = analyse(item.question, item.answer)
        want = item.labels
        for slot in STAR_SLOTS:
            report.add(slot, item.id, got.star.status(slot) == getattr(want.star, slot))
        report.add("ownership", item.id, got.ownership == want.ownership)
        report.add("specific_example", item.id, got.specific_example == want.specific_example)
        report.add("quantified_result", item.id, got.quantified_result == want.quantified_result)
        report.add("declined", item.id, got.declined == want.declined)
        report.add("followup_target", item.id, primary_gap(got).target == want.followup_target)
        report.add("score (exact)", item.id, got.score == want.score)
        report.add("score (within 1)", item.id, abs(got.score - want.score) <= 1)
        for flag in RED_FLAGS:
            tally = report.flags[flag]
            expected, predicted = flag in want.red_flags, flag in got.red_flags
            tally.support += expected
            tally.tp += expected and predicted
            tally.fp += predicted and not expected
            tally.fn += expected and not predicted
    return report


def main() -> None:
    """Print the offline analyser's accuracy on the shipped labelled answers as Markdown."""
    import sys

    from agent.brains.offline import analyze_answer

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("evals/datasets")
    items = load_labelled(sorted(folder.glob("answers*.jsonl")))
    report = measure(lambda q, a: analyze_answer(q, [a]), items)
    sys.stdout.write(f"{report.count} labelled answers\n\n{report.markdown()}\n")
    if "-v" in sys.argv:
        for label, ids in report.misses.items():
            sys.stdout.write(f"\n{label}: {' '.join(ids)}\n")


if __name__ == "__main__":
    main()
