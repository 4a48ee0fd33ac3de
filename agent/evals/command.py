"""The `starling eval` command-line parser; the run itself is imported only when it runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from agent.evals.defaults import BUILTIN_BRAINS, CASE_KINDS, DEFAULT_JOBS, DEFAULT_MAX_IN_FLIGHT

if TYPE_CHECKING:
    from agent.brains.protocol import Brain

BrainMaker = Callable[[], "Brain"]


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    brains: Mapping[str, BrainMaker] | None = None,
) -> argparse.ArgumentParser:
    """Add `eval` to the main parser's subcommands. `brains` adds in-process brains by name (tests)."""
    extra = dict(brains or {})
    parser = subparsers.add_parser(
        "eval",
        help="run an eval suite against a brain; exit 0 pass, 1 regression, 2 harness failure",
        description="Run an eval suite (evals/suites/SUITE.yaml, or a path) against a brain, "
        "optionally compare it with a baseline run, write reports, and exit 0 when it passes, "
        "1 when the agent regressed or missed a threshold, 2 when the harness itself failed.",
    )
    parser.add_argument("suite", help="suite id (looked up in ./evals/suites) or a path to a suite file")
    parser.add_argument(
        "--brain",
        choices=[*BUILTIN_BRAINS, *extra],
        # Not a default here: `starling --brain openai eval ...` means the same as after `eval`.
        default=argparse.SUPPRESS,
        help="offline (default), openai (calls the model; responses cached), or replay (cache only, no network)",
    )
    parser.add_argument(
        "--model", default=argparse.SUPPRESS, help="model name for openai/replay (default: $STARLING_MODEL)"
    )
    parser.add_argument("--rubric", help="rubric id or file to use instead of the suite's")
    parser.add_argument(
        "--cache-dir", type=Path, help="model response cache (default: evals/cache next to the suites folder)"
    )
    parser.add_argument("--baseline", type=Path, metavar="RUN.json", help="compare with this earlier run")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="run every case K times")
    parser.add_argument(
        "--jobs",
        type=int,
        default=DEFAULT_JOBS,
        metavar="N",
        help=f"cases run at once (default {DEFAULT_JOBS})",
    )
    parser.add_argument(
        "--max-in-flight",
        type=int,
        default=DEFAULT_MAX_IN_FLIGHT,
        metavar="N",
        help=f"model requests in flight at once (default {DEFAULT_MAX_IN_FLIGHT})",
    )
    parser.add_argument("--seed", type=int, help="bootstrap seed (default: the suite's)")
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only case ids matching (glob or text)",
    )
    parser.add_argument("--kind", action="append", default=[], choices=CASE_KINDS, help="only this kind")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the run file (use it as a baseline)")
    parser.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML for CI systems")
    parser.add_argument("--markdown", type=Path, metavar="PATH", help="write a Markdown report (PR comment)")
    parser.add_argument("--html", type=Path, metavar="PATH", help="write a self-contained HTML report")
    parser.add_argument("--all-metrics", action="store_true", help="list every metric in the summary")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    parser.add_argument("--check", action="store_true", help="only validate the suite and its files")
    parser.set_defaults(handler=partial(_run, brains=extra))
    return parser


def _run(args: argparse.Namespace, *, brains: Mapping[str, BrainMaker]) -> int:
    from agent.evals.cli import run_command

    return run_command(args, brains=brains)
