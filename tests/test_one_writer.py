"""One writer per interview: a second process is refused with a message and exit 2, and nothing interleaves."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.cli import main
from agent.domain.transcript import Turn
from agent.rubrics import load_rubric
from agent.session import InterviewSession
from agent.storage import TranscriptStore, read_transcript
from tests.conftest import REPO, FakeBrain, FixedClock, complete
from tests.test_cli import replies, write_script

BUSY = "is open in another Starling window or process"


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "agent.cli", *args]


def environment(home: Path) -> dict[str, str]:
    return {**os.environ, "STARLING_HOME": str(home)}


def unfinished_interview(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    script = write_script(tmp_path / "first.txt", replies(2))
    code = main(["interview", "--answers", str(script), "--format", "json", "--seed", "3"])
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and not document["finished"]
    interview_id: str = document["interview_id"]
    return interview_id


class Holder:
    """`starling resume ID --terminal` in its own process, waiting at the answer prompt."""

    def __init__(self, home: Path, interview_id: str) -> None:
        self.process = subprocess.Popen(
            command("resume", interview_id, "--terminal"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(home),
            cwd=REPO,
        )
        self.output = b""

    def wait_for_prompt(self) -> None:
        """Read until the prompt shows, so the interview is open and locked (30 s only guards a hang)."""
        stdout = self.process.stdout
        assert stdout is not None
        while b"you> " not in self.output:
            ready, _, _ = select.select([stdout], [], [], 30)
            chunk = os.read(stdout.fileno(), 65536) if ready else b""
            if not chunk:
                stderr = self.process.stderr.read().decode() if self.process.stderr else ""
                pytest.fail(f"the first process never asked for an answer: {self.output!r} {stderr}")
            self.output += chunk

    def answer_and_stop(self, answer: str) -> tuple[int, str]:
        out, err = self.process.communicate(f"{answer}\n\n".encode(), timeout=60)
        self.output += out
        return self.process.returncode, err.decode()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=60)


@pytest.fixture
def holder(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[Holder, str]]:
    interview_id = unfinished_interview(home, tmp_path, capsys)
    first = Holder(home, interview_id)
    try:
        first.wait_for_prompt()
        yield first, interview_id
    finally:
        first.kill()


def test_a_second_resume_is_refused_while_the_first_is_open(
    holder: tuple[Holder, str], home: Path, tmp_path: Path
) -> None:
    first, interview_id = holder
    path = home / "transcripts" / f"{interview_id}.jsonl"
    before = path.read_bytes()
    rest = write_script(tmp_path / "rest.txt", replies(40)[2:])
    attempts = [
        (command("resume", interview_id, "--answers", str(rest), "--format", "json"), b""),
        (command("resume", interview_id, "--terminal"), b"Another answer typed here.\n\n"),
        (command("transcripts", "delete", interview_id, "--yes"), b""),
    ]
    for argv, typed in attempts:
        second = subprocess.run(
            argv, input=typed, capture_output=True, env=environment(home), cwd=REPO, timeout=60, check=False
        )
        err = second.stderr.decode()
        assert second.returncode == 2, (argv, err)
        assert BUSY in err and "Traceback" not in err, err
        assert path.read_bytes() == before, "the refused process wrote nothing"

    code, err = first.answer_and_stop("I phoned the customer myself and fixed the invoice that day.")
    assert code == 0, err
    final = read_transcript(path)
    seqs = [record.seq for record in final.records]
    assert seqs == list(range(1, len(seqs) + 1)), "one writer: sequence numbers are whole and unique"
    assert final.candidate_text[-1] == "I phoned the customer myself and fixed the invoice that day."
    assert sum(1 for t in final.turns if t.ask == "closing") <= 1


def test_the_lock_goes_with_the_process_that_held_it(
    holder: tuple[Holder, str], home: Path, tmp_path: Path
) -> None:
    first, interview_id = holder
    first.kill()  # SIGKILL: no clean-up runs, and the system still releases the lock
    rest = write_script(tmp_path / "rest.txt", replies(40)[2:])
    done = subprocess.run(
        command("resume", interview_id, "--answers", str(rest), "--format", "json"),
        capture_output=True,
        text=True,
        env=environment(home),
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["finished"] is True


def test_a_new_interview_is_locked_from_its_first_line(home: Path, tmp_path: Path) -> None:
    """Every front end starts through `InterviewSession.start`, which holds the lock until closed."""
    store = TranscriptStore(home / "transcripts")
    rubric = load_rubric("customer-focus")
    session, _ = InterviewSession.start(
        rubric=rubric, brain=FakeBrain(default=complete()), store=store, interview_id="open-here"
    )
    rest = write_script(tmp_path / "rest.txt", replies(3))
    argv = command("resume", "open-here", "--answers", str(rest))
    try:
        busy = subprocess.run(
            argv, capture_output=True, text=True, env=environment(home), cwd=REPO, timeout=60, check=False
        )
    finally:
        session.close()
    assert busy.returncode == 2 and BUSY in busy.stderr
    free = subprocess.run(
        argv, capture_output=True, text=True, env=environment(home), cwd=REPO, timeout=60, check=False
    )
    assert free.returncode == 0, free.stderr


def test_resume_reads_the_transcript_again_once_it_holds_the_lock(tmp_path: Path) -> None:
    """A transcript read before another writer went on must not be continued from where it was."""
    store = TranscriptStore(tmp_path / "transcripts")
    rubric = load_rubric("customer-focus")
    brain = FakeBrain(default=complete())
    session, _ = InterviewSession.start(
        rubric=rubric, brain=brain, store=store, clock=FixedClock(), interview_id="stale"
    )
    session.close()
    stale = store.load("stale")

    other, _ = InterviewSession.resume(transcript=stale, rubric=rubric, brain=brain, store=store)
    other.submit("The other window's answer.")
    other.close()

    session, _ = InterviewSession.resume(transcript=stale, rubric=rubric, brain=brain, store=store)
    session.submit("This window's answer.")
    session.close()
    final = store.load("stale")
    seqs = [record.seq for record in final.records]
    assert seqs == list(range(1, len(seqs) + 1))
    assert final.candidate_text == ["The other window's answer.", "This window's answer."]


def test_one_process_may_hold_its_own_lock_again(tmp_path: Path) -> None:
    """`starling resume` holds the lock while the app it opens writes the interview."""
    store = TranscriptStore(tmp_path / "transcripts")
    rubric = load_rubric("customer-focus")
    brain = FakeBrain(default=complete())
    session, _ = InterviewSession.start(rubric=rubric, brain=brain, store=store, interview_id="mine")
    session.close()
    with store.lock("mine"):
        again, _ = InterviewSession.resume(
            transcript=store.load("mine"), rubric=rubric, brain=brain, store=store
        )
        again.submit("Still me.")
        again.close()
    assert [t.text for t in store.load("mine").turns if isinstance(t, Turn) and t.role == "candidate"] == [
        "Still me."
    ]
