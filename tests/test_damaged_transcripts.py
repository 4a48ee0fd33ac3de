"""A transcript damaged mid-file is listed as damaged, and `transcripts repair` recovers its intact records."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from agent.cli import main
from agent.domain.transcript import ControlRecord, Turn
from agent.storage import BACKUP_MARK, TranscriptStore, read_transcript
from tests.conftest import FIXED_START
from tests.test_storage import body, header, write_transcript


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home_store(home: Path) -> TranscriptStore:
    return TranscriptStore(home / "transcripts")


def damage_line(path: Path, index: int, replacement: bytes = b'{"type": "turn", "seq": 4, "te') -> bytes:
    """Replace one line (0 is the header) with a torn one; return the file as it was."""
    original = path.read_bytes()
    lines = original.split(b"\n")
    lines[index] = replacement
    path.write_bytes(b"\n".join(lines))
    return original


def test_a_damaged_transcript_is_listed_as_damaged(
    home_store: TranscriptStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_transcript(home_store, "intact", minutes=5)
    damage_line(write_transcript(home_store, "broken", candidate="Ada"), 3)

    code, out, err = run(["transcripts", "list"], capsys)
    assert code == 0
    (intact,) = [line for line in out.splitlines() if line.startswith("intact ")]
    (broken,) = [line for line in out.splitlines() if line.startswith("broken ")]
    assert "unfinished" in intact
    assert "DAMAGED" in broken and "line 4" in broken and "customer-focus" in broken
    assert "starling transcripts repair ID" in err

    code, out, _ = run(["transcripts", "list", "--format", "json"], capsys)
    listed = {item["id"]: item for item in json.loads(out)}
    assert listed["intact"]["damaged"] is False
    assert listed["broken"]["damaged"] is True
    assert listed["broken"]["candidate"] == "Ada"
    assert "line 4" in listed["broken"]["problem"]


def test_showing_a_damaged_transcript_says_how_to_repair_it(
    home_store: TranscriptStore, capsys: pytest.CaptureFixture[str]
) -> None:
    damage_line(write_transcript(home_store, "broken"), 2)
    code, out, err = run(["transcripts", "show", "broken"], capsys)
    assert code == 2 and out == ""
    assert "line 3" in err and "starling transcripts repair broken" in err


def test_repair_keeps_every_intact_record_and_the_original(
    home_store: TranscriptStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_transcript(home_store, "broken")
    original = damage_line(path, 3)  # the candidate turn (seq 3)
    damaged = path.read_bytes()

    code, out, err = run(["transcripts", "repair", "broken"], capsys)
    assert code == 0, err
    assert "kept 6 intact record(s)" in out and "line(s) 4" in out

    repaired = read_transcript(path)
    assert repaired.header == header("broken")
    assert repaired.records == [r for r in body() if not (isinstance(r, Turn) and r.role == "candidate")]
    (backup,) = path.parent.glob(f"broken.jsonl{BACKUP_MARK}*")
    assert backup.read_bytes() == damaged != original
    assert str(backup) in out
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    code, out, _ = run(["transcripts", "list"], capsys)
    assert "DAMAGED" not in out and "broken " in out


def test_repair_of_an_intact_transcript_changes_nothing(
    home_store: TranscriptStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_transcript(home_store, "fine")
    before = path.read_bytes()
    code, out, _ = run(["transcripts", "repair", "fine"], capsys)
    assert code == 0 and "nothing was changed" in out
    assert path.read_bytes() == before
    assert list(path.parent.glob(f"*{BACKUP_MARK}*")) == []


def test_repair_without_a_header_refuses_and_changes_nothing(
    home_store: TranscriptStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_transcript(home_store, "headless")
    damage_line(path, 0, b"\xff\xfe not even text")
    before = path.read_bytes()
    code, out, err = run(["transcripts", "repair", "headless"], capsys)
    assert code == 2 and out == ""
    assert "first line" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_a_repaired_interview_that_no_longer_follows_on_cannot_be_resumed_but_is_explained(
    home_store: TranscriptStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_transcript(home_store, "gappy")
    damage_line(path, 3)  # the answer is gone, its analysis is not
    assert run(["transcripts", "repair", "gappy"], capsys)[0] == 0
    answers = tmp_path / "more.txt"
    answers.write_text("More.\n", encoding="utf-8")
    code, _, err = run(["resume", "gappy", "--answers", str(answers)], capsys)
    assert code == 2
    assert "cannot be continued" in err and "starling transcripts show gappy" in err


def test_delete_also_removes_the_copies_repair_kept(
    home_store: TranscriptStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_transcript(home_store, "broken")
    damage_line(path, 3)
    assert run(["transcripts", "repair", "broken"], capsys)[0] == 0
    assert run(["transcripts", "delete", "broken", "--yes"], capsys)[0] == 0
    assert sorted(p.name for p in path.parent.iterdir()) == []


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_answers_with_unusual_line_separators_keep_the_transcript_readable(
    store: TranscriptStore, separator: str
) -> None:
    """Only a newline ends a record; other separators inside an answer are part of its text."""
    with store.create(header("seps")) as writer:
        writer.append(Turn(seq=1, at=FIXED_START, role="candidate", text=f"one{separator}two"))
        writer.append(ControlRecord(seq=2, at=FIXED_START, control="end"))
    transcript = store.load("seps")
    assert transcript.candidate_text == [f"one{separator}two"]
    assert transcript.records[-1] == ControlRecord(seq=2, at=FIXED_START, control="end")
    assert store.listing().damaged == []


def test_repairing_twice_in_one_second_keeps_both_originals(home_store: TranscriptStore) -> None:
    path = write_transcript(home_store, "twice")
    damage_line(path, 3)
    first = path.read_bytes()
    home_store.repair("twice", now=FIXED_START)
    damage_line(path, 2)
    second = path.read_bytes()
    home_store.repair("twice", now=FIXED_START)
    kept = sorted(path.parent.glob(f"twice.jsonl{BACKUP_MARK}*"))
    assert [p.read_bytes() for p in kept] == [first, second]
