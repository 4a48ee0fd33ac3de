"""Finished interviews written straight to a data folder, for the reviewer's screens to read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from agent.domain.policy import InterviewConfig, Mode
from agent.resources import bundled_dir
from agent.rubrics import load_rubric
from agent.scripted import run_script
from agent.session import InterviewSession
from agent.settings import Settings
from agent.storage import TranscriptStore

from .helpers import FIXED_NOW, LITERAL, STRONG, WEAK, scripted_brain

MIDDLING = (
    "At my last job a customer was upset about a late delivery. I called them and apologised. "
    "I checked the tracking, called the courier and got it delivered the next day."
)


@dataclass(frozen=True)
class Spec:
    """One interview to write: who, how they answered, and when it happened."""

    interview_id: str
    candidate: str | None
    replies: tuple[str, ...]
    minutes: int = 0
    mode: Mode = "assessment"
    rubric_id: str = "customer-focus"
    invitation: str | None = None
    seed: int = 7


STRONG_SPEC = Spec(
    "20250314-0930-ana", "Ana Lima", (STRONG, STRONG, STRONG), minutes=1, invitation="a1b2c3d4e5f6"
)
WEAK_SPEC = Spec("20250314-0930-ben", "Ben Okafor", (WEAK, WEAK, WEAK, WEAK, WEAK, WEAK), minutes=2)
MIDDLING_SPEC = Spec("20250314-0930-cy", "Cy [b]Ross[/b]", (MIDDLING, LITERAL, STRONG, STRONG), minutes=3)
PRACTICE_SPEC = Spec("20250314-0930-pr", None, (STRONG, STRONG), minutes=4, mode="practice")
TEAM_SPEC = Spec("20250314-0930-tm", "Tess Team", (STRONG, STRONG), minutes=5, rubric_id="team-fit")


def add_rubric_copy(settings: Settings, rubric_id: str) -> None:
    """The bundled rubric under another id, in the user's rubric folder."""
    text = (bundled_dir("rubrics") / "customer-focus.yaml").read_text(encoding="utf-8")
    folder = settings.home / "rubrics"
    folder.mkdir(parents=True, exist_ok=True)
    renamed = text.replace("id: customer-focus", f"id: {rubric_id}", 1)
    (folder / f"{rubric_id}.yaml").write_text(renamed, encoding="utf-8")


def write_interviews(settings: Settings, *specs: Spec) -> list[str]:
    """Run each interview with the offline brain to its end; return their ids."""
    store = TranscriptStore(settings.transcripts_dir)
    for spec in specs:
        if spec.rubric_id != "customer-focus" and not _has_rubric(settings, spec.rubric_id):
            add_rubric_copy(settings, spec.rubric_id)
        at = FIXED_NOW + timedelta(minutes=spec.minutes)
        session, _first = InterviewSession.start(
            rubric=load_rubric(spec.rubric_id, settings.home),
            brain=scripted_brain(),
            store=store,
            mode=spec.mode,
            config=InterviewConfig(question_count=2, seed=spec.seed),
            candidate=spec.candidate,
            invitation=spec.invitation,
            clock=clock_at(at),
            interview_id=spec.interview_id,
        )
        try:
            run_script(session, list(spec.replies))
        finally:
            session.close()
        assert session.state.finished, f"{spec.interview_id} needs more replies"
    return [spec.interview_id for spec in specs]


def clock_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _has_rubric(settings: Settings, rubric_id: str) -> bool:
    return Path(settings.home / "rubrics" / f"{rubric_id}.yaml").is_file()
