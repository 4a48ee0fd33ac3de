"""The composition root: parses the command line, builds settings, picks the brain, wires everything.

Exit codes: 0 ok, 1 a check failed, 2 usage or input error. Errors go to stderr with a message
that says what to do; a user never sees a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

# Starling uses no pydantic plugins; looking for them scans every installed package at start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from agent.domain.defaults import (
    DEFAULT_MAX_FOLLOWUPS,
    DEFAULT_QUESTION_COUNT,
    DEFAULT_RUBRIC,
    DEFAULT_VALID_HOURS,
    MAX_NAME_CHARS,
    MAX_VALID_HOURS,
)
from agent.errors import InputError, StarlingError
from agent.evals.command import register as register_eval

if TYPE_CHECKING:
    from agent.brains.protocol import Brain
    from agent.domain.policy import InterviewConfig
    from agent.domain.rubric import Rubric
    from agent.invitations import InvitationStore
    from agent.reports.render import Format
    from agent.rubrics import RubricIssue
    from agent.session import InterviewSession
    from agent.settings import Settings
    from agent.storage import TranscriptStore
    from agent.ui.services import BrainChoice


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            return _cmd_default(args)
        code: int = handler(args)
        return code
    except StarlingError as error:
        print(f"starling: {error.message}", file=sys.stderr)
        if error.hint:
            print(error.hint, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("\nstarling: interrupted; everything answered so far is saved.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    """The `starling` command: `main`, then the process ends with what it loaded still in use.

    Nothing a command loaded (modules, models, the reader's weights) becomes garbage before the
    process ends, yet the collector's last pass at exit would still walk all of it: a tenth of a
    one-answer `starling analyze`. Frozen, it is left out of that pass and freed as usual.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


class _Version(argparse.Action):
    """`--version`, reading the installed version only when asked (it costs a metadata scan)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        from agent import __version__

        parser.exit(message=f"starling {__version__}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="starling",
        description="Structured behavioral interviews with STAR analysis and evidence-backed evaluations.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    _global_options(parser)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    chat = commands.add_parser("chat", help="open the interview app (the same as plain 'starling')")
    _interview_options(chat)
    chat.set_defaults(handler=_cmd_chat)

    review = commands.add_parser(
        "review", help="review finished interviews: reports, evidence, your decision"
    )
    review.set_defaults(handler=_cmd_review)

    interview = commands.add_parser(
        "interview", help="hold an interview in the terminal, or run a scripted one"
    )
    _interview_options(interview)
    interview.add_argument(
        "--answers", type=Path, help="scripted replies: text separated by '---' lines, or JSON Lines"
    )
    interview.add_argument("--format", choices=["text", "json", "md"], default="text")
    interview.set_defaults(handler=_cmd_interview)

    analyze = commands.add_parser(
        "analyze", help="analyse one answer (or a batch) and print the STAR analysis"
    )
    analyze.add_argument("--question", help="the question the answer responds to")
    analyze.add_argument("--answer-file", type=Path, help="file with the answer (default: standard input)")
    analyze.add_argument(
        "--batch", type=Path, help="JSON Lines with id, question, answer; one result per line"
    )
    analyze.add_argument("--rubric", default=DEFAULT_RUBRIC, help="rubric whose follow-ups are suggested")
    analyze.add_argument("--format", choices=["json", "text"], default="json")
    analyze.set_defaults(handler=_cmd_analyze)

    rubrics = commands.add_parser("rubrics", help="list, check, show or start rubrics")
    rubric_commands = rubrics.add_subparsers(title="rubric commands", metavar="ACTION", required=True)
    rubric_list = rubric_commands.add_parser("list", help="list the available rubrics")
    rubric_list.set_defaults(handler=_cmd_rubrics_list)
    validate = rubric_commands.add_parser("validate", help="check rubric files (default: every known rubric)")
    validate.add_argument("paths", nargs="*", type=Path)
    validate.set_defaults(handler=_cmd_rubrics_validate)
    lint = rubric_commands.add_parser(
        "lint", help="check rubric quality beyond the schema (default: every known rubric)"
    )
    lint.add_argument("paths", nargs="*", type=Path)
    lint.set_defaults(handler=_cmd_rubrics_lint)
    rubric_show = rubric_commands.add_parser("show", help="print a rubric readably")
    rubric_show.add_argument("rubric", help="rubric id or path to a rubric file")
    rubric_show.set_defaults(handler=_cmd_rubrics_show)
    rubric_new = rubric_commands.add_parser("new", help="write a commented rubric to fill in")
    rubric_new.add_argument("id", help="the new rubric's id: lower case, digits and hyphens")
    rubric_new.add_argument("--title", help="its title (default: from the id)")
    rubric_new.add_argument("--out", type=Path, help="where to write it (default: your rubrics folder)")
    rubric_new.set_defaults(handler=_cmd_rubrics_new)

    transcripts = commands.add_parser("transcripts", help="list, show or delete saved interviews")
    transcript_commands = transcripts.add_subparsers(
        title="transcript commands", metavar="ACTION", required=True
    )
    t_list = transcript_commands.add_parser("list", help="saved interviews, newest first")
    t_list.add_argument("--format", choices=["text", "json"], default="text")
    t_list.set_defaults(handler=_cmd_transcripts_list)
    show = transcript_commands.add_parser("show", help="print one interview")
    show.add_argument("id")
    show.add_argument("--format", choices=["md", "json", "html"], default="md")
    show.set_defaults(handler=_cmd_transcripts_show)
    export = transcript_commands.add_parser("export", help="write one interview to a file")
    export.add_argument("id")
    export.add_argument("--format", choices=["md", "json", "html"], default="html")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: the exports folder)")
    export.set_defaults(handler=_cmd_transcripts_export)
    repair = transcript_commands.add_parser(
        "repair", help="recover a damaged interview's intact records (the original is kept beside it)"
    )
    repair.add_argument("id")
    repair.set_defaults(handler=_cmd_transcripts_repair)
    delete = transcript_commands.add_parser("delete", help="delete one interview for good")
    delete.add_argument("id")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=_cmd_transcripts_delete)

    invite = commands.add_parser("invite", help="create a single-use interview link for a candidate")
    _plan_options(invite)
    invite.add_argument("--candidate", help="the candidate's name, as the reviewer should see it")
    invite.add_argument(
        "--valid-hours", type=int, default=DEFAULT_VALID_HOURS, help="how long the link works"
    )
    _server_options(invite)
    invite.add_argument("--list", action="store_true", help="list invitations and their state instead")
    invite.add_argument("--revoke", metavar="ID", help="withdraw an unused invitation")
    invite.set_defaults(handler=_cmd_invite)

    serve = commands.add_parser(
        "serve", help="serve interviews to candidates' browsers from invitation links"
    )
    _server_options(serve)
    serve.set_defaults(handler=_cmd_serve)

    candidate = commands.add_parser(
        "candidate", help="run one invited candidate's interview (started by 'starling serve')"
    )
    candidate.add_argument(
        "--interview-dir",
        type=Path,
        required=True,
        help="the invitation's interview folder, all the app may reach (given by 'starling serve')",
    )
    candidate.set_defaults(handler=_cmd_candidate)

    resume = commands.add_parser("resume", help="continue an interrupted interview")
    resume.add_argument("id")
    resume.add_argument("--answers", type=Path, help="scripted replies for the rest of the interview")
    resume.add_argument("--format", choices=["text", "json", "md"], default="text")
    resume.add_argument("--terminal", action="store_true", help="continue as a plain terminal interview")
    resume.set_defaults(handler=_cmd_resume)
    eval_parser = register_eval(commands)
    # --home, --brain and --model work before or after the command, as people type them.
    for command in commands.choices.values():
        if command is not eval_parser:  # eval has its own --brain and --model
            _global_options(command, after_command=True)
    _global_options(eval_parser, after_command=True, only=("--home",))
    for group in (rubric_commands, transcript_commands):
        for command in group.choices.values():
            _global_options(command, after_command=True)
    return parser


def _server_options(parser: argparse.ArgumentParser) -> None:
    """Where `starling serve` runs; `serve` and `invite` read the same settings, so links match."""
    parser.add_argument(
        "--host", help="address 'starling serve' listens on (default: $STARLING_HOST, else 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, help="port 'starling serve' listens on (default: $STARLING_PORT, else 8000)"
    )
    parser.add_argument(
        "--public-url",
        "--base-url",
        dest="public_url",
        help="the address candidates reach, if not http://HOST:PORT, e.g. behind a proxy "
        "(default: $STARLING_PUBLIC_URL)",
    )


def _global_options(
    parser: argparse.ArgumentParser, *, after_command: bool = False, only: tuple[str, ...] | None = None
) -> None:
    """The options every command takes. After a command they default to what came before it."""
    default: Any = argparse.SUPPRESS if after_command else None
    wanted = only or ("--home", "--brain", "--model")
    if "--home" in wanted:
        parser.add_argument(
            "--home",
            type=Path,
            help="data folder (default: $STARLING_HOME or the per-user data folder)",
            default=default,
        )
    if "--brain" in wanted:
        parser.add_argument(
            "--brain",
            choices=["offline", "openai"],
            help="who analyses answers: the built-in offline brain or an OpenAI-compatible model "
            "(default: $STARLING_BRAIN, else offline)",
            default=default,
        )
    if "--model" in wanted:
        parser.add_argument(
            "--model", help="model name for --brain openai (default: $STARLING_MODEL)", default=default
        )


def _plan_options(parser: argparse.ArgumentParser) -> None:
    """--rubric or --kit, and --questions: what an interview (or an invitation's) asks about."""
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--rubric", help=f"rubric id or file (default: {DEFAULT_RUBRIC})")
    chosen.add_argument(
        "--kit", help="role kit id or file: several competencies, with its own question count"
    )
    parser.add_argument(
        "--questions",
        type=int,
        help=f"how many questions (default: {DEFAULT_QUESTION_COUNT}; a kit sets its own)",
    )


def _interview_options(parser: argparse.ArgumentParser) -> None:
    _plan_options(parser)
    parser.add_argument("--mode", choices=["practice", "assessment"], default="practice")
    parser.add_argument(
        "--max-followups", type=int, default=DEFAULT_MAX_FOLLOWUPS, help="follow-ups per question"
    )
    parser.add_argument("--seed", type=int, default=None, help="plan the same questions again")
    parser.add_argument("--candidate", type=_name, help="candidate name recorded in the transcript")


def _name(text: str) -> str:
    """A candidate's name from the command line, within the length every name is held to."""
    name = " ".join(text.split())
    if len(name) > MAX_NAME_CHARS:
        raise argparse.ArgumentTypeError(f"the name is {len(name)} characters long; at most {MAX_NAME_CHARS}")
    return name


def _settings(args: argparse.Namespace, home: Path | None = None) -> Settings:
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


def _brain(settings: Settings) -> Brain:
    """The configured brain; a missing key or model raises an error that says what to set."""
    from agent.brains.factory import build_brain

    return build_brain(settings)


def _store(settings: Settings) -> TranscriptStore:
    from agent.storage import TranscriptStore

    return TranscriptStore(settings.transcripts_dir, invited=settings.interviews_dir)


def _brain_choices(settings: Settings) -> list[BrainChoice]:
    """What the start screen offers: the offline brain, and the configured model if there is one."""
    from agent.brains.factory import build_llm_brain
    from agent.ui.services import BrainChoice, offline_choice

    choices = [offline_choice()]
    if settings.model:
        where = settings.base_url or "OpenAI"
        model = BrainChoice(name="openai", label=f"Model {settings.model} ({where})", build=build_llm_brain)
        choices = [model, *choices] if settings.brain == "openai" else [*choices, model]
    return choices


def _cmd_default(args: argparse.Namespace) -> int:
    from agent.ui.app import run_app

    settings = _settings(args)
    return run_app(settings, rubric_id=DEFAULT_RUBRIC, brains=_brain_choices(settings))


def _cmd_chat(args: argparse.Namespace) -> int:
    from agent.ui.app import run_app

    settings = _settings(args)
    rubric = _chosen_rubric(args, settings)
    return run_app(
        settings,
        brains=_brain_choices(settings),
        rubric_id=rubric.id,
        mode=args.mode,
        question_count=_question_count(args, rubric),
        seed=args.seed,
        candidate=args.candidate,
    )


def _cmd_review(args: argparse.Namespace) -> int:
    from agent.ui.app import run_app

    return run_app(_settings(args), review=True)


def _chosen_rubric(args: argparse.Namespace, settings: Settings) -> Rubric:
    """The rubric named by --rubric, or the one composed from --kit (the default rubric if neither)."""
    from agent.rubrics import find_kit, load_rubric

    if args.kit is not None:
        return load_rubric(str(find_kit(args.kit, settings.home)), settings.home)
    return load_rubric(args.rubric or DEFAULT_RUBRIC, settings.home)


def _question_count(args: argparse.Namespace, rubric: Rubric) -> int:
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


def _config(args: argparse.Namespace, rubric: Rubric) -> InterviewConfig:
    from agent.domain.policy import InterviewConfig

    count = _question_count(args, rubric)
    if not 0 <= args.max_followups <= 4:
        raise InputError("--max-followups must be between 0 and 4.")
    seed = args.seed if args.seed is not None else _random_seed()
    return InterviewConfig(question_count=count, max_followups=args.max_followups, seed=seed)


def _random_seed() -> int:
    import secrets

    return secrets.randbelow(1_000_000)


def _cmd_interview(args: argparse.Namespace) -> int:
    from agent.scripted import read_script
    from agent.session import InterviewSession
    from agent.terminal import run_terminal_interview

    settings = _settings(args)
    rubric = _chosen_rubric(args, settings)
    config = _config(args, rubric)
    store = _store(settings)
    brain = _brain(settings)
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
    _print_interview(transcript, fmt)
    return 0


def _print_interview(transcript: Any, fmt: str) -> None:
    """Print an interview; `text` (the terminal default) is the Markdown rendering."""
    from agent.reports.render import render

    chosen: Format = "json" if fmt == "json" else "html" if fmt == "html" else "md"
    sys.stdout.write(render(transcript, chosen))


def _cmd_resume(args: argparse.Namespace) -> int:
    from agent.rubrics import load_rubric
    from agent.scripted import read_script
    from agent.session import InterviewSession
    from agent.terminal import run_terminal_interview

    settings = _settings(args)
    store = _store(settings)
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
        brain = _brain(settings)
        session, update = InterviewSession.resume(
            transcript=transcript, rubric=rubric, brain=brain, store=store
        )
        if replies is None:
            return run_terminal_interview(session=session, pending=update.turns)
        return _finish_script(session, update.turns, replies, args.format)


def _cmd_analyze(args: argparse.Namespace) -> int:
    # Loading settings, the rubric and the reader makes many objects and no garbage, so the
    # collector's passes over them are wasted: a few percent of analysing one answer.
    with _collector_paused():
        from agent.rubrics import load_rubric

        settings = _settings(args)
        rubric = load_rubric(args.rubric, settings.home)
        if rubric.parts:
            raise InputError(
                f"'{rubric.id}' is a kit of several competencies; an answer is read against one.",
                hint="Name the competency's rubric: "
                + ", ".join(f"--rubric {part.id}" for part in rubric.parts),
            )
        brain = _brain(settings)
        if args.batch is None:
            return _analyze_one(args, rubric, brain)
    return _analyze_batch(args.batch, rubric, brain, local=settings.brain == "offline")


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyze_one(args: argparse.Namespace, rubric: Rubric, brain: Brain) -> int:
    from agent.reports.json_report import analysis_document

    if not args.question:
        raise InputError("analyze needs --question TEXT (or --batch PATH).")
    if args.answer_file is not None:
        answer = _read_text(args.answer_file)
    else:
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("No answer given.", hint=_ANSWER_HINT)
        answer = _read_stdin()
    _check_analysed(answer)
    analysis = brain.analyze(args.question, [answer], topic=rubric.topic)
    document = analysis_document(analysis, rubric, args.question)
    if args.format == "json":
        _write_json(document, sys.stdout)
    else:
        _print_analysis_text(document)
    return 0


def _analyze_batch(path: Path, rubric: Any, brain: Brain, *, local: bool) -> int:
    from agent.batch import available_cores, results
    from agent.reports.json_report import analysis_document

    def analyse(question: str, answer: str) -> dict[str, Any]:
        _check_analysed(answer)
        return analysis_document(brain.analyze(question, [answer], topic=rubric.topic), rubric, question)

    failures = 0
    lines = _read_text(path).splitlines()
    for text, failed in results(lines, analyse, jobs=available_cores() if local else 1):
        failures += failed
        sys.stdout.write(text + "\n")
    if failures:
        print(
            f"starling: {failures} line(s) of {path} could not be analysed; see the 'error' objects.",
            file=sys.stderr,
        )
        return 2
    return 0


def _print_analysis_text(document: dict[str, Any]) -> None:
    star = document["star"]
    print("STAR: " + ", ".join(f"{slot} {status}" for slot, status in star.items()))
    print(
        f"Ownership: {document['ownership']} · specific example: {document['specific_example']} · "
        f"quantified result: {document['quantified_result']}"
    )
    print(f"Red flags: {', '.join(document['red_flags']) or 'none'}")
    print(f"Score: {document['score']}/5 — {document['rationale']}")
    print(f"Analysed by: {document['brain']}")
    for note in document["notes"]:
        print(f"Note: {note}")
    followup = document["followup"]
    if followup["target"] != "none":
        print(f"Next follow-up ({followup['target']}: {followup['reason']}): {followup['question']}")


def _cmd_rubrics_list(args: argparse.Namespace) -> int:
    from agent.rubrics import check_file, kit_files, rubric_files

    home = _settings(args).home
    for heading, paths in (("Rubrics", rubric_files(home)), ("Role kits", kit_files(home))):
        print(f"{heading}:")
        for path in paths:
            rubric, issues = check_file(path, home)
            if rubric is None:
                print(
                    f"  {path.stem:<22} INVALID ({len(issues)} problem(s); "
                    f"run 'starling rubrics validate {path}')"
                )
            elif rubric.parts:
                asked = ", ".join(f"{part.id} {part.questions}" for part in rubric.parts)
                print(f"  {rubric.id:<22} v{rubric.version:<8} {rubric.title}: {asked}  ({path})")
            else:
                print(
                    f"  {rubric.id:<22} v{rubric.version:<8} {len(rubric.questions):>3} questions  "
                    f"{rubric.title}  ({path})"
                )
    return 0


def _sound(path: Path, rubric: Rubric) -> str:
    """What validate says of a sound rubric or kit."""
    if rubric.parts:
        asked = rubric.kit_question_count
        return (
            f"{path}: ok (kit {rubric.id} v{rubric.version}, {len(rubric.parts)} competencies, "
            f"{asked} questions asked, {rubric.content_hash()})"
        )
    return f"{path}: ok ({rubric.id} v{rubric.version}, {len(rubric.questions)} questions, {rubric.content_hash()})"


def _cmd_rubrics_validate(args: argparse.Namespace) -> int:
    from agent.rubrics import check_file

    home = _settings(args).home
    return _check_rubric_files(args, lambda path: check_file(path, home), _sound)


def _cmd_rubrics_lint(args: argparse.Namespace) -> int:
    from agent.authoring.lint import lint_file

    home = _settings(args).home
    return _check_rubric_files(
        args,
        lambda path: lint_file(path, home),
        lambda path, rubric: (
            f"{path}: ok ({rubric.id}: "
            + ("" if rubric.parts else f"{len(rubric.questions)} questions, ")
            + "nothing to improve)"
        ),
    )


def _check_rubric_files(
    args: argparse.Namespace,
    check: Callable[[Path], tuple[Rubric | None, list[RubricIssue]]],
    ok: Callable[[Path, Rubric], str],
) -> int:
    """Check the named files (default: every known rubric and kit): issues on stderr, a line per sound file."""
    from agent.rubrics import kit_files, rubric_files
    from agent.visible import visible_controls

    home = _settings(args).home
    paths = args.paths or [*rubric_files(home), *kit_files(home)]
    bad = 0
    for path in paths:
        if not path.exists():
            print(f"{path}: no such file", file=sys.stderr)
            bad += 1
            continue
        rubric, issues = check(path)
        for issue in issues:
            print(visible_controls(str(issue)), file=sys.stderr)
        if rubric is None or issues:
            bad += 1
        else:
            print(ok(path, rubric))
    return 2 if bad else 0


def _cmd_rubrics_show(args: argparse.Namespace) -> int:
    from agent.authoring.show import render
    from agent.rubrics import load_rubric
    from agent.visible import visible_controls

    sys.stdout.write(visible_controls(render(load_rubric(args.rubric, _settings(args).home))))
    return 0


def _cmd_rubrics_new(args: argparse.Namespace) -> int:
    from agent.authoring.scaffold import write_scaffold
    from agent.domain.rubric import is_slug

    if not is_slug(args.id):
        raise InputError(
            f"'{args.id}' cannot be a rubric id.",
            hint="Use lower case letters, digits and single hyphens, such as 'problem-solving'.",
        )
    path = args.out or _settings(args).home / "rubrics" / f"{args.id}.yaml"
    title = args.title or args.id.replace("-", " ").replace("_", " ").capitalize()
    write_scaffold(args.id, title, path)
    print(f"Wrote {path}. Fill in every TODO, then run 'starling rubrics lint {path}'.")
    return 0


def _cmd_transcripts_list(args: argparse.Namespace) -> int:
    store = _store(_settings(args))
    listing = store.listing()
    if args.format == "json":
        _write_json(
            [
                *(
                    {
                        "id": s.interview_id,
                        "created_at": s.created_at.isoformat(),
                        "rubric": s.rubric_id,
                        "mode": s.mode,
                        "finished": s.finished,
                        "overall_score": s.overall_score,
                        "questions_scored": s.coverage.scored if s.coverage else None,
                        "questions": s.coverage.total if s.coverage else None,
                        "recommendation": s.recommendation,
                        "candidate": s.candidate,
                        "damaged": False,
                    }
                    for s in listing.summaries
                ),
                *(
                    {
                        "id": d.interview_id,
                        "created_at": d.header.at.isoformat() if d.header else None,
                        "rubric": d.header.rubric_id if d.header else None,
                        "mode": d.header.mode if d.header else None,
                        "candidate": d.header.candidate if d.header else None,
                        "damaged": True,
                        "problem": d.problem,
                    }
                    for d in listing.damaged
                ),
            ],
            sys.stdout,
        )
        return 0
    if not listing.summaries and not listing.damaged:
        print(f"No saved interviews in {store.folder}.")
        return 0
    for s in listing.summaries:
        score = f"{s.overall_score:.2f}" if s.overall_score is not None else "—"
        if s.overall_score is not None and s.coverage is not None and not s.coverage.complete:
            score += f" ({s.coverage.text})"
        state = "finished" if s.finished else "unfinished"
        print(
            f"{s.interview_id}  {s.created_at:%Y-%m-%d %H:%M}  {s.rubric_id:<16} {s.mode:<10} {state:<10} score {score}"
        )
    for d in listing.damaged:
        when = d.header.at if d.header else d.modified_at
        rubric = d.header.rubric_id if d.header else "?"
        mode = d.header.mode if d.header else "?"
        print(f"{d.interview_id}  {when:%Y-%m-%d %H:%M}  {rubric:<16} {mode:<10} DAMAGED    {d.problem}")
    if listing.damaged:
        print(
            "Damaged interviews are not shown or resumed until repaired: "
            "starling transcripts repair ID keeps their intact records.",
            file=sys.stderr,
        )
    return 0


def _cmd_transcripts_repair(args: argparse.Namespace) -> int:
    store = _store(_settings(args))
    result = store.repair(args.id)
    if result.backup is None:
        print(f"Interview {args.id} is not damaged; nothing was changed.")
        return 0
    lines = ", ".join(str(number) for number in result.dropped)
    print(f"Repaired {result.path}: kept {result.kept} intact record(s), left out damaged line(s) {lines}.")
    print(f"The original is kept at {result.backup}.")
    print(f"Check it with: starling transcripts show {args.id}")
    return 0


def _cmd_transcripts_show(args: argparse.Namespace) -> int:
    transcript = _store(_settings(args)).load(args.id)
    _print_interview(transcript, args.format)
    return 0


def _invitations(settings: Settings) -> InvitationStore:
    """The data folder's invitations, with what an older version kept beside them moved to their
    interview folders."""
    from agent.invitations import InvitationStore

    store = InvitationStore(settings.invitations_dir, settings.interviews_dir)
    store.move_to_interview_folders(_store(settings))
    return store


def _cmd_invite(args: argparse.Namespace) -> int:
    from agent.session import utc_now

    settings = _settings(args)
    store = _invitations(settings)
    now = utc_now()
    if args.revoke:
        revoked = store.revoke(args.revoke)
        print(f"Withdrew invitation {revoked.id} for {revoked.candidate}.")
        return 0
    if args.list:
        invitations = store.all()
        if not invitations:
            print('No invitations yet. Create one with: starling invite --candidate "Name"')
        rejoin = timedelta(minutes=settings.rejoin_minutes)
        for item in invitations:
            interview = store.interview_for(item) or "—"
            state = store.state(item, now, rejoin).replace("_", " ")
            print(
                f"{item.id}  {item.created_at:%Y-%m-%d %H:%M}  {state:<11} "
                f"{item.rubric_id:<16} interview {interview:<24} {item.candidate}"
            )
        return 0
    if not args.candidate:
        raise InputError(
            "Say who the invitation is for.", hint='Run: starling invite --candidate "Full Name"'
        )
    if not 1 <= args.valid_hours <= MAX_VALID_HOURS:
        raise InputError(
            f"--valid-hours must be between 1 and {MAX_VALID_HOURS} ({MAX_VALID_HOURS // 24} days)."
        )
    rubric = _chosen_rubric(args, settings)
    question_count = _question_count(args, rubric)
    url = settings.server_url
    running = store.running_server()
    if running is not None and running != url:
        raise InputError(
            f"The link would point at {url}, but 'starling serve' for this data folder is running "
            f"at {running}, so it would not reach it. No invitation was created.",
            hint="Give both commands the same --host, --port and --public-url (or set STARLING_HOST, "
            "STARLING_PORT, STARLING_PUBLIC_URL, or host, port and public_url in the settings file).",
        )
    invitation, token = store.create(
        rubric_id=rubric.id,
        candidate=args.candidate,
        question_count=question_count,
        now=now,
        valid_for=timedelta(hours=args.valid_hours),
    )
    print(
        f"Invitation {invitation.id} for {invitation.candidate} ({rubric.title}, {invitation.question_count} questions)"
    )
    print(f"Link (one interview, to be started by {invitation.expires_at:%Y-%m-%d %H:%M UTC}):")
    print(f"  {url}/i/{token}")
    print("The link is shown only now; Starling keeps just a hash of it.")
    if running is None:
        print(f"It is for 'starling serve' at {url}, which is not running for this data folder yet.")
    else:
        print(f"It is for the 'starling serve' running at {url}.")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from agent.session import utc_now
    from agent.web import InvitationServer

    settings = _settings(args)
    store = _invitations(settings)
    running = store.running_server()
    if running is not None:
        raise InputError(
            f"'starling serve' for this data folder is already running at {running}.",
            hint="Stop it first, or use another data folder (--home).",
        )
    server = InvitationServer(store=store, settings=settings, clock=utc_now)
    try:
        server.listen()
    except OSError as error:  # the address cannot be listened on: in use, not ours, not here
        raise InputError(
            f"Cannot listen on {settings.host}:{settings.port}: "
            f"{os.strerror(error.errno) if error.errno else error}.",
            hint="Another server may hold that port, or the host is not this machine's: "
            "choose them with --host and --port.",
        ) from None
    if settings.host not in {"127.0.0.1", "localhost", "::1"}:
        print(
            f"starling: listening on {settings.host}: anyone who can reach it and holds a link can "
            "interview. Put it behind HTTPS before sending links outside this machine.",
            file=sys.stderr,
        )
    print(
        f"Serving interviews on {server.public_url}/i/<token>. "
        "Create links with: starling invite --candidate NAME (with the same settings)",
        flush=True,
    )
    server.serve()
    return 0


def _cmd_candidate(args: argparse.Namespace) -> int:
    from agent.orphans import exit_with_parent
    from agent.sandbox import confine_candidate
    from agent.ui.app import run_app

    folder = args.interview_dir.absolute()
    if not folder.is_dir():
        raise InputError(f"No interview folder at {folder}.", hint="'starling serve' starts this command.")
    # First of all: before anything is read, and before any thread starts (it would stay free).
    confine_candidate(folder)
    exit_with_parent()
    settings = _settings(args, home=folder)  # the interview folder is the app's whole data folder
    return run_app(settings, brains=_brain_choices(settings), interview_dir=folder)


def _cmd_transcripts_export(args: argparse.Namespace) -> int:
    from agent.files import write_private
    from agent.reports.render import SUFFIX, render

    settings = _settings(args)
    transcript = _store(settings).load(args.id)
    path = args.output or settings.exports_dir / f"{transcript.interview_id}{SUFFIX[args.format]}"
    try:
        write_private(path, render(transcript, args.format))
    except OSError as error:
        raise InputError(f"Cannot write {path}: {error}") from error
    print(f"Wrote {path}")
    return 0


def _cmd_transcripts_delete(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _store(settings)
    store.load(args.id)
    if not args.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            raise InputError(
                "Deleting needs confirmation.", hint=f"Run: starling transcripts delete {args.id} --yes"
            )
        reply = input(f"Delete interview {args.id} for good? [y/N] ")
        if reply.strip().lower() not in {"y", "yes"}:
            print("Nothing deleted.")
            return 0
    path = store.delete(args.id)
    print(f"Deleted {path}")
    review = settings.reviews_dir / f"{args.id}.json"
    if review.exists():  # the reviewer's notes on it go too
        review.unlink()
        print(f"Deleted {review}")
    return 0


_ANSWER_HINT = "Pipe the answer on standard input or pass --answer-file PATH."


def _check_analysed(answer: str) -> None:
    """The interview's rule for answers: something visible in it, within the size cap."""
    from agent.answers import check_answer, is_blank

    if is_blank(answer):
        raise InputError("The answer is empty: there is nothing to analyse.", hint=_ANSWER_HINT)
    check_answer(answer)


def _read_stdin() -> str:
    from agent.answers import decode_input

    raw = getattr(sys.stdin, "buffer", None)
    data = raw.read() if raw is not None else sys.stdin.read().encode("utf-8", "surrogateescape")
    return decode_input(data, "Standard input")


def _read_text(path: Path) -> str:
    from agent.answers import decode_input

    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise InputError(f"No such file: {path}") from error
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error}") from error
    return decode_input(data, str(path))


def _write_json(document: Any, out: TextIO) -> None:
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    run()
