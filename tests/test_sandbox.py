"""The fence around a candidate's app: it writes only in its interview folder and reads nothing of
another's, checked in real processes (where the kernel has Landlock)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.files import private_folder
from agent.invitations import Invitation, InvitationStore
from agent.llm.tokens import seed_tiktoken_cache
from agent.sandbox import TOKEN_FILES_VARIABLE, candidate_readable, landlock_abi
from agent.session import utc_now
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.screens.refusal import REFUSED_EXIT_CODE
from agent.web_process import candidate_command, candidate_environment, hand_over
from tests.test_storage import body, header

needs_landlock = pytest.mark.skipif(landlock_abi() == 0, reason="this kernel has no Landlock")

# Run in a fresh interpreter: fences itself in to its interview folder, then tries everything.
ATTEMPTS = """
import json, sys
from pathlib import Path
from agent.sandbox import confine_candidate

mine, theirs, home = (Path(arg) for arg in sys.argv[1:4])
assert confine_candidate(mine)
results = {}

def attempt(name, action):
    try:
        action()
    except PermissionError:
        results[name] = "denied"
    else:
        results[name] = "allowed"

attempt("read their transcript", lambda: (theirs / "transcripts" / "int-theirs.jsonl").read_bytes())
attempt("read their invitation", lambda: (theirs / "invitation.json").read_bytes())
attempt("list the interviews", lambda: list(mine.parent.iterdir()))
attempt("read the invitations", lambda: list((home / "invitations").iterdir()))
attempt("write in their folder", lambda: (theirs / "claimed").write_text("x"))
attempt("write beside its folder", lambda: (home / "planted").write_text("x"))
attempt("signal the process that started it", lambda: __import__("os").kill(__import__("os").getppid(), 0))

def own_interview():
    from agent.storage import TranscriptStore
    from tests.test_storage import body, header
    store = TranscriptStore(mine / "transcripts")
    with store.create(header("int-mine")) as writer:
        for record in body():
            writer.append(record)
    assert store.load("int-mine").header.interview_id == "int-mine"

attempt("write and read its own transcript", own_interview)
attempt("read its rubric", lambda: __import__("agent.rubrics").rubrics.load_rubric("customer-focus", mine))
attempt("load what it had not loaded yet", lambda: __import__("agent.reports.html"))

def count_tokens():
    from agent.llm.tokens import TiktokenCounter
    assert TiktokenCounter("o200k_base").count("hello world") == 2

attempt("count tokens from the server's files", count_tokens)
print(json.dumps(results))
"""


def _two_interviews(home: Path) -> tuple[Invitation, Invitation, InvitationStore]:
    store = InvitationStore(home / "invitations")
    mine, theirs = (
        store.create(rubric_id="customer-focus", candidate=name, question_count=1, now=utc_now())[0]
        for name in ("Mine", "Theirs")
    )
    for invitation in (mine, theirs):
        hand_over(store.interview(invitation), invitation, home)
    with TranscriptStore(store.interview(theirs).transcripts).create(header("int-theirs")) as writer:
        for record in body():
            writer.append(record)
    return mine, theirs, store


def test_no_place_that_holds_the_interview_folder_is_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "data"
    interview = private_folder(home / "interviews" / "abcdef012345")
    monkeypatch.setattr(sys, "path", [*sys.path, str(home), str(tmp_path), str(home / "interviews")])
    monkeypatch.setenv(TOKEN_FILES_VARIABLE, str(private_folder(tmp_path / "tokens")))
    readable = candidate_readable(interview)
    assert not any(interview.resolve().is_relative_to(place) for place in readable), readable
    assert (tmp_path / "tokens").resolve() in readable
    assert Path(__file__).resolve().parent.parent / "agent" in readable, "Starling's own code"


@needs_landlock
def test_a_fenced_process_reaches_only_its_own_interview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    mine, theirs, store = _two_interviews(home)
    monkeypatch.setenv(TOKEN_FILES_VARIABLE, str(tmp_path / "tokens"))
    seed_tiktoken_cache(tmp_path / "tokens")  # as `starling serve` does for the model brain
    folders = [str(store.interview(i).path) for i in (mine, theirs)]
    out = subprocess.run(
        [sys.executable, "-c", ATTEMPTS, *folders, str(home)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "read their transcript": "denied",
        "read their invitation": "denied",
        "list the interviews": "denied",
        "read the invitations": "denied",
        "write in their folder": "denied",
        "write beside its folder": "denied",
        "signal the process that started it": "denied" if landlock_abi() >= 6 else "allowed",
        "write and read its own transcript": "allowed",
        "read its rubric": "allowed",
        "load what it had not loaded yet": "allowed",
        "count tokens from the server's files": "allowed",
    }
    assert not (store.interview(theirs).path / "claimed").exists() and not (home / "planted").exists()


@needs_landlock
def test_the_candidate_app_pointed_at_another_interview_cannot_open_it(tmp_path: Path) -> None:
    """The real `starling candidate`, as the server starts it, whose folder links to another's
    invitation: fenced in, it cannot read it and refuses, so Enter accepts nothing."""
    home = tmp_path / "home"
    mine, theirs, store = _two_interviews(home)
    folder = store.interview(mine).path
    (folder / "invitation.json").unlink()
    (folder / "invitation.json").symlink_to(store.interview(theirs).path / "invitation.json")
    environment = candidate_environment(Settings(home=home), 80, 24)
    with subprocess.Popen(
        candidate_command(sys.executable, folder),
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        cwd=folder,
    ) as app:
        assert app.stdin is not None
        enter = b"\r"
        app.stdin.write(b"D" + len(enter).to_bytes(4, "big") + enter)  # the candidate presses Enter
        app.stdin.flush()
        try:
            code = app.wait(timeout=60)
        finally:
            app.kill()
    assert code == REFUSED_EXIT_CODE, "the refusal screen, closed by Enter"
    assert not (folder / "claimed").exists() and not (store.interview(theirs).path / "claimed").exists()
    assert not (folder / "transcripts").exists()
