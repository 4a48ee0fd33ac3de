"""--home, --brain and --model work before or after the command, as people type them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import build_parser, main
from tests.test_cli import run, write_script


@pytest.mark.parametrize(
    "argv",
    [
        ["--brain", "openai", "--model", "m", "interview"],
        ["interview", "--brain", "openai", "--model", "m"],
        ["--brain", "offline", "interview", "--brain", "openai", "--model", "m"],
        ["transcripts", "list", "--brain", "openai", "--model", "m"],
        ["rubrics", "validate", "--model", "m", "--brain", "openai"],
    ],
)
def test_global_options_parse_in_either_place(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.brain == "openai" and args.model == "m"


def test_options_before_the_command_still_count_when_not_repeated() -> None:
    args = build_parser().parse_args(["--home", "/a", "--model", "x", "interview", "--brain", "openai"])
    assert args.home == Path("/a") and args.model == "x" and args.brain == "openai"
    assert build_parser().parse_args(["interview"]).brain is None


def test_home_after_the_command(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    answers = write_script(tmp_path / "answers.txt", ["/end"])
    code, out, _ = run(
        ["interview", "--answers", str(answers), "--format", "json", "--home", str(elsewhere)], capsys
    )
    assert code == 0
    interview_id = json.loads(out)["interview_id"]
    assert (elsewhere / "transcripts" / f"{interview_id}.jsonl").exists()
    code, out, _ = run(["transcripts", "list", "--home", str(elsewhere)], capsys)
    assert code == 0 and interview_id in out


def test_brain_after_the_command_is_used(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write_script(tmp_path / "answers.txt", ["/end"])
    code = main(["interview", "--brain", "openai", "--model", "gpt-x", "--answers", str(answers)])
    err = capsys.readouterr().err
    assert "unrecognized arguments" not in err
    assert code == 2 and "OPENAI_API_KEY" in err, "the model brain was chosen, and needs a key"


def test_eval_takes_home_after_the_command() -> None:
    args = build_parser().parse_args(["eval", "smoke", "--home", "/h", "--brain", "replay"])
    assert args.home == Path("/h") and args.brain == "replay"


@pytest.mark.parametrize(
    "argv",
    [
        ["--brain", "openai", "--model", "m", "eval", "smoke"],
        ["eval", "smoke", "--brain", "openai", "--model", "m"],
        ["--model", "m", "eval", "smoke", "--brain", "openai"],
    ],
)
def test_eval_takes_brain_and_model_in_either_place(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert args.brain == "openai" and args.model == "m"


def test_eval_runs_offline_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STARLING_BRAIN", "openai")  # the interview setting does not choose an eval's brain
    assert getattr(build_parser().parse_args(["eval", "smoke"]), "brain", None) is None
