"""The commands that open the app pass the user's choices through, and check them first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import agent.sandbox
import agent.ui.app
from agent.cli import main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run_app(settings: Any, **kwargs: Any) -> int:
        calls.append({"home": settings.home, **kwargs})
        return 0

    monkeypatch.setattr(agent.ui.app, "run_app", fake_run_app)
    monkeypatch.setenv("STARLING_HOME", str(tmp_path))
    return calls


def test_plain_starling_opens_the_app_on_the_default_rubric(
    opened: list[dict[str, Any]], tmp_path: Path
) -> None:
    assert main([]) == 0
    assert len(opened) == 1
    assert opened[0]["home"] == tmp_path and opened[0]["rubric_id"] == "customer-focus"
    assert [choice.name for choice in opened[0]["brains"]] == ["offline"]


def test_a_configured_model_is_offered_first_when_chosen(
    opened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STARLING_MODEL", "gpt-4o-mini")
    assert main(["--brain", "openai"]) == 0
    assert [choice.name for choice in opened[0]["brains"]] == ["openai", "offline"]


def test_chat_passes_choices(opened: list[dict[str, Any]]) -> None:
    assert (
        main(["chat", "--mode", "assessment", "--questions", "3", "--seed", "9", "--candidate", "Ada"]) == 0
    )
    call = opened[0]
    assert (call["mode"], call["question_count"], call["seed"], call["candidate"]) == (
        "assessment",
        3,
        9,
        "Ada",
    )


def test_chat_refuses_a_bad_question_count(
    opened: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["chat", "--questions", "40"]) == 2
    assert "between 1 and 12" in capsys.readouterr().err
    assert opened == []


def test_review_opens_the_review_workspace(opened: list[dict[str, Any]]) -> None:
    assert main(["review"]) == 0
    assert opened[0]["review"] is True


def test_candidate_opens_its_interview_folder_as_its_whole_data_folder(
    opened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The fence itself is tested in real processes (test_sandbox); here, that it goes up first.
    fenced: list[tuple[Path, int]] = []
    monkeypatch.setattr(agent.sandbox, "confine_candidate", lambda path: fenced.append((path, len(opened))))
    folder = tmp_path / "interviews" / "abc123"
    folder.mkdir(parents=True)
    assert main(["candidate", "--interview-dir", str(folder)]) == 0
    assert fenced == [(folder, 0)], "fenced in before the app opens"
    assert opened[0]["interview_dir"] == folder
    assert opened[0]["home"] == folder, "not $STARLING_HOME: the app reaches only its interview"


def test_candidate_refuses_a_missing_interview_folder(
    opened: list[dict[str, Any]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["candidate", "--interview-dir", str(tmp_path / "nowhere")]) == 2
    assert "No interview folder" in capsys.readouterr().err
    assert opened == []
