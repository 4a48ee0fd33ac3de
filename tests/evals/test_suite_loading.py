"""Suites are validated data: every problem names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.evals.cases import AnalysisCase
from agent.evals.errors import SuiteError
from agent.evals.suite import find_suite
from agent.evals.suite_loader import load_suite
from tests.evals.conftest import REPO, SUITES

DATASETS = REPO / "evals" / "datasets"
CORPUS = REPO / "evals" / "corpus" / "train"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> str:
    with pytest.raises(SuiteError) as caught:
        load_suite(path)
    return str(caught.value)


def test_an_unknown_key_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "id: s\ntitle: S\nanalyses: []\n")
    message = problems(path)
    assert f"{path}:3: analyses: Extra inputs are not permitted" in message


def test_every_bad_entry_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        f"""id: s
title: S
analysis:
  - from: {CORPUS}/rl.jsonl
    every: 0
    invariance: [injection, sarcasm]
next_turn:
  - id: nt-x
    question: upset-customer
    turns:
      - candidate: I always stay calm.
    expect: {{action: probe}}
  - id: nt-y
    question: no-such-question
    turns:
      - candidate: hi
    expect: {{action: move_on}}
thresholds:
  labels.accuracy.bogus: {{min: 0.5}}
""",
    )
    message = problems(path)
    assert f"{path}:5: analysis.0.every: Input should be greater than or equal to 1" in message
    assert f"{path}:6: analysis.0.invariance.1: Input should be 'injection', 'names' or 'filler'" in message
    assert f"{path}:12: next_turn.0.expect.target: a probe needs the target it must probe" in message
    assert (
        f"{path}:14: next_turn.1.question: rubric 'customer-focus' has no question 'no-such-question'"
        in message
    )
    assert f"{path}:19: thresholds.labels.accuracy.bogus: no metric called 'labels.accuracy.bogus'" in message


def test_a_dataset_line_is_named(tmp_path: Path) -> None:
    write(tmp_path, "data/bad.jsonl", '{"id": "z1", "question": "Q", "answer": "A"}\n')
    path = write(tmp_path, "suites/s.yaml", "id: s\ntitle: S\nanalysis:\n  - from: ../data/bad.jsonl\n")
    message = problems(path)
    assert "bad.jsonl:1: labels: Field required" in message


def test_a_missing_source_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "id: s\ntitle: S\nanalysis:\n  - from: ../nowhere/*.jsonl\n")
    assert f"{path}:4: analysis.0.from: No files match '../nowhere/*.jsonl'" in problems(path)


def test_duplicate_case_ids_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        f"id: s\ntitle: S\nanalysis:\n  - from: {CORPUS}/rl.jsonl\n    ids: [a001]\n"
        f"  - from: {CORPUS}/rl.jsonl\n    ids: [a001]\n",
    )
    assert "case id 'a001' is already used by analysis.0" in problems(path)


def test_selecting_an_unknown_id_is_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        f"id: s\ntitle: S\nanalysis:\n  - from: {CORPUS}/rl.jsonl\n    ids: [zzz]\n",
    )
    assert f"{path}:5: analysis.0.ids.0: no item with id 'zzz'" in problems(path)


def test_a_bad_persona_file_is_named(tmp_path: Path) -> None:
    write(tmp_path, "personas/p.yaml", "id: p\nname: P\nbehaviour: b\nanswers:\n  upset: [hi]\nexpect: {}\n")
    path = write(tmp_path, "suites/s.yaml", "id: s\ntitle: S\nsimulated_interview:\n  - personas: ['*']\n")
    message = problems(path)
    assert "p.yaml:4: answers: needs a 'default' list" in message


def test_a_persona_answer_for_an_unknown_question_is_named(tmp_path: Path) -> None:
    write(
        tmp_path,
        "personas/p.yaml",
        "id: p\nname: P\nbehaviour: b\nanswers:\n  default: [hi]\n  upset: [hi]\nexpect: {}\n",
    )
    path = write(tmp_path, "suites/s.yaml", "id: s\ntitle: S\nsimulated_interview:\n  - personas: [p]\n")
    assert "p.yaml:6: answers.upset: rubric 'customer-focus' has no question 'upset'" in problems(path)


def test_a_bad_gold_transcript_is_named(tmp_path: Path) -> None:
    write(
        tmp_path,
        "transcripts/t1.yaml",
        "id: t1\ncandidate: C\nquestions:\n  - question: upset-customer\n    turns:\n"
        "      - candidate: hi\n      - probe: result\n    gold: 6\n    why: w\n",
    )
    path = write(
        tmp_path,
        "suites/s.yaml",
        "id: s\ntitle: S\nevaluation_calibration:\n  - from: ../transcripts/*.yaml\n",
    )
    message = problems(path)
    assert "t1.yaml:8: questions.0.gold: Input should be less than or equal to 5" in message


def test_invalid_yaml_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "id: s\ntitle: [unclosed\n")
    assert f"{path}:3: is not valid YAML" in problems(path)


def test_a_suite_without_cases_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "id: s\ntitle: S\n")
    assert "has no cases" in problems(path)


def test_suites_are_found_by_id_or_path(tmp_path: Path) -> None:
    assert find_suite("smoke", [SUITES]) == SUITES / "smoke.yaml"
    assert find_suite(str(SUITES / "full.yaml"), []) == SUITES / "full.yaml"
    with pytest.raises(
        SuiteError,
        match="Known suites: adaptability, conflict, frozen, frozen-replies, full, kits, leadership, ownership, problem-solving, smoke, teamwork",
    ):
        find_suite("nope", [SUITES])


def test_selection_by_tag_every_and_limit(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        f"id: s\ntitle: S\nanalysis:\n  - from: {CORPUS}/*.jsonl\n    tags: [injection]\n"
        "    every: 2\n    limit: 3\n",
    )
    suite = load_suite(path)
    assert len(suite.cases) == 3
    assert all("injection" in case.tags for case in suite.cases)


def test_every_nth_is_counted_in_each_file_so_a_new_file_leaves_the_others_picks_alone(
    tmp_path: Path,
) -> None:
    lines = (CORPUS / "tr1.jsonl").read_text(encoding="utf-8").splitlines()
    write(tmp_path, "corpus/b.jsonl", "\n".join(lines[:10]) + "\n")
    suite_file = write(
        tmp_path, "s.yaml", f"id: s\ntitle: S\nanalysis:\n  - from: {tmp_path}/corpus/*.jsonl\n    every: 3\n"
    )
    before = [case.id for case in load_suite(suite_file).cases]
    assert len(before) == 4  # items 0, 3, 6 and 9 of the file
    write(tmp_path, "corpus/a.jsonl", "\n".join(lines[10:15]) + "\n")  # sorts first
    after = [case.id for case in load_suite(suite_file).cases]
    assert after[2:] == before, "the first file's two picks come first; the other file's are the same"
    assert len(after) == 6


def test_a_source_told_in_two_replies_expects_the_whole_storys_labels(tmp_path: Path) -> None:
    def cases(told: bool) -> dict[str, AnalysisCase]:
        text = f"id: s\ntitle: S\nanalysis:\n  - from: {CORPUS}/tr1.jsonl\n    limit: 12\n"
        suite = load_suite(
            write(tmp_path, f"s{told}.yaml", text + ("    told_in_two: true\n" if told else ""))
        )
        return {case.id: case for case in suite.cases if isinstance(case, AnalysisCase)}

    whole, told = cases(False), cases(True)
    assert told and set(told) <= set(whole)
    for case_id, case in told.items():
        assert len(case.replies) == 1, "the held-back part comes in a second reply"
        assert case.expect == whole[case_id].expect
        words = sorted((case.answer + " " + case.replies[0]).split())
        assert words == sorted(whole[case_id].answer.split())
