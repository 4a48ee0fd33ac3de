"""`starling eval SUITE`: run a suite, compare with a baseline, write reports, exit 0, 1 or 2.

`agent.evals.command.register` adds the command to the main parser; this handler raises StarlingError
subclasses for anything a user can fix (exit 2) and returns the verdict's exit code otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from agent.brains.protocol import Brain
from agent.errors import StarlingError
from agent.evals.brains import (
    BrainProvider,
    FixedBrainProvider,
    ModelBrainProvider,
    llm_brain_factory,
    openai_chat_model,
)
from agent.evals.cases import kind_of
from agent.evals.compare import compare
from agent.evals.defaults import DEFAULT_JOBS, DEFAULT_MODEL_JOBS
from agent.evals.errors import HarnessError
from agent.evals.gate import check_thresholds, decide
from agent.evals.reports.html import html_report
from agent.evals.reports.junit import junit_report
from agent.evals.reports.markdown import markdown_report
from agent.evals.reports.terminal import ProgressBar, summary
from agent.evals.runfile import RunFile, load_run
from agent.evals.runner import RunOptions, run_suite
from agent.evals.suite import Suite, find_suite
from agent.evals.suite_loader import load_suite
from agent.files import write_private
from agent.resources import bundled_dir
from agent.settings import Settings, load_settings

BrainMaker = Callable[[], Brain]


def run_command(args: argparse.Namespace, *, brains: Mapping[str, BrainMaker] | None = None) -> int:
    """Carry out `starling eval`; returns the exit code."""
    _validate(args)
    settings = load_settings(home=getattr(args, "home", None), model=getattr(args, "model", None))
    suite = load_suite(find_suite(args.suite, _suite_dirs()), home=settings.home, rubric=args.rubric)
    if args.check:
        sys.stdout.write(_describe(suite))
        return 0
    baseline = load_run(args.baseline) if args.baseline is not None else None
    provider = _provider(args, settings, suite, dict(brains or {}))
    filtered = bool(args.filter or args.kind)
    progress = ProgressBar() if not args.no_progress and ProgressBar.wanted() else None
    jobs = args.jobs or (DEFAULT_MODEL_JOBS if isinstance(provider, ModelBrainProvider) else DEFAULT_JOBS)
    options = RunOptions(
        repeat=args.repeat,
        jobs=jobs,
        seed=args.seed,
        filters=tuple(args.filter),
        kinds=tuple(args.kind),
        progress=progress,
    )
    run = run_suite(suite, provider, options)
    run.thresholds = check_thresholds(run, suite.thresholds, filtered=filtered)
    if baseline is not None:
        run.comparison = compare(
            run,
            baseline,
            settings=suite.compare,
            thresholds=suite.thresholds,
            seed=run.manifest.seed,
            baseline_path=str(args.baseline),
        )
    run.verdict = decide(run)
    _write_reports(run, args)
    sys.stdout.write(summary(run, everything=args.all_metrics))
    return run.verdict.exit_code


def _validate(args: argparse.Namespace) -> None:
    if args.repeat < 1 or args.repeat > 50:
        raise StarlingError("--repeat must be between 1 and 50.")
    if args.jobs is not None and not 1 <= args.jobs <= 64:
        raise StarlingError("--jobs must be between 1 and 64.")
    if args.max_in_flight < 1 or args.max_in_flight > 64:
        raise StarlingError("--max-in-flight must be between 1 and 64.")


def _suite_dirs() -> list[Path]:
    """Suites in the current project first, then the ones shipped with Starling."""
    return [Path.cwd() / "evals" / "suites", bundled_dir("evals") / "suites"]


def _describe(suite: Suite) -> str:
    counts: dict[str, int] = {}
    for case in suite.cases:
        counts[kind_of(case)] = counts.get(kind_of(case), 0) + 1
    parts = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    return f"{suite.path}: ok ({suite.id}: {len(suite.cases)} cases: {parts}; {len(suite.thresholds)} thresholds)\n"


def _provider(
    args: argparse.Namespace, settings: Settings, suite: Suite, extra: dict[str, BrainMaker]
) -> BrainProvider:
    brain = getattr(args, "brain", None) or "offline"  # evals never take the brain from settings
    if brain in extra:
        return FixedBrainProvider(extra[brain], name=brain)
    if brain == "offline":
        return FixedBrainProvider()
    factory = llm_brain_factory(settings)
    cache_dir = args.cache_dir or _default_cache(suite.path)
    model = (settings.model or "").strip()
    if brain == "replay":
        if not cache_dir.is_dir():
            raise HarnessError(
                f"There is no model response cache at {cache_dir}.",
                hint="Record one first with --brain openai (or point --cache-dir at it).",
            )
        provider = ModelBrainProvider.replaying(model=model, factory=factory, cache_dir=cache_dir)
    else:
        provider = ModelBrainProvider.recording(
            openai_chat_model(settings),
            model=model,
            factory=factory,
            cache_dir=cache_dir,
            max_in_flight=args.max_in_flight,
        )
    provider.brain()  # configuration errors (no model name, ...) surface now, not in every case
    return provider


def _default_cache(suite_path: Path) -> Path:
    folder = suite_path.resolve().parent
    root = folder.parent if folder.name == "suites" else folder
    return root / "cache"


def _write_reports(run: RunFile, args: argparse.Namespace) -> None:
    writers: list[tuple[Path | None, Callable[[], str]]] = [
        (args.json, lambda: run.model_dump_json(indent=1) + "\n"),
        (args.junit, lambda: junit_report(run)),
        (args.markdown, lambda: markdown_report(run)),
        (args.html, lambda: html_report(run)),
    ]
    for path, render in writers:
        if path is None:
            continue
        try:
            write_private(path, render())
        except OSError as error:
            raise HarnessError(f"Cannot write the report {path}: {error}") from error
