"""Fixtures for the UI tests: isolated settings, a fixed clock and id, and an app factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension  # type: ignore[import-untyped]

from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.app import StarlingApp, build_app
from agent.ui.rubric_cache import RubricCache
from agent.ui.services import BrainChoice, fixed_choice, offline_choice

from .helpers import INTERVIEW_ID, fixed_clock, scripted_brain

AppFactory = Callable[..., StarlingApp]

# The plugin names its snapshot extension with syrupy 4's attribute; syrupy 5+ reads this one.
SVGImageExtension.file_extension = "svg"

# Parsed rubrics are shared by every app in the run (a file that changes is parsed again).
RUBRICS = RubricCache()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user settings file or environment leaks into a test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("STARLING_HOME", "STARLING_BRAIN", "STARLING_MODEL", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


@pytest.fixture
def store(settings: Settings) -> TranscriptStore:
    """Every interview, invited ones included, as the app and the reviewer read them."""
    return TranscriptStore(settings.transcripts_dir, invited=settings.interviews_dir)


@pytest.fixture
def make_app(settings: Settings) -> AppFactory:
    """Build the app with nondeterminism removed: seed, clock, id, no typewriter, no blink."""

    def factory(**options: Any) -> StarlingApp:
        defaults: dict[str, Any] = {
            "seed": 7,
            "question_count": 2,
            "clock": fixed_clock,
            "reveal_seconds": 0.0,
            "cursor_blink": False,
            "interview_ids": lambda _now: INTERVIEW_ID,
            "rubric_cache": RUBRICS,
        }
        if "brain" not in options and "brains" not in options:
            brain = scripted_brain()
            defaults["brains"] = [BrainChoice("offline", offline_choice().label, fixed_choice(brain).build)]
        defaults.update(options)
        return build_app(settings, **defaults)

    return factory
