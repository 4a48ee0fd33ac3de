"""The reader's knowledge and the corpus it learns from: valid, frozen where it must be, reproducible."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from agent.brains.offline import injection, judgement, resources
from agent.domain.roles import CLAUSE_ROLES
from agent.evals.corpus import HELD_BACK, check, corpus_files, parse_marked, records, told_in_two

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "evals" / "corpus"
DATA = REPO / "agent" / "brains" / "offline" / "data"


def test_the_frozen_test_split_is_unchanged() -> None:
    """The test split is never edited: any change to it must be a deliberate new split."""
    recorded: dict[str, str] = {}
    for line in (CORPUS / "test.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        recorded[name] = digest
    found = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in corpus_files("test")}
    assert found == recorded


def test_every_corpus_record_follows_the_labelling_rules() -> None:
    assert check(corpus_files("train") + corpus_files("test")) == []
    assert check(sorted((CORPUS / "double").glob("*.jsonl"))) == []


def test_the_splits_share_no_answer() -> None:
    train = records(corpus_files("train"))
    test = records(corpus_files("test"))
    assert not {r.id for r in train} & {r.id for r in test}
    assert not {parse_marked(r.marked).answer for r in train} & {parse_marked(r.marked).answer for r in test}


def test_a_tenth_of_the_corpus_is_labelled_twice() -> None:
    primary = {r.id for r in records(corpus_files("train") + corpus_files("test"))}
    second = [r.id for r in records(sorted((CORPUS / "double").glob("*.jsonl")))]
    assert len(set(second)) == len(second)
    assert set(second) <= primary
    assert len(second) >= len(primary) / 10


def test_clause_roles_are_all_used_in_the_corpus() -> None:
    used = {c.role for r in records(corpus_files("train")) for c in parse_marked(r.marked).clauses}
    assert used == set(CLAUSE_ROLES)


def test_the_packaged_data_loads_and_names_only_known_roles() -> None:
    lexicon = resources.lexicon()
    assert lexicon.words["english_function"]
    patterns = resources.injection_patterns()
    for gated in (*patterns.units, *patterns.sentences):
        assert gated.pattern.pattern  # compiles
        assert gated.words or gated.marks, gated.source
    weights = resources.weights()
    assert set(weights.roles) == set(CLAUSE_ROLES)
    assert len(weights.packed) > 1000
    answer = judgement.answer_model()
    assert set(answer.labels) == set(judgement.DECIDED)
    for label in answer.labels.values():
        assert any(any(row) for row in label.weights.values())  # trained, not zeros


def test_injection_patterns_name_no_capital_letter() -> None:
    """They are matched without ignoring case on the lowered answer, so a capital would never match."""
    patterns = resources.injection_patterns()
    for gated in (*patterns.units, *patterns.sentences):
        literal = re.sub(r"\\.", "", gated.source)  # escapes such as \b, \S and \W are not letters
        assert literal == literal.lower(), gated.source


def test_a_damaged_answer_model_is_a_clear_error() -> None:
    with pytest.raises(resources.ReaderDataError, match=r"answer\.json"):
        judgement.parse_answer_model(b'{"labels": {"situation": {"values": ["present"], "bias": [0]}}}')
    with pytest.raises(resources.ReaderDataError, match=r"answer\.json"):
        judgement.parse_answer_model(b"not json")


def test_damaged_weights_are_a_clear_error() -> None:
    with pytest.raises(resources.ReaderDataError, match="weights"):
        resources.parse_weights(b'{"roles": ["scene"], "bias": [0, 1]}')
    with pytest.raises(resources.ReaderDataError, match="does not match the feature list"):
        resources.parse_weights(weights_file([[1, 2]], roles=("scene",)))  # two weights for one role


def weights_file(rows: list[list[int]], roles: tuple[str, ...]) -> bytes:
    """A weights file in the trainer's format: little-endian 16-bit weights, a row per feature."""
    matrix = b"".join(w.to_bytes(2, "little", signed=True) for row in rows for w in row)
    document = {
        "roles": list(roles),
        "bias": [0.0] * len(roles),
        "scale": 0.001,
        "weights": base64.b64encode(matrix).decode("ascii"),
        "features": [f"f{i}" for i in range(len(rows))],
    }
    return json.dumps(document).encode()


def test_packed_rows_hold_each_weight_exactly() -> None:
    """Every feature's packed integer is `pack` of its row, down to the extreme 16-bit weights,
    and sums of packed rows unpack to the sums per role."""
    roles = tuple(CLAUSE_ROLES)
    extremes = [-(2**15), 2**15 - 1, -1, 0, 1]
    generator = random.Random(7)
    rows = [[extremes[(i + j) % len(extremes)] for j in range(len(roles))] for i in range(len(extremes))]
    rows += [[generator.randint(-(2**15), 2**15 - 1) for _ in roles] for _ in range(200)]
    packed = resources.parse_weights(weights_file(rows, roles)).packed
    assert [packed[f"f{i}"] for i in range(len(rows))] == [resources.pack(tuple(row)) for row in rows]
    for row, value in zip(rows, packed.values(), strict=True):
        assert resources.unpack(value, len(roles)) == row
    assert resources.unpack(sum(packed.values()), len(roles)) == [sum(col) for col in zip(*rows, strict=True)]


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"needs": ["score"], "pattern": ""}, "an empty pattern"),
        ({"needs": ["score"], "pattern": "score", "also": ["pre-approved"]}, "letters and digits"),
        ({"pattern": "score"}, "needs"),
    ],
)
def test_a_damaged_injection_file_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, entry: dict[str, object], says: str
) -> None:
    good = json.loads((DATA / "injection.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(resources, "_load", lambda name: {**good, "sentences": [entry]})
    resources.injection_patterns.cache_clear()
    try:
        with pytest.raises(resources.ReaderDataError, match=rf"injection\.json.*{says}"):
            resources.injection_patterns()
    finally:
        monkeypatch.undo()
        resources.injection_patterns.cache_clear()


def test_an_injection_pattern_is_skipped_only_where_it_cannot_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keyword gate is a speed-up, never a hole: gated and ungated runs find the same spans."""
    patterns = resources.injection_patterns()

    def ungated(gated: resources.Gated) -> resources.Gated:
        return replace(gated, words=frozenset(), marks=("",), also_words=frozenset(), also_text=())

    always = resources.InjectionPatterns(
        units=tuple(map(ungated, patterns.units)),
        sentences=tuple(map(ungated, patterns.sentences)),
        continuation=patterns.continuation,
        addressed=patterns.addressed,
    )
    answers = [parse_marked(r.marked).answer for r in records(corpus_files("train") + corpus_files("test"))]
    gated = [injection.injected_spans(a) for a in answers]
    monkeypatch.setattr(injection, "injection_patterns", lambda: always)
    assert [injection.injected_spans(a) for a in answers] == gated


@pytest.mark.slow
def test_training_rebuilds_the_shipped_models_exactly(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "train_reader.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in ("weights.json", "answer.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_a_story_told_in_two_holds_back_one_part_and_keeps_every_word() -> None:
    marked = parse_marked(
        "<<scene>>I ran the night desk. <<trigger>>A guest's card was declined, "
        "<<goal>>and I had to get her a room. <<own_action>>I rang her bank with her. "
        "<<outcome>>She slept in her room by one."
    )
    seen: list[tuple[str, ...]] = []
    for turn in range(len(HELD_BACK)):
        told = told_in_two(marked, turn)
        assert told is not None
        (first, second), gold = told
        joined = first + "\n\n" + second
        held = {c.role for c in gold if c.start > len(first)}
        seen.append(tuple(sorted(held)))
        assert set(HELD_BACK[turn]) >= held, "the reply holds only the part asked for"
        assert all(joined[c.start : c.end].strip() for c in gold)
        words = sorted(joined.split())
        assert words == sorted(marked.answer.split()), "every word is told once"
    assert len(set(seen)) == len(HELD_BACK), "each part is asked for in turn"
    assert told_in_two(parse_marked("<<outcome>>It worked."), 0) is None, "nothing else to tell first"


def test_a_phrase_said_with_a_hedge_inside_it_is_still_found() -> None:
    lexicon = resources.lexicon()

    def found(text: str) -> dict[str, int]:
        return lexicon.categories(tuple(text.split()))

    assert "explicit_goal" in found("i really wanted us to be friends again")
    assert "explicit_goal" in found("i just wanted him back")
    assert "explicit_goal" not in found("i really liked them"), "the hedge joins a phrase, it is not one"
    assert "hedge" in found("i really wanted it"), "the hedge itself is still counted"
