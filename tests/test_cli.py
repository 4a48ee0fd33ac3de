"""The pinned command-line contract, run in-process, plus subprocess runs and a kill-and-resume test."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from agent.cli import main
from agent.domain.star import FOLLOWUP_TARGETS, RED_FLAGS
from agent.domain.transcript import EvaluationRecord
from agent.storage import TranscriptStore, read_transcript
from tests.conftest import REPO

QUESTION = "Can you tell me about a specific time when you dealt with a customer who was very upset or angry?"
GOOD_ANSWER = (
    "Last March at the bike shop where I worked, a customer was furious because his repair was two weeks "
    "late. I was responsible for the workshop queue that month. I apologised, called our parts supplier "
    "myself, found the missing brake part at another branch and drove over to collect it that afternoon. "
    "I fitted it the next morning and he picked the bike up the same day; he left a five-star review."
)
VAGUE_ANSWER = "We usually try to keep customers happy and I think communication is important."
STATUSES = {"present", "partial", "missing"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_analysis_contract(document: dict[str, Any]) -> None:
    """The pinned keys and closed vocabularies of `starling analyze --format json`."""
    assert set(document["star"]) == {"situation", "task", "action", "result"}
    assert all(status in STATUSES for status in document["star"].values())
    assert document["ownership"] in {"clear", "unclear"}
    assert isinstance(document["specific_example"], bool)
    assert isinstance(document["quantified_result"], bool)
    assert isinstance(document["red_flags"], list)
    assert set(document["red_flags"]) <= set(RED_FLAGS)
    followup = document["followup"]
    assert followup["target"] in FOLLOWUP_TARGETS
    assert isinstance(followup["question"], str)
    if followup["target"] != "none":
        assert followup["question"].strip()
    score = document["score"]
    assert isinstance(score, int) and not isinstance(score, bool)
    assert 1 <= score <= 5


def write_script(path: Path, replies: list[str]) -> Path:
    path.write_text("\n---\n".join(replies) + "\n", encoding="utf-8")
    return path


def replies(count: int) -> list[str]:
    """Distinct, plausible replies that the offline brain usually probes further."""
    shapes = [
        "At my last job a customer complained that their invoice was wrong, so I checked it.",
        "I called the customer back the same afternoon and explained what had happened.",
        "In the end the customer was happy and renewed their contract for another year.",
        "My manager asked me to handle it because I knew the account best.",
        "I personally rewrote the onboarding email and sent it to the twenty customers affected.",
        "The complaints dropped from about ten a week to two within the month.",
    ]
    return [f"Reply {n:02d}: {shapes[n % len(shapes)]}" for n in range(count)]


# analyze


def test_analyze_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_ANSWER))
    code, out, err = run(["analyze", "--question", QUESTION, "--format", "json"], capsys)
    assert code == 0, err
    document = json.loads(out)
    assert_analysis_contract(document)


def test_analyze_from_answer_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(VAGUE_ANSWER, encoding="utf-8")
    code, out, _ = run(
        ["analyze", "--question", QUESTION, "--answer-file", str(answer), "--format", "json"], capsys
    )
    assert code == 0
    document = json.loads(out)
    assert_analysis_contract(document)
    # A vague answer leaves something to probe, and the follow-up comes from the rubric.
    assert document["followup"]["target"] != "none"


def test_analyze_same_answer_twice_gives_the_same_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(GOOD_ANSWER, encoding="utf-8")
    argv = ["analyze", "--question", QUESTION, "--answer-file", str(answer), "--format", "json"]
    first = run(argv, capsys)[1]
    assert run(argv, capsys)[1] == first


def test_analyze_needs_a_question(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(GOOD_ANSWER, encoding="utf-8")
    code, out, err = run(["analyze", "--answer-file", str(answer)], capsys)
    assert code == 2 and out == ""
    assert "--question" in err


def test_analyze_missing_answer_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["analyze", "--question", QUESTION, "--answer-file", str(tmp_path / "nope.txt")], capsys
    )
    assert code == 2
    assert "No such file" in err


def batch_lines(count: int) -> list[dict[str, Any]]:
    answers = [GOOD_ANSWER, VAGUE_ANSWER, "I can't recall a time like that.", "ok"]
    return [
        {"id": f"item-{n:03d}", "question": QUESTION, "answer": f"{answers[n % len(answers)]} ({n})"}
        for n in range(count)
    ]


def test_analyze_batch_keeps_ids_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = batch_lines(50)
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    code, out, err = run(["analyze", "--batch", str(path)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 50
    documents = [json.loads(line) for line in lines]
    assert [d["id"] for d in documents] == [item["id"] for item in items]
    for document in documents:
        assert_analysis_contract(document)


def test_analyze_batch_with_malformed_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = batch_lines(50)
    raw = [json.dumps(item) for item in items]
    raw[10] = '{"id": "item-010", "question": "broken'  # not JSON
    raw[20] = json.dumps({"id": "item-020", "question": QUESTION})  # no answer
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(raw) + "\n", encoding="utf-8")
    code, out, err = run(["analyze", "--batch", str(path)], capsys)
    assert code == 2
    documents = [json.loads(line) for line in out.splitlines()]
    assert len(documents) == 50
    assert "error" in documents[10] and documents[10]["line"] == 11
    assert "error" in documents[20] and documents[20]["line"] == 21
    assert documents[20]["id"] == "item-020"
    good = [d for n, d in enumerate(documents) if n not in {10, 20}]
    assert [d["id"] for d in good] == [item["id"] for n, item in enumerate(items) if n not in {10, 20}]
    for document in good:
        assert "error" not in document
        assert_analysis_contract(document)
    assert "2 line(s)" in err


def test_a_parallel_batch_prints_what_a_serial_one_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import agent.batch

    raw = [json.dumps(item) for item in batch_lines(300)]
    raw[7] = "not json"
    raw[250] = json.dumps({"id": "item-250", "answer": "\x00\x01"})  # nothing visible in it
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(raw) + "\n", encoding="utf-8")
    printed = []
    for cores in (1, 2):
        monkeypatch.setattr(agent.batch, "available_cores", lambda cores=cores: cores)
        code, out, err = run(["analyze", "--batch", str(path)], capsys)
        assert code == 2 and "2 line(s)" in err
        printed.append(out)
    assert printed[0] == printed[1]
    documents = [json.loads(line) for line in printed[1].splitlines()]
    assert [d.get("line") for d in documents if "error" in d] == [8, 251]
    assert len(documents) == 300


# interview


def interview(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], script: list[str], *extra: str
) -> tuple[int, dict[str, Any], str]:
    answers = write_script(tmp_path / "answers.txt", script)
    code, out, err = run(
        ["interview", "--rubric", "customer-focus", "--answers", str(answers), "--format", "json", *extra],
        capsys,
    )
    return code, (json.loads(out) if out else {}), err


def test_scripted_interview_json(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = replies(40)
    code, document, err = interview(tmp_path, capsys, script, "--seed", "7")
    assert code == 0, err
    assert err == ""
    assert document["finished"] is True
    assert document["config"]["seed"] == 7
    turns = document["turns"]
    interviewer = [t for t in turns if t["role"] == "interviewer"]
    kinds = [t["kind"] for t in interviewer]
    assert kinds[0] == "opening"
    assert kinds[-1] == "closing"
    assert kinds.count("closing") == 1
    assert kinds.count("question") == len(document["plan"]) == 4
    assert [t["question_id"] for t in interviewer if t["kind"] == "question"] == document["plan"]
    for turn in interviewer:
        assert turn["kind"] in {"opening", "question", "followup", "closing"}
        if turn["kind"] == "followup":
            assert turn["target"] in set(FOLLOWUP_TARGETS) - {"none"}
            assert turn["text"]
    candidate = [t["text"] for t in turns if t["role"] == "candidate"]
    assert candidate == script[: len(candidate)]
    assert len(candidate) <= 4 * 3
    evaluation = document["evaluation"]
    assert evaluation["recommendation"] in {
        "advance",
        "borderline",
        "do_not_advance",
        "insufficient_evidence",
    }
    assert [q["question_id"] for q in evaluation["questions"]] == document["plan"]
    # The transcript is saved under STARLING_HOME.
    saved = list((home / "transcripts").glob("*.jsonl"))
    assert [p.stem for p in saved] == [document["interview_id"]]


def test_same_seed_same_plan(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = []
    for seed in ("7", "7", "8"):
        code, document, _ = interview(tmp_path, capsys, replies(40), "--seed", seed)
        assert code == 0
        plans.append(document["plan"])
    assert plans[0] == plans[1]
    assert len(plans[0]) == 4


def test_different_seeds_can_give_different_plans(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plans = set()
    for seed in range(6):
        code, document, _ = interview(tmp_path, capsys, ["/end"], "--seed", str(seed))
        assert code == 0
        plans.add(tuple(document["plan"]))
    assert len(plans) > 1


def test_answers_as_json_lines(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = replies(40)
    lines = [
        json.dumps(text) if n % 2 else json.dumps({"answer": text, "note": "ignored"})
        for n, text in enumerate(texts)
    ]
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(["interview", "--answers", str(answers), "--format", "json", "--seed", "3"], capsys)
    assert code == 0, err
    document = json.loads(out)
    candidate = [t["text"] for t in document["turns"] if t["role"] == "candidate"]
    assert candidate and candidate == texts[: len(candidate)]
    assert document["finished"]


def test_skip_and_end_in_scripts(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = ["/skip", "Reply A: I fixed a customer's billing problem myself last May.", "/end", "never used"]
    code, document, err = interview(tmp_path, capsys, script, "--seed", "1")
    assert code == 0, err
    turns = document["turns"]
    candidate = [t["text"] for t in turns if t["role"] == "candidate"]
    assert candidate == [script[1]]
    questions = [t for t in turns if t.get("kind") == "question"]
    assert questions[0]["question_id"] == document["plan"][0]
    assert questions[1]["question_id"] == document["plan"][1]
    assert turns[-1]["kind"] == "closing"
    assert document["finished"]
    statuses = {q["question_id"]: q["status"] for q in document["evaluation"]["questions"]}
    assert statuses[document["plan"][0]] == "not_assessed"
    transcript = read_transcript(home / "transcripts" / f"{document['interview_id']}.jsonl")
    assert [r.control for r in transcript.records if r.type == "control"] == ["skip", "end"]


def test_unknown_rubric(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write_script(tmp_path / "answers.txt", ["hello"])
    code, out, err = run(["interview", "--rubric", "no-such-rubric", "--answers", str(answers)], capsys)
    assert code == 2 and out == ""
    assert "No rubric or kit called 'no-such-rubric'" in err
    assert "customer-focus" in err  # says which rubrics exist
    assert not (home / "transcripts").exists()


def test_missing_answers_file(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["interview", "--answers", str(tmp_path / "missing.txt")], capsys)
    assert code == 2 and out == ""
    assert "No such answers file" in err
    assert not (home / "transcripts").exists()


def test_empty_answers_file(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n---\n\n", encoding="utf-8")
    code, _, err = run(["interview", "--answers", str(empty)], capsys)
    assert code == 2
    assert "has no replies" in err


@pytest.mark.parametrize("flags", [["--questions", "13"], ["--questions", "0"], ["--max-followups", "5"]])
def test_out_of_range_config(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    answers = write_script(tmp_path / "answers.txt", ["hello"])
    code, _, err = run(["interview", "--answers", str(answers), *flags], capsys)
    assert code == 2
    assert flags[0] in err


def test_markdown_output(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write_script(tmp_path / "answers.txt", replies(40))
    code, out, _ = run(["interview", "--answers", str(answers), "--format", "md", "--seed", "2"], capsys)
    assert code == 0
    assert out.startswith("# Interview ")
    assert "## Practice summary" in out, "a practice interview is coached, not recommended"
    assert "Reply 00" in out


def test_home_flag_overrides_the_environment(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    answers = write_script(tmp_path / "answers.txt", ["/end"])
    code, out, _ = run(
        ["--home", str(elsewhere), "interview", "--answers", str(answers), "--format", "json"], capsys
    )
    assert code == 0
    interview_id = json.loads(out)["interview_id"]
    assert (elsewhere / "transcripts" / f"{interview_id}.jsonl").exists()
    assert not (home / "transcripts").exists()


# transcripts and resume


def finished_interview(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, document, _ = interview(tmp_path, capsys, replies(40), "--seed", "4")
    assert code == 0
    interview_id: str = document["interview_id"]
    return interview_id


def test_transcripts_list_show_delete(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["transcripts", "list"], capsys)
    assert code == 0 and "No saved interviews" in out

    interview_id = finished_interview(tmp_path, capsys)
    code, out, _ = run(["transcripts", "list"], capsys)
    assert code == 0
    assert interview_id in out and "finished" in out

    code, out, _ = run(["transcripts", "list", "--format", "json"], capsys)
    listed = json.loads(out)
    assert [item["id"] for item in listed] == [interview_id]
    assert listed[0]["finished"] is True
    assert listed[0]["recommendation"] is not None

    code, out, _ = run(["transcripts", "show", interview_id], capsys)
    assert code == 0 and out.startswith(f"# Interview {interview_id}")
    code, out, _ = run(["transcripts", "show", interview_id, "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["interview_id"] == interview_id

    # Without --yes and without a terminal, nothing is deleted.
    code, _, err = run(["transcripts", "delete", interview_id], capsys)
    assert code == 2 and "--yes" in err
    assert (home / "transcripts" / f"{interview_id}.jsonl").exists()

    code, out, _ = run(["transcripts", "delete", interview_id, "--yes"], capsys)
    assert code == 0 and "Deleted" in out
    assert not (home / "transcripts" / f"{interview_id}.jsonl").exists()

    code, _, err = run(["transcripts", "show", interview_id], capsys)
    assert code == 2 and "transcripts list" in err
    code, _, err = run(["transcripts", "delete", "../../etc/passwd", "--yes"], capsys)
    assert code == 2 and "not a transcript id" in err


def test_resume_finished_interview_is_refused(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    interview_id = finished_interview(tmp_path, capsys)
    answers = write_script(tmp_path / "more.txt", ["more"])
    code, out, err = run(["resume", interview_id, "--answers", str(answers)], capsys)
    assert code == 2 and out == ""
    assert "already finished" in err
    assert f"starling transcripts show {interview_id}" in err


def test_resume_unknown_id(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["resume", "20990101-000000-abcdef"], capsys)
    assert code == 2
    assert "No transcript" in err


def test_script_running_out_then_resume(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = replies(40)
    code, document, err = interview(tmp_path, capsys, script[:2], "--seed", "5")
    assert code == 0
    assert document["finished"] is False and document["evaluation"] is None
    interview_id = document["interview_id"]
    assert f"starling resume {interview_id}" in err

    rest = write_script(tmp_path / "rest.txt", script[2:])
    code, out, err = run(["resume", interview_id, "--answers", str(rest), "--format", "json"], capsys)
    assert code == 0, err
    resumed = json.loads(out)
    assert resumed["interview_id"] == interview_id
    assert resumed["finished"] is True and resumed["evaluation"] is not None
    candidate = [t["text"] for t in resumed["turns"] if t["role"] == "candidate"]
    assert candidate == script[: len(candidate)]
    assert len(candidate) > 2


# Subprocesses: what a user really sees


def starling(*args: str, home: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STARLING_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=timeout,
        check=False,
    )


def test_subprocess_errors_have_no_traceback(home: Path, tmp_path: Path) -> None:
    answers = write_script(tmp_path / "answers.txt", ["hello"])
    cases = [
        ["interview", "--rubric", "nope", "--answers", str(answers)],
        ["interview", "--answers", str(tmp_path / "missing.txt")],
        ["resume", "no-such-id"],
        ["transcripts", "show", "../x"],
    ]
    for args in cases:
        done = starling(*args, home=home)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("starling: "), done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""


def test_subprocess_interview_and_analyze(home: Path, tmp_path: Path) -> None:
    answers = write_script(tmp_path / "answers.txt", replies(40))
    done = starling("interview", "--answers", str(answers), "--format", "json", "--seed", "1", home=home)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    document = json.loads(done.stdout)
    assert document["finished"] and document["evaluation"]

    env = {**os.environ, "STARLING_HOME": str(home)}
    analysed = subprocess.run(
        [sys.executable, "-m", "agent.cli", "analyze", "--question", QUESTION, "--format", "json"],
        input=GOOD_ANSWER,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert analysed.returncode == 0, analysed.stderr
    assert_analysis_contract(json.loads(analysed.stdout))


# Kill -9 in the middle of a scripted interview, then resume.

# Slows every transcript write a little, so a SIGKILL lands mid-interview instead of after it.
# This wraps the real CLI from outside; nothing in the package knows about it.
SLOW_DRIVER = """
import sys, time
from agent import storage
_append = storage.TranscriptWriter.append
def _slow_append(self, record):
    _append(self, record)
    time.sleep(float(sys.argv[1]))
storage.TranscriptWriter.append = _slow_append
from agent.cli import main
sys.exit(main(sys.argv[2:]))
"""


def candidate_turns(path: Path) -> int:
    """Complete candidate-turn lines in a transcript file that is being written."""
    try:
        data = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 0
    count = 0
    for line in data.split("\n")[:-1]:  # the last piece may be a line still being written
        try:
            record = json.loads(line)
        except ValueError:
            continue
        count += record.get("type") == "turn" and record.get("role") == "candidate"
    return count


def kill_after(args: list[str], home: Path, folder: Path, turns: int, delay: float, linger: float) -> Path:
    """Run the slowed CLI, SIGKILL it once the transcript holds `turns` candidate turns."""
    env = {**os.environ, "STARLING_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_DRIVER, str(delay), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and process.poll() is None:
            files = list(folder.glob("*.jsonl"))
            if files and candidate_turns(files[0]) >= turns:
                time.sleep(linger)
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    assert code == -signal.SIGKILL, f"the process was not killed mid-interview (exit {code}): {stderr}"
    (path,) = folder.glob("*.jsonl")
    return path


@pytest.mark.slow
def test_kill_and_resume_loses_no_reply(tmp_path: Path) -> None:
    script = replies(36)
    home = tmp_path / "home"
    folder = home / "transcripts"
    answers = write_script(tmp_path / "answers.txt", script)
    interview_args = [
        "interview",
        "--answers",
        str(answers),
        "--format",
        "json",
        "--seed",
        "1",
        "--questions",
        "12",
        "--max-followups",
        "2",
    ]
    # First kill lands right after a candidate turn is written; the second one a little later,
    # so it lands after a different kind of record.
    path = kill_after(interview_args, home, folder, turns=4, delay=0.01, linger=0.0)
    interview_id = path.stem
    killed_at = [candidate_turns(path)]

    used = read_transcript(path).candidate_text
    assert used == script[: len(used)]
    rest = write_script(tmp_path / "rest1.txt", script[len(used) :])
    resume_args = ["resume", interview_id, "--answers", str(rest), "--format", "json"]
    kill_after(resume_args, home, folder, turns=len(used) + 5, delay=0.01, linger=0.015)
    killed_at.append(candidate_turns(path))

    used = read_transcript(path).candidate_text
    assert used == script[: len(used)]
    rest = write_script(tmp_path / "rest2.txt", script[len(used) :])
    done = starling("resume", interview_id, "--answers", str(rest), "--format", "json", home=home)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr

    document = json.loads(done.stdout)
    assert document["finished"] is True
    assert document["evaluation"] is not None
    candidate = [t["text"] for t in document["turns"] if t["role"] == "candidate"]
    assert candidate == script[: len(candidate)], "every reply exactly once, in order"
    assert len(candidate) > killed_at[-1] >= killed_at[0] >= 4

    final = read_transcript(path)
    assert final.candidate_text == candidate
    assert sum(isinstance(r, EvaluationRecord) for r in final.records) == 1
    interviewer = [(t.ask, t.question_id, t.followup_number) for t in final.turns if t.role == "interviewer"]
    assert len(interviewer) == len(set(interviewer)), "no interviewer turn was written twice"
    assert [r.seq for r in final.records] == list(range(1, len(final.records) + 1))
    # Every candidate turn was analysed exactly once.
    analyses = [r for r in final.records if r.type == "analysis"]
    assert len(analyses) == len(candidate)
    assert TranscriptStore(folder).summaries()[0].finished


def test_invite_and_serve_share_one_address(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STARLING_PORT", "8765")
    assert main(["--home", str(home), "invite", "--candidate", "Ada"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8765/i/" in out, "the port serve would use, from the same setting"
    assert "It is for 'starling serve' at http://127.0.0.1:8765" in out
    from agent.settings import load_settings

    assert load_settings(home=home).server_url == "http://127.0.0.1:8765"


def test_invite_refuses_a_link_the_running_server_would_not_answer(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from agent.invitations import InvitationStore

    store = InvitationStore(home / "invitations")
    store.record_server("http://127.0.0.1:8765", os.getpid())  # a live process stands in for serve
    assert main(["--home", str(home), "invite", "--candidate", "Ada", "--port", "8000"]) == 2
    err = capsys.readouterr().err
    assert "running at http://127.0.0.1:8765" in err and "No invitation was created" in err
    assert store.all() == []
    assert main(["--home", str(home), "invite", "--candidate", "Ada", "--port", "8765"]) == 0
    assert "the 'starling serve' running at http://127.0.0.1:8765" in capsys.readouterr().out


def test_serve_on_a_port_in_use_says_so_and_records_nothing(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    from agent.invitations import InvitationStore

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code = main(["--home", str(home), "serve", "--port", str(port)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"Cannot listen on 127.0.0.1:{port}: Address already in use." in err
    assert "--port" in err and "Traceback" not in err
    assert "Listening" not in out and "Serving" not in out, "nothing claims it is serving"
    assert InvitationStore(home / "invitations").running_server() is None
