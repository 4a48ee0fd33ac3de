"""Bad input gets a clear message and a non-zero exit, and loses nothing already saved."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.answers import MAX_ANSWER_CHARS, is_blank
from agent.cli import main
from agent.domain.defaults import MAX_NAME_CHARS
from agent.errors import InputError
from agent.rubrics import load_rubric
from agent.session import InterviewSession
from agent.storage import TranscriptStore, read_transcript
from tests.conftest import REPO, FakeBrain, FixedClock, complete
from tests.test_cli import GOOD_ANSWER, QUESTION, replies, write_script

# Python's own reading of standard input fails on bad bytes with this setting, as it does in a
# UTF-8 locale; Starling must not depend on how the interpreter was started.
STRICT = {"PYTHONIOENCODING": "utf-8:strict"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def typed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Standard input as a terminal or a pipe gives it: bytes under a UTF-8 text layer."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def transcripts(home: Path) -> list[Path]:
    return sorted((home / "transcripts").glob("*.jsonl"))


# Invalid UTF-8


def test_analyze_refuses_invalid_utf8_on_stdin(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, GOOD_ANSWER.encode() + b" caf\xe9")  # Latin-1, not UTF-8
    code, out, err = run(["analyze", "--question", QUESTION], capsys)
    assert code == 2 and out == ""
    assert "Standard input is not valid UTF-8" in err and "0xe9" in err
    assert "UTF-8" in err.splitlines()[1]


def test_analyze_with_invalid_utf8_in_a_real_process_has_no_traceback(home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "agent.cli", "analyze", "--question", QUESTION],
        input=b"I fixed it \xff\xfe myself.",
        capture_output=True,
        env={**os.environ, **STRICT, "STARLING_HOME": str(home)},
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().startswith("starling: Standard input is not valid UTF-8")
    assert b"Traceback" not in done.stderr and done.stdout == b""


def test_plain_interview_stops_on_invalid_utf8_and_gives_the_answer_back(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, b"I called the customer back myself.\nThen caf\xe9 and\n\n")
    code, out, err = run(["interview", "--seed", "1"], capsys)
    assert code == 2
    (path,) = transcripts(home)
    interview_id = path.stem
    assert "The line you typed is not valid UTF-8" in err
    assert f"interview {interview_id} is saved" in err
    assert f"starling resume {interview_id} --terminal" in err
    assert "I called the customer back myself.\nThen caf� and" in out  # given back to copy
    saved = read_transcript(path)
    assert saved.candidate_text == []  # nothing of the unreadable answer was written
    assert not saved.finished

    typed(monkeypatch, b"I called the customer back myself.\n\n")
    code, out, err = run(["resume", interview_id, "--terminal"], capsys)
    assert code == 0, err
    assert read_transcript(path).candidate_text == ["I called the customer back myself."]


def test_plain_interview_with_invalid_utf8_in_a_real_process_has_no_traceback(home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "agent.cli", "interview", "--seed", "2"],
        input=b"It was \xff late.\n\n",
        capture_output=True,
        env={**os.environ, **STRICT, "STARLING_HOME": str(home)},
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().startswith("starling: The line you typed is not valid UTF-8")


# invite


@pytest.mark.parametrize("hours", ["999999999", str(24 * 90 + 1), "0"])
def test_invite_refuses_validity_out_of_range(
    home: Path, hours: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["invite", "--candidate", "Ada", "--valid-hours", hours], capsys)
    assert code == 2 and out == ""
    assert "--valid-hours must be between 1 and 2160 (90 days)" in err
    assert not (home / "invitations").exists()


def test_invite_accepts_the_longest_validity(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["invite", "--candidate", "Ada", "--valid-hours", str(24 * 90)], capsys)
    assert code == 0 and "/i/" in out


def test_invite_refuses_an_overlong_name(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["invite", "--candidate", "A" * (MAX_NAME_CHARS + 1)], capsys)
    assert code == 2 and out == ""
    assert f"121 characters long; the limit is {MAX_NAME_CHARS}" in err
    assert "Traceback" not in err
    assert list((home / "invitations").glob("*.json")) == []
    code, _, _ = run(["invite", "--candidate", "A" * MAX_NAME_CHARS], capsys)
    assert code == 0


def test_interview_refuses_an_overlong_name(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write_script(tmp_path / "answers.txt", replies(3))
    with pytest.raises(SystemExit) as raised:
        main(["interview", "--answers", str(answers), "--candidate", "B" * (MAX_NAME_CHARS + 1)])
    assert raised.value.code == 2
    assert "at most 120" in capsys.readouterr().err
    assert transcripts(home) == []


# Answers with nothing visible in them


INVISIBLE = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"], codec="utf-8"), min_size=1, max_size=40
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=INVISIBLE)
def test_an_answer_of_only_control_characters_is_empty(tmp_path: Path, text: str) -> None:
    store = TranscriptStore(tmp_path / f"t{abs(hash(text))}")
    brain = FakeBrain(default=complete())
    session, _ = InterviewSession.start(
        rubric=load_rubric("customer-focus"), brain=brain, store=store, clock=FixedClock()
    )
    path = store.path_for(session.interview_id)
    before = path.read_bytes()
    with pytest.raises(InputError) as raised:
        session.submit(text)
    session.close()
    assert raised.value.message == "Your answer is empty."
    assert path.read_bytes() == before and brain.calls == []


@given(text=st.text(min_size=1, max_size=40))
def test_text_with_anything_visible_is_not_blank(text: str) -> None:
    visible = [c for c in text if not c.isspace() and c.isprintable()]
    if visible:
        assert not is_blank(text)


def test_plain_interview_treats_a_nul_answer_as_empty(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, b"\x00\x00\x01\n.\n/end\n")
    code, out, _ = run(["interview", "--seed", "1"], capsys)
    assert code == 0
    assert "Your answer is empty." in out
    (path,) = transcripts(home)
    assert read_transcript(path).candidate_text == []


def test_analyze_refuses_an_answer_of_control_characters(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed(monkeypatch, b"\x00\x07\x1b \t\n")
    code, out, err = run(["analyze", "--question", QUESTION], capsys)
    assert code == 2 and out == ""
    assert "The answer is empty" in err


def test_scripted_control_character_replies_are_left_out_like_empty_ones(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write_script(tmp_path / "answers.txt", ["\x00\x00", *replies(1)])
    code, out, err = run(["interview", "--answers", str(answers), "--format", "json"], capsys)
    assert code == 0, err
    document = json.loads(out)
    assert [t["text"] for t in document["turns"] if t["role"] == "candidate"] == replies(1)


# Answers over the size cap


def test_an_overlong_scripted_reply_is_refused_before_anything_is_written(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write_script(tmp_path / "answers.txt", [*replies(2), "x" * (MAX_ANSWER_CHARS + 1)])
    code, out, err = run(["interview", "--answers", str(answers)], capsys)
    assert code == 2 and out == ""
    assert f"Reply 3 in {answers}" in err and "200,001 characters" in err
    assert transcripts(home) == []


def test_an_overlong_answer_names_the_interview_it_was_not_saved_to(tmp_path: Path) -> None:
    store = TranscriptStore(tmp_path / "transcripts")
    session, _ = InterviewSession.start(
        rubric=load_rubric("customer-focus"),
        brain=FakeBrain(default=complete()),
        store=store,
        interview_id="long-one",
    )
    before = store.path_for("long-one").read_bytes()
    with pytest.raises(InputError) as raised:
        session.submit("y" * (MAX_ANSWER_CHARS + 1))
    session.close()
    assert "Nothing of it was saved to interview long-one." in raised.value.message
    assert store.path_for("long-one").read_bytes() == before


# A write that fails half-way leaves no half record behind.

FULL_DISK = textwrap.dedent(
    """
    import json, resource, signal, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from agent.domain.transcript import Turn
    from agent.errors import TranscriptError
    from agent.rubrics import load_rubric
    from agent.session import InterviewSession
    from agent.storage import TranscriptStore
    from tests.conftest import FakeBrain, complete

    store = TranscriptStore(Path(sys.argv[1]))
    session, _ = InterviewSession.start(
        rubric=load_rubric("customer-focus"), brain=FakeBrain(default=complete()), store=store,
        interview_id="full",
    )
    path = store.path_for("full")
    before = path.read_bytes()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 100, resource.RLIM_INFINITY))
    try:
        session.submit("I rang the supplier myself. " * 40)
        outcome = "saved"
    except TranscriptError as error:
        outcome = error.message
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print(json.dumps({"outcome": outcome, "unchanged": path.read_bytes() == before}))
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="file size limits as Linux enforces them")
def test_a_write_that_fails_half_way_is_cut_back_off(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path / "transcripts")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"].startswith("Could not save to")
    assert result["unchanged"] is True
