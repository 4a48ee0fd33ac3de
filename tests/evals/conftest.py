"""Eval test helpers: the shipped suites folder, and `starling eval` through a tiny parser.

agent/cli is the composition root and is wired separately; these tests build their own parser
and call `register`, exactly as the main parser does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent.brains.protocol import Brain
from agent.errors import StarlingError
from agent.evals.command import register

REPO = Path(__file__).resolve().parents[2]
SUITES = REPO / "evals" / "suites"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


CliRunner = Callable[..., CliResult]


def parser(brains: Mapping[str, Callable[[], Brain]] | None = None) -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="starling")
    main.add_argument("--home", type=Path)
    register(main.add_subparsers(), brains=brains)
    return main


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run `starling eval ...` the way agent.cli.main does: StarlingError becomes its exit code."""

    def run(*argv: str, brains: Mapping[str, Callable[[], Brain]] | None = None) -> CliResult:
        args = parser(brains).parse_args(list(argv))
        try:
            code = int(args.handler(args))
        except StarlingError as error:
            print(f"starling: {error}", file=sys.stderr)
            code = error.exit_code
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
