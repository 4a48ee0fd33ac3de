"""What the project ships: enough personas, gold transcripts, labelled answers and next-turn cases."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from agent.evals.cases import kind_of
from agent.evals.corpus import corpus_files, records
from agent.evals.suite_loader import load_suite
from tests.evals.conftest import REPO, SUITES

REQUIRED_BEHAVIOURS = {
    "never-result",
    "we-only",
    "situation-rambler",
    "cannot-recall",
    "hypothetical",
    "prompt-injector",
    "off-topic",
    "gibberish",
    "strong",
}


def test_the_corpus_is_big_enough_to_learn_from_and_to_measure() -> None:
    train = records(corpus_files("train"))
    test = records(corpus_files("test"))
    assert len(train) + len(test) >= 2000
    assert len(test) >= 400
    assert len(train) >= 1600


@pytest.mark.parametrize("name", ["smoke", "full"])
def test_shipped_suites_load(name: str) -> None:
    suite = load_suite(SUITES / f"{name}.yaml")
    kinds = Counter(kind_of(case) for case in suite.cases)
    assert set(kinds) == {"analysis", "next_turn", "simulated_interview", "evaluation_calibration"}
    assert suite.thresholds, "a gate without floors passes anything"
    assert len(suite.personas) >= 10
    assert set(suite.personas) >= REQUIRED_BEHAVIOURS
    assert len(suite.transcripts) >= 20
    assert kinds["next_turn"] >= 25


def test_the_full_suite_covers_every_labelled_answer() -> None:
    full = load_suite(SUITES / "full.yaml")
    smoke = load_suite(SUITES / "smoke.yaml")
    full_ids = {case.id for case in full.cases}
    assert {record.id for record in records(corpus_files("train"))} <= full_ids
    assert not {record.id for record in records(corpus_files("test"))} & full_ids, "test split tunes nothing"
    assert {case.id for case in smoke.cases} <= full_ids


def test_every_gold_transcript_scores_every_answered_question() -> None:
    suite = load_suite(SUITES / "full.yaml")
    golds = [q.gold for t in suite.transcripts.values() for q in t.questions if not q.skipped]
    scored = [g for g in golds if g is not None]
    assert len(scored) >= 50
    assert set(scored) == {1, 2, 3, 4, 5}, "gold scores should use the whole scale"


def test_case_ids_are_stable_names() -> None:
    suite = load_suite(SUITES / "full.yaml")
    ids = [case.id for case in suite.cases]
    assert len(ids) == len(set(ids))
    assert "sim-we-only-s1" in ids
    assert "cal-t01-hotel-night-manager" in ids
    assert "nt-cannot-recall" in ids


def test_every_persona_file_is_used() -> None:
    personas = load_suite(SUITES / "smoke.yaml").personas
    assert {path.stem for path in (REPO / "evals" / "personas").glob("*.yaml")} == set(personas)


def test_no_eval_data_file_is_empty() -> None:
    for path in Path(REPO / "evals").rglob("*.y*ml"):
        assert path.read_text(encoding="utf-8").strip(), path
