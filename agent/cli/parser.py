"""The command line's grammar: every command, its options, and the handler each one runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from agent.cli.analyze import cmd_analyze
from agent.cli.interviews import cmd_chat, cmd_interview, cmd_resume, cmd_review
from agent.cli.rubrics import (
    cmd_rubrics_lint,
    cmd_rubrics_list,
    cmd_rubrics_new,
    cmd_rubrics_show,
    cmd_rubrics_validate,
)
from agent.cli.serve import cmd_candidate, cmd_invite, cmd_serve
from agent.cli.transcripts import (
    cmd_transcripts_delete,
    cmd_transcripts_export,
    cmd_transcripts_list,
    cmd_transcripts_repair,
    cmd_transcripts_show,
)
from agent.domain.defaults import (
    DEFAULT_MAX_FOLLOWUPS,
    DEFAULT_QUESTION_COUNT,
    DEFAULT_RUBRIC,
    DEFAULT_VALID_HOURS,
    MAX_NAME_CHARS,
)
from agent.evals.command import register as register_eval


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
    chat.set_defaults(handler=cmd_chat)

    review = commands.add_parser(
        "review", help="review finished interviews: reports, evidence, your decision"
    )
    review.set_defaults(handler=cmd_review)

    interview = commands.add_parser(
        "interview", help="hold an interview in the terminal, or run a scripted one"
    )
    _interview_options(interview)
    interview.add_argument(
        "--answers", type=Path, help="scripted replies: text separated by '---' lines, or JSON Lines"
    )
    interview.add_argument("--format", choices=["text", "json", "md"], default="text")
    interview.set_defaults(handler=cmd_interview)

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
    analyze.set_defaults(handler=cmd_analyze)

    rubrics = commands.add_parser("rubrics", help="list, check, show or start rubrics")
    rubric_commands = rubrics.add_subparsers(title="rubric commands", metavar="ACTION", required=True)
    rubric_list = rubric_commands.add_parser("list", help="list the available rubrics")
    rubric_list.set_defaults(handler=cmd_rubrics_list)
    validate = rubric_commands.add_parser("validate", help="check rubric files (default: every known rubric)")
    validate.add_argument("paths", nargs="*", type=Path)
    validate.set_defaults(handler=cmd_rubrics_validate)
    lint = rubric_commands.add_parser(
        "lint", help="check rubric quality beyond the schema (default: every known rubric)"
    )
    lint.add_argument("paths", nargs="*", type=Path)
    lint.set_defaults(handler=cmd_rubrics_lint)
    rubric_show = rubric_commands.add_parser("show", help="print a rubric readably")
    rubric_show.add_argument("rubric", help="rubric id or path to a rubric file")
    rubric_show.set_defaults(handler=cmd_rubrics_show)
    rubric_new = rubric_commands.add_parser("new", help="write a commented rubric to fill in")
    rubric_new.add_argument("id", help="the new rubric's id: lower case, digits and hyphens")
    rubric_new.add_argument("--title", help="its title (default: from the id)")
    rubric_new.add_argument("--out", type=Path, help="where to write it (default: your rubrics folder)")
    rubric_new.set_defaults(handler=cmd_rubrics_new)

    transcripts = commands.add_parser("transcripts", help="list, show or delete saved interviews")
    transcript_commands = transcripts.add_subparsers(
        title="transcript commands", metavar="ACTION", required=True
    )
    t_list = transcript_commands.add_parser("list", help="saved interviews, newest first")
    t_list.add_argument("--format", choices=["text", "json"], default="text")
    t_list.set_defaults(handler=cmd_transcripts_list)
    show = transcript_commands.add_parser("show", help="print one interview")
    show.add_argument("id")
    show.add_argument("--format", choices=["md", "json", "html"], default="md")
    show.set_defaults(handler=cmd_transcripts_show)
    export = transcript_commands.add_parser("export", help="write one interview to a file")
    export.add_argument("id")
    export.add_argument("--format", choices=["md", "json", "html"], default="html")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: the exports folder)")
    export.set_defaults(handler=cmd_transcripts_export)
    repair = transcript_commands.add_parser(
        "repair", help="recover a damaged interview's intact records (the original is kept beside it)"
    )
    repair.add_argument("id")
    repair.set_defaults(handler=cmd_transcripts_repair)
    delete = transcript_commands.add_parser("delete", help="delete one interview for good")
    delete.add_argument("id")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=cmd_transcripts_delete)

    invite = commands.add_parser("invite", help="create a single-use interview link for a candidate")
    _plan_options(invite)
    invite.add_argument("--candidate", help="the candidate's name, as the reviewer should see it")
    invite.add_argument(
        "--valid-hours", type=int, default=DEFAULT_VALID_HOURS, help="how long the link works"
    )
    _server_options(invite)
    invite.add_argument("--list", action="store_true", help="list invitations and their state instead")
    invite.add_argument("--revoke", metavar="ID", help="withdraw an unused invitation")
    invite.set_defaults(handler=cmd_invite)

    serve = commands.add_parser(
        "serve", help="serve interviews to candidates' browsers from invitation links"
    )
    _server_options(serve)
    serve.set_defaults(handler=cmd_serve)

    candidate = commands.add_parser(
        "candidate", help="run one invited candidate's interview (started by 'starling serve')"
    )
    candidate.add_argument(
        "--interview-dir",
        type=Path,
        required=True,
        help="the invitation's interview folder, all the app may reach (given by 'starling serve')",
    )
    candidate.set_defaults(handler=cmd_candidate)

    resume = commands.add_parser("resume", help="continue an interrupted interview")
    resume.add_argument("id")
    resume.add_argument("--answers", type=Path, help="scripted replies for the rest of the interview")
    resume.add_argument("--format", choices=["text", "json", "md"], default="text")
    resume.add_argument("--terminal", action="store_true", help="continue as a plain terminal interview")
    resume.set_defaults(handler=cmd_resume)
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
