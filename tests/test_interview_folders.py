"""One folder per invitation: what the candidate's app is handed, where its transcript goes, how the
reviewer still finds it, and how an older data folder is moved into that layout."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from agent.cli import main
from agent.invitations import Invitation, InvitationStore
from agent.locks import InterviewBusy
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.candidate_access import check_interview
from agent.web_process import hand_over
from tests.conftest import FIXED_START
from tests.test_storage import body, header

NOW = FIXED_START


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def _invite(settings: Settings, name: str = "Ada") -> Invitation:
    store = InvitationStore(settings.invitations_dir)
    return store.create(rubric_id="customer-focus", candidate=name, question_count=2, now=NOW)[0]


def _reviewer(settings: Settings) -> TranscriptStore:
    return TranscriptStore(settings.transcripts_dir, invited=settings.interviews_dir)


def _write(store: TranscriptStore, interview_id: str, invitation: str | None = None) -> Path:
    with store.create(header(interview_id).model_copy(update={"invitation": invitation})) as writer:
        for record in body():
            writer.append(record)
        return writer.path


def test_an_invitations_progress_and_transcript_live_in_its_own_folder(settings: Settings) -> None:
    store = InvitationStore(settings.invitations_dir)
    invitation = _invite(settings)
    interview = store.interview(invitation)
    assert interview.path == settings.home / "interviews" / invitation.id
    hand_over(interview, invitation, settings.home)
    assert store.claim(invitation, NOW)
    store.record_interview(invitation, "int-1")
    _write(TranscriptStore(interview.transcripts), "int-1", invitation.id)  # as the candidate's app does
    store.finish(invitation, NOW)
    assert sorted(p.name for p in interview.path.iterdir()) == [
        "claimed",
        "finished",
        "interview",
        "invitation.json",
        "rubrics",
        "transcripts",
    ]
    assert sorted(p.name for p in store.folder.iterdir()) == [f"{invitation.id}.json"], "the server's own"
    assert store.state(invitation, NOW) == "finished"
    summaries = _reviewer(settings).summaries()
    assert [(s.interview_id, s.path.parent) for s in summaries] == [("int-1", interview.transcripts)]


@contextmanager
def _locked_elsewhere(store: TranscriptStore, interview_id: str) -> Iterator[None]:
    """The interview's lock, held by another process through `store` until the block ends."""
    code = (
        "import sys; from pathlib import Path; from agent.storage import TranscriptStore\n"
        "store = TranscriptStore(Path(sys.argv[1]), invited=Path(sys.argv[2]) if sys.argv[2] else None)\n"
        "with store.lock(sys.argv[3]):\n"
        "    print('locked', flush=True); sys.stdin.read()\n"
    )
    argv = [sys.executable, "-c", code, str(store.folder), str(store.invited or ""), interview_id]
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        try:
            yield
        finally:
            holder.communicate("")


def test_the_reviewer_reads_resumes_repairs_and_deletes_an_invited_interview_in_place(
    settings: Settings,
) -> None:
    invitation = _invite(settings)
    interview = InvitationStore(settings.invitations_dir).interview(invitation)
    candidate = TranscriptStore(interview.transcripts)
    path = _write(candidate, "int-2", invitation.id)
    _write(TranscriptStore(settings.transcripts_dir), "int-3")
    reviewer = _reviewer(settings)
    assert {s.interview_id for s in reviewer.summaries()} == {"int-2", "int-3"}
    assert reviewer.load("int-2").header.invitation == invitation.id
    with _locked_elsewhere(reviewer, "int-2"), pytest.raises(InterviewBusy):
        candidate.open_for_append("int-2")  # `starling resume` and the candidate's app: one writer
    with path.open("a", encoding="utf-8") as damaged:
        damaged.write("not a record\n" + body()[0].model_dump_json() + "\n")
    assert [d.interview_id for d in reviewer.listing().damaged] == ["int-2"]
    repair = reviewer.repair("int-2", NOW)
    assert repair.backup is not None and repair.backup.parent == interview.transcripts
    assert reviewer.delete("int-2") == path
    assert not any(interview.transcripts.iterdir()), "the transcript, its copy and its lock are gone"
    assert [s.interview_id for s in reviewer.summaries()] == ["int-3"]


def test_a_linked_interview_folder_is_not_followed(settings: Settings, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _write(TranscriptStore(elsewhere / "transcripts"), "int-4")
    settings.interviews_dir.mkdir(parents=True)
    (settings.interviews_dir / "abcdef012345").symlink_to(elsewhere)
    assert _reviewer(settings).listing().summaries == []


def _older_layout(settings: Settings, invitation: Invitation, interview_id: str, *, finished: bool) -> None:
    """What an older Starling left: markers beside the invitation, the transcript with the rest."""
    folder = settings.invitations_dir
    (folder / f"{invitation.id}.claimed").write_text(NOW.isoformat(), encoding="utf-8")
    (folder / f"{invitation.id}.interview").write_text(interview_id, encoding="utf-8")
    (folder / f"{invitation.id}.seen").write_text((NOW + timedelta(minutes=5)).isoformat(), encoding="utf-8")
    if finished:
        (folder / f"{invitation.id}.finished").write_text(NOW.isoformat(), encoding="utf-8")
    _write(TranscriptStore(settings.transcripts_dir), interview_id, invitation.id)


def test_an_older_data_folder_moves_to_interview_folders_and_a_rejoin_still_carries_on(
    settings: Settings,
) -> None:
    store = InvitationStore(settings.invitations_dir)
    left, done, busy = (_invite(settings, name) for name in ("Left", "Done", "Busy"))
    _older_layout(settings, left, "int-left", finished=False)
    _older_layout(settings, done, "int-done", finished=True)
    _older_layout(settings, busy, "int-busy", finished=False)
    (settings.transcripts_dir / "int-done.jsonl.damaged-20250101T000000").write_text("x", encoding="utf-8")
    old = TranscriptStore(settings.transcripts_dir)

    with _locked_elsewhere(old, "int-busy"):  # an older version still has this one open
        store.move_to_interview_folders(old)
    kept = [*(f"{i.id}.json" for i in (left, done, busy)), *(f"{i.id}.seen" for i in (left, done, busy))]
    assert sorted(p.name for p in store.folder.iterdir()) == sorted([*kept, f"{busy.id}.interview"])
    assert [p.name for p in settings.transcripts_dir.glob("*.jsonl")] == ["int-busy.jsonl"]
    assert {s.interview_id for s in _reviewer(settings).summaries()} == {"int-left", "int-done", "int-busy"}

    soon = NOW + timedelta(minutes=20)
    assert store.state(left, soon) == "in_progress", "the window counts from when they were last seen"
    assert store.state(done, soon) == "finished"
    interview = store.interview(left)
    hand_over(interview, left, settings.home)
    access = check_interview(interview, soon)
    assert access.resume_id == "int-left", "the candidate carries on with their interview"
    assert TranscriptStore(interview.transcripts).load("int-left").header.candidate is None
    assert (store.interview(done).transcripts / "int-done.jsonl.damaged-20250101T000000").exists()

    assert store.interview_for(busy) == "int-busy", "known already, so the link stays in progress"
    store.move_to_interview_folders(old)  # the next start moves what was open before
    assert not list(settings.transcripts_dir.glob("*.jsonl"))
    assert sorted(p.name for p in store.folder.iterdir()) == sorted(kept)
    assert (store.interview(busy).transcripts / "int-busy.jsonl").exists()
    assert store.state(busy, soon) == "in_progress"


def test_invite_and_transcripts_list_see_the_moved_layout(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    invitation = _invite(settings)
    _older_layout(settings, invitation, "int-old", finished=True)
    assert main(["--home", str(settings.home), "invite", "--list"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if invitation.id in line)
    assert "finished" in line and "int-old" in line
    assert not list(settings.invitations_dir.glob("*.finished")), "moved on first use"
    assert main(["--home", str(settings.home), "transcripts", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(item["id"], item["damaged"]) for item in listed] == [("int-old", False)]


def test_only_an_older_versions_markers_move_a_transcript(settings: Settings) -> None:
    """A candidate's app writes its own `interview` marker; naming someone else's interview there
    must never bring that transcript into its folder."""
    store = InvitationStore(settings.invitations_dir)
    invitation = _invite(settings)
    _write(TranscriptStore(settings.transcripts_dir), "int-private")
    store.record_interview(invitation, "int-private")
    store.move_to_interview_folders(TranscriptStore(settings.transcripts_dir))
    assert (settings.transcripts_dir / "int-private.jsonl").exists()
    assert not store.interview(invitation).transcripts.exists()
