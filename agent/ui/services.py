"""What every screen needs from outside the UI: settings, store, brains, clock and start-up options.

Built once by `build_app` and handed to screens, so tests can swap any part (a failing brain,
a fixed clock) without patching.
"""

from __future__ import annotations

import getpass
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from agent.domain.policy import DEFAULT_QUESTION_COUNT, Mode
from agent.session import Clock, utc_now
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.rubric_cache import RubricCache

if TYPE_CHECKING:
    from agent.brains.protocol import Brain
    from agent.interviews import InterviewFolder
    from agent.reviews import ReviewStore
    from agent.ui.brain_feed import BrainFeed

# How long the interviewer's text takes to appear, at most, when a brain does not stream.
DEFAULT_REVEAL_SECONDS = 0.3
# Where `starling invite` and `starling review` keep their files, inside the data folder.
# How long the thank-you screen stays up in candidate mode before the app closes by itself.
DEFAULT_CLOSE_SECONDS = 15.0


class BuildBrain(Protocol):
    """Builds a brain from the settings; a brain that reports progress reports it to `listener`."""

    def __call__(self, settings: Settings, /, *, listener: BrainFeed | None = None) -> Brain: ...


@dataclass(frozen=True)
class BrainChoice:
    """A brain the start screen offers: its name, a label for people and how to build it."""

    name: str
    label: str
    build: BuildBrain


def offline_choice() -> BrainChoice:
    return BrainChoice(name="offline", label="Offline (built in, no network)", build=_offline_brain)


def _offline_brain(_settings: Settings, *, listener: BrainFeed | None = None) -> Brain:
    """The reader is loaded when an interview starts, not when the app does. It reports nothing."""
    from agent.brains.offline import OfflineBrain

    return OfflineBrain()


def fixed_choice(brain: Brain) -> BrainChoice:
    """A choice that always hands out one given brain instance (for tests and custom wiring).

    The brain was built already, so it reports to whatever listener it was built with, if any.
    """

    def build(_settings: Settings, *, listener: BrainFeed | None = None) -> Brain:
        return brain

    return BrainChoice(name=brain.name, label=brain.name, build=build)


@dataclass(frozen=True)
class UiOptions:
    """Start-up choices and presets; the CLI fills them from flags."""

    mode: Mode = "practice"
    rubric_id: str | None = None
    question_count: int = DEFAULT_QUESTION_COUNT
    seed: int | None = None
    candidate: str | None = None
    review: bool = False
    resume_id: str | None = None
    reveal_seconds: float = DEFAULT_REVEAL_SECONDS
    cursor_blink: bool = True
    interview_dir: Path | None = None
    close_seconds: float = DEFAULT_CLOSE_SECONDS
    reviewer: str | None = None

    @property
    def candidate_mode(self) -> bool:
        """A candidate from an invitation: one interview, nothing else reachable."""
        return self.interview_dir is not None


def os_user(fallback: str = "reviewer") -> str:
    """The name of the user running the app, for a reviewer's decisions; `fallback` if unknown."""
    try:
        return getpass.getuser().strip() or fallback
    except (OSError, KeyError, ImportError):  # no login name, no passwd entry, or no pwd module
        return fallback


@dataclass
class ReviewerName:
    """The reviewer's name for this run: the last one typed, else the OS user's."""

    value: str


@dataclass(frozen=True)
class Services:
    """Settings, storage, brains and the clock, shared by all screens."""

    settings: Settings
    store: TranscriptStore
    brains: Sequence[BrainChoice]
    clock: Clock = utc_now
    options: UiOptions = field(default_factory=UiOptions)
    interview_ids: Callable[[datetime], str] | None = None
    rubrics: RubricCache = field(default_factory=RubricCache)
    reviewer: ReviewerName = field(default_factory=lambda: ReviewerName(os_user()))

    @property
    def interview(self) -> InterviewFolder:
        """Candidate mode's invitation: its interview folder, all the app may reach."""
        from agent.interviews import InterviewFolder

        if self.options.interview_dir is None:
            raise RuntimeError("only a candidate's app has an interview folder")
        return InterviewFolder(self.options.interview_dir)

    @property
    def reviews(self) -> ReviewStore:
        from agent.reviews import ReviewStore

        return ReviewStore(self.settings.reviews_dir)

    def brain_choice(self, name: str | None) -> BrainChoice:
        """The named brain, else the one the settings prefer, else the first offered."""
        for wanted in (name, self.settings.brain):
            for choice in self.brains:
                if choice.name == wanted:
                    return choice
        return self.brains[0]

    def seed(self) -> int:
        return self.options.seed if self.options.seed is not None else secrets.randbelow(2**31)

    def interview_id(self) -> str | None:
        return self.interview_ids(self.clock()) if self.interview_ids else None
