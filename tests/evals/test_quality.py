"""The quality report prints the label scorer's own figures, and the labellers' agreement label by label."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent.evals import quality
from agent.evals.corpus import Record, corpus_files, gold_analysis, records
from agent.evals.runfile import RunFile
from agent.evals.scorers.labels import ACCURACY, CLASSES, FLAG_F1, MACRO_F1, predicted_labels
from agent.evals.suite import Suite
from tests.evals.conftest import REPO


@pytest.fixture(scope="module")
def double() -> list[Record]:
    return records(sorted((REPO / "evals" / "corpus" / "double").glob("*.jsonl")))


@pytest.fixture(scope="module")
def primary() -> list[Record]:
    return records([*corpus_files("train"), *corpus_files("test")])


def test_gold_labels_read_the_record_as_labelled(primary: list[Record]) -> None:
    for record in primary[:200]:
        labels, gold = record.labels, predicted_labels(gold_analysis(record))
        assert {slot: gold[slot] for slot in ("situation", "task", "action", "result")} == labels.star()
        assert gold["ownership"] == labels.ownership
        assert gold["specific_example"] == ("yes" if labels.specific_example else "no")


def test_labellers_kappa_is_that_of_the_labels_as_written(
    primary: list[Record], double: list[Record]
) -> None:
    kappa = quality.agreement(primary, double)
    assert set(CLASSES) <= set(kappa)
    first = {r.id: r.labels for r in primary}
    pairs = [(first[r.id], r.labels) for r in double if r.id in first]
    assert kappa["n"] == len(pairs) > 100
    # Spelling a yes/no label "yes"/"no" rather than true/false moves no kappa.
    for label in ("situation", "ownership", "specific_example", "quantified_result", "declined"):
        written = quality.cohen_kappa([(getattr(a, label), getattr(b, label)) for a, b in pairs])
        assert kappa[label] == pytest.approx(written), label
    same = quality.agreement(double, double)
    assert all(same[key] == 1.0 for key in same if key != "n")


def test_the_report_prints_the_metrics_of_the_frozen_run(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: dict[str, tuple[Suite, RunFile]] = {}
    real = quality.frozen_run

    def remembered(name: str = "frozen") -> tuple[Suite, RunFile]:
        runs[name] = real(name)
        return runs[name]

    monkeypatch.setattr(quality, "frozen_run", remembered)
    text = quality.report()
    suite, run = runs["frozen"]
    rows: dict[str, list[str]] = {}
    for first, rest in _rows(text):
        rows.setdefault(first, rest)
    assert text.startswith(f"Frozen test split: {len(suite.cases)} answers")
    for label in CLASSES:
        want = [f"{run.metrics[ACCURACY[label].key]:.2f}", f"{run.metrics[MACRO_F1[label].key]:.2f}"]
        assert rows[label][:2] == want, label
    assert rows["off_topic"][0] == f"{run.metrics[FLAG_F1['off_topic'].key]:.2f}"
    confusion = [rows[str(gold)] for gold in range(1, 6)]
    assert sum(int(cells[-1]) for cells in confusion) == sum(int(n) for n in rows["predicted count"][:5])


def _rows(text: str) -> Iterator[tuple[str, list[str]]]:
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            first, *rest = (cell.strip() for cell in line.strip("|").split("|"))
            yield first, rest
