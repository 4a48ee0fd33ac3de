"""`starling analyze`: one answer, or a batch of them, read and printed as STAR analyses."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.cli import output, wiring
from agent.errors import InputError

if TYPE_CHECKING:
    from agent.brains.protocol import Brain
    from agent.domain.rubric import Rubric


def cmd_analyze(args: argparse.Namespace) -> int:
    # Loading settings, the rubric and the reader makes many objects and no garbage, so the
    # collector's passes over them are wasted: a few percent of analysing one answer.
    with _collector_paused():
        from agent.rubrics import load_rubric

        settings = wiring.settings_for(args)
        rubric = load_rubric(args.rubric, settings.home)
        if rubric.parts:
            raise InputError(
                f"'{rubric.id}' is a kit of several competencies; an answer is read against one.",
                hint="Name the competency's rubric: "
                + ", ".join(f"--rubric {part.id}" for part in rubric.parts),
            )
        brain = wiring.brain_for(settings)
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
        output.write_json(document, sys.stdout)
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
