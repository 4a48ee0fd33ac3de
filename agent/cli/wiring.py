"""What commands are built from: their settings, the transcript store, the brain, and the rubric and
question count an interview asks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from agent.domain.defaults import DEFAULT_QUESTION_COUNT, DEFAULT_RUBRIC
from agent.errors import InputError

if TYPE_CHECKING:
    from agent.brains.protocol import Brain
    from agent.domain.rubric import Rubric
    from agent.settings import Settings
    from agent.storage import TranscriptStore
    from agent.ui.services import BrainChoice


def settings_for(args: argparse.Namespace, home: Path | None = None) -> Settings:
    """The settings for a command; `home`, when given, is the data folder whatever the flags say."""
    from pydantic import ValidationError

    from agent.files import secure_home
    from agent.settings import load_settings

    try:
        settings = load_settings(
            home=home or getattr(args, "home", None),
            brain=getattr(args, "brain", None),
            model=getattr(args, "model", None),
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            public_url=getattr(args, "public_url", None),
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'settings'}: {item['msg']}"
            for item in error.errors()
        )
        raise InputError(
            f"Invalid settings: {problems}.", hint="Check the flags, STARLING_* variables and settings file."
        ) from error
    secure_home(settings.home)
    return settings


def brain_for(settings: Settings) -> Brain:
    """The configured brain; a missing key or model raises an error that says what to set."""
    from agent.brains.factory import build_brain

    return build_brain(settings)


def store_for(settings: Settings) -> TranscriptStore:
    from agent.storage import TranscriptStore

    return TranscriptStore(settings.transcripts_dir, invited=settings.interviews_dir)


def brain_choices(settings: Settings) -> list[BrainChoice]:
    """What the start screen offers: the offline brain, and the configured model if there is one."""
    from agent.brains.factory import build_llm_brain
    from agent.ui.services import BrainChoice, offline_choice

    choices = [offline_choice()]
    if settings.model:
        where = settings.base_url or "OpenAI"
        model = BrainChoice(name="openai", label=f"Model {settings.model} ({where})", build=build_llm_brain)
        choices = [model, *choices] if settings.brain == "openai" else [*choices, model]
    return choices


def chosen_rubric(args: argparse.Namespace, settings: Settings) -> Rubric:
    """The rubric named by --rubric, or the one composed from --kit (the default rubric if neither)."""
    from agent.rubrics import find_kit, load_rubric

    if args.kit is not None:
        return load_rubric(str(find_kit(args.kit, settings.home)), settings.home)
    return load_rubric(args.rubric or DEFAULT_RUBRIC, settings.home)


def question_count(args: argparse.Namespace, rubric: Rubric) -> int:
    """--questions, checked; a kit's own count, which --questions may not contradict."""
    planned = rubric.kit_question_count
    if planned is not None:
        if args.questions is not None and args.questions != planned:
            raise InputError(
                f"The kit '{rubric.id}' asks {planned} questions; --questions cannot change that.",
                hint="Leave out --questions, or choose a single rubric with --rubric.",
            )
        return planned
    count: int = DEFAULT_QUESTION_COUNT if args.questions is None else args.questions
    if not 1 <= count <= 12:
        raise InputError("--questions must be between 1 and 12.")
    return count
