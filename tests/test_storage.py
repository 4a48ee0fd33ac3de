"""The transcript store: append-only JSONL, private files, tolerant of a torn last line only."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest

from agent.domain.policy import InterviewConfig
from agent.domain.transcript import (
    AnalysisRecord,
    BodyRecord,
    ControlRecord,
    Header,
    Turn,
)
from agent.errors import TranscriptError
from agent.storage import TranscriptStore, read_transcript
from tests.conftest import FIXED_START, analysis


def header(interview_id: str = "int-1", *, minutes: int = 0, candidate: str | None = None) -> Header:
    return Header(
        seq=0,
        at=FIXED_START + timedelta(minutes=minutes),
        interview_id=interview_id,
        rubric_id="customer-focus",
        rubric_version="1.0.0",
        rubric_hash="sha256:0000",
        mode="practice",
        config=InterviewConfig(question_count=2, max_followups=1, seed=5),
        plan=["upset-customer", "saying-no"],
        brain="fake",
        starling_version="test",
        candidate=candidate,
    )


def body() -> list[BodyRecord]:
    at = FIXED_START
    return [
        Turn(seq=1, at=at, role="interviewer", text="Hello.", ask="opening"),
        Turn(
            seq=2,
            at=at,
            role="interviewer",
            text="Tell me about an upset customer.",
            ask="question",
            question_id="upset-customer",
            question_number=1,
        ),
        Turn(seq=3, at=at, role="candidate", text="Ünïcode ✓ and\nnew lines", question_id="upset-customer"),
        AnalysisRecord(seq=4, at=at, question_id="upset-customer", analysis=analysis("++-+")),
        Turn(
            seq=5,
            at=at,
            role="interviewer",
            text="What did you do?",
            ask="followup",
            question_id="upset-customer",
            target="action",
            reason="no steps",
            question_number=1,
            followup_number=1,
        ),
        ControlRecord(seq=6, at=at, control="skip"),
    ]


def write_transcript(store: TranscriptStore, interview_id: str = "int-1", **kwargs: object) -> Path:
    with store.create(header(interview_id, **kwargs)) as writer:  # type: ignore[arg-type]
        for record in body():
            writer.append(record)
    return writer.path


def test_round_trip(store: TranscriptStore) -> None:
    path = write_transcript(store)
    loaded = store.load("int-1")
    assert loaded.header == header()
    assert loaded.records == body()
    assert read_transcript(path) == loaded
    assert loaded.candidate_text == ["Ünïcode ✓ and\nnew lines"]
    assert loaded.next_seq == 7
    assert not loaded.finished


def test_one_json_object_per_line(store: TranscriptStore) -> None:
    path = write_transcript(store)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + len(body())
    assert lines[0].startswith("{") and '"type":"header"' in lines[0]
    assert '"schema_version":1' in lines[0]


def test_files_are_private(store: TranscriptStore) -> None:
    path = write_transcript(store)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.folder.stat().st_mode) == 0o700


def test_create_refuses_to_overwrite(store: TranscriptStore) -> None:
    write_transcript(store)
    with pytest.raises(FileExistsError):
        store.create(header())


def test_torn_last_line_is_ignored(store: TranscriptStore) -> None:
    path = write_transcript(store)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 25])  # cut the last record mid-line
    loaded = read_transcript(path)
    assert loaded.records == body()[:-1]


def test_damaged_middle_line_raises(store: TranscriptStore) -> None:
    path = write_transcript(store)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][:20]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TranscriptError) as raised:
        read_transcript(path)
    assert "line 4" in raised.value.message


def test_valid_json_that_is_not_a_record_in_the_middle_raises(store: TranscriptStore) -> None:
    path = write_transcript(store)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '{"type": "turn", "role": "robot"}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TranscriptError):
        read_transcript(path)


def test_file_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(body()[0].model_dump_json() + "\n" + body()[1].model_dump_json() + "\n", "utf-8")
    with pytest.raises(TranscriptError):
        read_transcript(path)


def test_newer_schema_is_refused(store: TranscriptStore) -> None:
    with store.create(header().model_copy(update={"schema_version": 99})):
        pass
    with pytest.raises(TranscriptError) as raised:
        store.load("int-1")
    assert raised.value.hint and "Upgrade" in raised.value.hint


def test_appending_after_a_torn_line_keeps_the_file_readable(store: TranscriptStore) -> None:
    path = write_transcript(store)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 25])
    with store.open_for_append("int-1") as writer:
        writer.append(ControlRecord(seq=6, at=FIXED_START, control="end"))
    loaded = read_transcript(path)
    assert loaded.records == [*body()[:-1], ControlRecord(seq=6, at=FIXED_START, control="end")]


def test_appending_after_a_whole_record_without_newline_keeps_it(store: TranscriptStore) -> None:
    path = write_transcript(store)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    with store.open_for_append("int-1") as writer:
        writer.append(ControlRecord(seq=7, at=FIXED_START, control="end"))
    loaded = read_transcript(path)
    assert loaded.records == [*body(), ControlRecord(seq=7, at=FIXED_START, control="end")]


def test_summaries_newest_first_and_skip_garbage(store: TranscriptStore) -> None:
    write_transcript(store, "older", minutes=0)
    write_transcript(store, "newest", minutes=30, candidate="Ada")
    write_transcript(store, "middle", minutes=10)
    (store.folder / "garbage.jsonl").write_text("this is not json\nnor this\n", encoding="utf-8")
    (store.folder / "binary.jsonl").write_bytes(b"\xff\xfe\x00garbage")
    (store.folder / "empty.jsonl").write_text("", encoding="utf-8")
    (store.folder / "notes.txt").write_text("ignored", encoding="utf-8")
    summaries = store.summaries()
    assert [s.interview_id for s in summaries] == ["newest", "middle", "older"]
    assert summaries[0].candidate == "Ada"
    assert summaries[0].rubric_id == "customer-focus"
    assert summaries[0].finished is False
    assert summaries[0].overall_score is None


def test_summaries_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert TranscriptStore(tmp_path / "nowhere").summaries() == []


def test_delete(store: TranscriptStore) -> None:
    path = write_transcript(store)
    assert store.delete("int-1") == path
    assert not path.exists()
    with pytest.raises(TranscriptError):
        store.delete("int-1")
    with pytest.raises(TranscriptError) as raised:
        store.load("int-1")
    assert raised.value.hint and "transcripts list" in raised.value.hint


@pytest.mark.parametrize("bad", ["../x", "..", "a/b", "/etc/passwd", "", ".hidden", "x" * 200, "a b"])
def test_bad_ids_are_refused(store: TranscriptStore, tmp_path: Path, bad: str) -> None:
    victim = tmp_path / "x.jsonl"
    victim.write_text("keep me", encoding="utf-8")
    with pytest.raises(TranscriptError):
        store.path_for(bad)
    with pytest.raises(TranscriptError):
        store.delete(bad)
    with pytest.raises(TranscriptError):
        store.load(bad)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_bad_id_in_header_is_refused_on_create(store: TranscriptStore, tmp_path: Path) -> None:
    with pytest.raises(TranscriptError):
        store.create(header("../escape"))
    assert not (tmp_path / "escape.jsonl").exists()
