"""Everything under the data folder is owner-only, and no write goes through a planted link."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.cli import main
from agent.domain.transcript import Transcript
from agent.errors import TranscriptError
from agent.files import private_folder, write_private
from agent.invitations import InvitationStore
from agent.reports.render import export
from agent.reviews import ReviewEntry, ReviewStore
from agent.storage import TranscriptStore, read_transcript
from agent.web_process import hand_over
from tests.conftest import FIXED_START, REPO

EXAMPLE = REPO / "transcripts" / "example-practice.jsonl"
VICTIM_TEXT = "the victim's own file\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes_under(folder: Path) -> dict[str, int]:
    found = {".": mode(folder)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = mode(path)
    return found


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_text(VICTIM_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder that does not exist yet, two levels below an existing folder."""
    home = tmp_path / "not-yet" / "starling"
    monkeypatch.setenv("STARLING_HOME", str(home))
    previous = os.umask(0o022)  # the common default, which the data folder must not inherit
    try:
        yield home
    finally:
        os.umask(previous)


def example_transcript() -> Transcript:
    return read_transcript(EXAMPLE)


def copy_example(home: Path) -> None:
    store = TranscriptStore(home / "transcripts")
    with store.create(example_transcript().header) as writer:
        for record in example_transcript().records:
            writer.append(record)


def test_export_makes_the_data_folder_and_its_files_owner_only(
    fresh_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_example(fresh_home)
    for fmt in ("md", "json", "html"):
        assert main(["transcripts", "export", "example-practice", "--format", fmt]) == 0
    found = modes_under(fresh_home)
    assert set(found) >= {"exports", "exports/example-practice.md", "transcripts"}
    folders = {name: m for name, m in found.items() if (fresh_home / name).is_dir()}
    files = {name: m for name, m in found.items() if (fresh_home / name).is_file()}
    assert set(folders.values()) == {0o700}, folders
    assert set(files.values()) == {0o600}, files
    assert mode(fresh_home.parent) == 0o700  # a missing parent is made private too


def test_an_existing_readable_data_folder_is_tightened(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "exports").mkdir()
    home.chmod(0o755)
    (home / "exports").chmod(0o755)
    assert main(["transcripts", "list"]) == 0
    assert mode(home) == 0o700
    assert mode(home / "exports") == 0o700


def test_a_shared_folder_is_never_tightened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    monkeypatch.setenv("STARLING_HOME", str(shared))
    assert main(["transcripts", "list"]) == 0
    assert mode(shared) == 0o1777


def test_export_replaces_a_planted_link_instead_of_following_it(
    home: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_example(home)
    planted = home / "exports" / "example-practice.md"
    planted.parent.mkdir(mode=0o700)
    planted.symlink_to(victim)
    assert main(["transcripts", "export", "example-practice", "--format", "md"]) == 0
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert not planted.is_symlink()
    assert planted.read_text(encoding="utf-8").startswith("# Interview example-practice")
    assert mode(planted) == 0o600


def test_export_to_a_chosen_path_does_not_follow_a_link(
    home: Path, tmp_path: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_example(home)
    out = tmp_path / "report.html"
    out.symlink_to(victim)
    assert main(["transcripts", "export", "example-practice", "-o", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_app_exports_do_not_follow_links(tmp_path: Path, victim: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "example-practice.json").symlink_to(victim)
    paths = export(example_transcript(), folder)
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert {mode(path) for path in paths} == {0o600}


def test_review_decisions_do_not_follow_a_planted_temporary_link(tmp_path: Path, victim: Path) -> None:
    reviews = ReviewStore(tmp_path / "reviews")
    reviews.folder.mkdir()
    # The old writer always used `<id>.tmp` and truncated whatever it pointed to.
    (reviews.folder / "int-1.tmp").symlink_to(victim)
    entry = ReviewEntry(decision="hold", reviewer="Rae", decided_at=FIXED_START)
    reviews.record("int-1", entry)
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert reviews.load("int-1").current == entry
    assert mode(reviews.folder / "int-1.json") == 0o600


def test_invitation_files_do_not_follow_links(tmp_path: Path, victim: Path) -> None:
    invitations = InvitationStore(tmp_path / "invitations")
    invitation, _token = invitations.create(
        rubric_id="customer-focus", candidate="Ada", question_count=2, now=FIXED_START
    )
    interview = private_folder(invitations.interview(invitation).path)
    (interview / "interview").symlink_to(victim)
    invitations.record_interview(invitation, "int-9")
    invitations.mark_seen(invitation, FIXED_START)
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert invitations.interview_for(invitation) == "int-9"
    hand_over(invitations.interview(invitation), invitation, tmp_path)
    for folder in (invitations.folder, interview, interview / "rubrics"):
        assert {mode(path) for path in folder.iterdir() if path.is_file()} == {0o600}
        assert mode(folder) == 0o700


def test_continuing_a_transcript_refuses_a_link(tmp_path: Path, victim: Path) -> None:
    store = TranscriptStore(tmp_path / "transcripts")
    private_folder(store.folder)
    (store.folder / "int-1.jsonl").symlink_to(victim)
    with pytest.raises(TranscriptError):
        store.open_for_append("int-1")
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT


def test_exclusive_write_refuses_anything_already_there(tmp_path: Path, victim: Path) -> None:
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nothing-here")
    for taken in (victim, dangling):
        with pytest.raises(FileExistsError):
            write_private(taken, "new", exclusive=True)
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert not (tmp_path / "nothing-here").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
