"""Holding interviews: the app (plain `starling`, `chat`, `review`), the terminal or a script
(`interview`), and continuing one (`resume`)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from agent.cli import output, wiring
from agent.domain.defaults import DEFAULT_RUBRIC
from agent.errors import InputError

if TYPE_CHECKING:
    from agent.domain.policy import InterviewConfig
    from agent.domain.rubric import Rubric
    from agent.session import InterviewSession


def cmd_default(args: argparse.Namespace) -> int:
    from agent.ui.app import run_app

    settings = wiring.settings_for(args)
    return run_app(settings, rubric_id=DEFAULT_RUBRIC, brains=wiring.brain_choices(settings))


def cmd_chat(args: argparse.Namespace) -> int:
    from agent.ui.app import run_app

    settings = wiring.settings_for(args)
    rubric = wiring.chosen_rubric(args, settings)
    return run_app(
        settings,
        brains=wiring.brain_choices(settings),
        rubric_id=rubric.id,
        mode=args.mode,
        question_count=wiring.question_count(args, rubric),
        seed=args.seed,
        candidate=args.candidate,
    )


def cmd_review(args: argparse.Namespace) -> int:
    from agent.ui.app import run_app

    return run_app(wiring.settings_for(args), review=True)


def _config(args: argparse.Namespace, rubric: Rubric) -> InterviewConfig:
    from agent.domain.policy import InterviewConfig

    count = wiring.question_count(args, rubric)
    if not 0 <= args.max_followups <= 4:
        raise InputError("--max-followups must be between 0 and 4.")
    seed = args.seed if args.seed is not None else _random_seed()
    return InterviewConfig(question_count=count, max_followups=args.max_followups, seed=seed)


def _random_seed() -> int:
    import secrets

    return secrets.randbelow(1_000_000)


def cmd_interview(args: argparse.Namespace) -> int:
    from agent.scripted import read_script
    from agent.session import InterviewSession
    from agent.terminal import run_terminal_interview

    settings = wiring.settings_for(args)
    rubric = wiring.chosen_rubric(args, settings)
    config = _config(args, rubric)
    store = wiring.store_for(settings)
    brain = wiring.brain_for(settings)
    if args.answers is None:
        return run_terminal_interview(
            rubric=rubric, brain=brain, store=store, mode=args.mode, config=config, candidate=args.candidate
        )
    replies = read_script(args.answers)
    session, first = InterviewSession.start(
        rubric=rubric, brain=brain, store=store, mode=args.mode, config=config, candidate=args.candidate
    )
    return _finish_script(session, first.turns, replies, args.format)


def _finish_script(session: InterviewSession, shown: list[Any], replies: list[str], fmt: str) -> int:
    from agent.scripted import run_script

    try:
        used = run_script(session, replies)
    finally:
        session.close()
    transcript = session.transcript
    if not transcript.finished:
        print(
            f"starling: the scripted replies ran out after {used}; interview {session.interview_id} "
            f"is saved unfinished. Continue it with: starling resume {session.interview_id}",
            file=sys.stderr,
        )
    output.print_interview(transcript, fmt)
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    from agent.rubrics import load_rubric
    from agent.scripted import read_script
    from agent.session import InterviewSession
    from agent.terminal import run_terminal_interview

    settings = wiring.settings_for(args)
    store = wiring.store_for(settings)
    replies = read_script(args.answers) if args.answers is not None else None
    store.load(args.id)  # says so if there is no such interview, before anything is locked
    with store.lock(args.id):  # one writer per interview, from here until this process is done
        transcript = store.load(args.id)
        if transcript.finished and transcript.evaluation is not None:
            raise InputError(
                f"Interview {args.id} is already finished.",
                hint=f"See it with: starling transcripts show {args.id}",
            )
        if replies is None and not args.terminal:
            from agent.ui.app import run_app

            return run_app(settings, resume_id=args.id)
        rubric = load_rubric(transcript.header.rubric_id, settings.home)
        brain = wiring.brain_for(settings)
        session, update = InterviewSession.resume(
            transcript=transcript, rubric=rubric, brain=brain, store=store
        )
        if replies is None:
            return run_terminal_interview(session=session, pending=update.turns)
        return _finish_script(session, update.turns, replies, args.format)
