"""The slow, blocking work behind the screens; each function runs inside a thread worker.

Nothing here touches widgets: results go back to the screens as messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from agent.domain.policy import DEFAULT_QUESTION_COUNT, InterviewConfig, Mode
from agent.errors import StarlingError
from agent.rubrics import kit_files, rubric_files
from agent.session import InterviewSession, Update
from agent.ui.services import Services

if TYPE_CHECKING:
    from pathlib import Path

    from agent.domain.rubric import Rubric
    from agent.domain.transcript import Transcript
    from agent.interviews import InvitationDetails
    from agent.ui.brain_feed import BrainFeed


@dataclass(frozen=True)
class RubricOption:
    """A rubric the start screen can offer, or the reason it cannot."""

    rubric_id: str
    title: str
    questions: int
    problem: str | None = None
    # For a role kit: how many questions it asks, and its competencies with their counts.
    kit_questions: int | None = None
    kit_summary: str = ""  # its competencies and how many questions each


@dataclass(frozen=True)
class StartRequest:
    """What the start screen asked for: a new interview, or resuming a saved one."""

    rubric_id: str = ""
    mode: Mode = "practice"
    question_count: int = DEFAULT_QUESTION_COUNT
    brain: str | None = None
    candidate: str | None = None
    resume_id: str | None = None
    invitation: InvitationDetails | None = None


def describe(error: BaseException) -> tuple[str, str | None]:
    """A message and hint for a person, never a traceback."""
    if isinstance(error, StarlingError):
        return error.message, error.hint
    detail = str(error) or type(error).__name__
    return (
        f"Something went wrong: {detail}",
        "Your work so far is saved. Try again; if it keeps happening, please report it.",
    )


def list_rubrics(services: Services) -> list[RubricOption]:
    """Every rubric file with its title, or why it cannot be used; valid ones are kept for starting."""
    home = services.settings.home
    options: list[RubricOption] = []
    for path in [*rubric_files(home), *kit_files(home)]:
        rubric, issues = services.rubrics.check(path, home)
        if rubric is None:
            problem = str(issues[0]) if issues else "cannot be loaded"
            options.append(RubricOption(path.stem, path.stem, 0, problem))
        elif rubric.parts:
            options.append(
                RubricOption(
                    rubric.id,
                    rubric.title,
                    len(rubric.questions),
                    kit_questions=rubric.kit_question_count,
                    kit_summary=" · ".join(f"{part.title} {part.questions}" for part in rubric.parts),
                )
            )
        else:
            options.append(RubricOption(rubric.id, rubric.title, len(rubric.questions)))
    return options


def start_session(
    services: Services, request: StartRequest, *, listener: BrainFeed | None = None
) -> tuple[InterviewSession, Update]:
    """Start or resume the interview asked for, with a brain that reports its progress to `listener`."""
    settings = services.settings
    if request.resume_id is not None:
        transcript = services.store.load(request.resume_id)
        rubric = services.rubrics.load(transcript.header.rubric_id, settings.home)
        brain = services.brain_choice(transcript.header.brain).build(settings, listener=listener)
        return InterviewSession.resume(
            transcript=transcript, rubric=rubric, brain=brain, store=services.store, clock=services.clock
        )
    rubric = services.rubrics.load(request.rubric_id, settings.home)
    brain = services.brain_choice(request.brain).build(settings, listener=listener)
    invitation = request.invitation
    session, update = InterviewSession.start(
        rubric=rubric,
        brain=brain,
        store=services.store,
        mode=request.mode,
        config=InterviewConfig(question_count=request.question_count, seed=services.seed()),
        candidate=request.candidate or None,
        invitation=invitation.id if invitation else None,
        clock=services.clock,
        interview_id=services.interview_id(),
    )
    if invitation is not None:
        try:
            services.interview.record_interview(session.interview_id)
        except OSError:
            session.close()
            raise
    return session, update


def retry(session: InterviewSession, services: Services) -> tuple[InterviewSession, Update]:
    """Carry out work left unfinished by a failure (an analysis, the evaluation) by resuming.

    The session has no retry of its own; resuming from its transcript does exactly that work.
    """
    session.close()
    return InterviewSession.resume(
        transcript=session.transcript,
        rubric=session.state.rubric,
        brain=session.brain,
        store=services.store,
        clock=services.clock,
    )


def load_interview(services: Services, interview_id: str) -> tuple[Transcript, Rubric | None]:
    """A stored interview and its rubric; the rubric is None when it no longer loads."""
    transcript = services.store.load(interview_id)
    try:
        rubric: Rubric | None = services.rubrics.load(transcript.header.rubric_id, services.settings.home)
    except StarlingError:
        rubric = None
    if rubric is not None and rubric.content_hash() != transcript.header.rubric_hash:
        rubric = None  # the anchors may have changed since; the report then shows stored words only
    return transcript, rubric


def export_interview(transcript: Transcript, folder: Path) -> list[Path]:
    """Write the interview as Markdown, JSON and HTML into `folder`; return the paths."""
    from agent.reports.render import export  # only when exporting: the renderers are not needed to start

    return export(transcript, folder)
