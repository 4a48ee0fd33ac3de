"""Run a suite's cases against a brain, concurrently, and collect checks, stats and the manifest.

Each case runs in a worker thread with its own brain and scratch folder. What the agent got
wrong fails the case; what broke in the harness (a persona fault, a replay cache miss, a model
that could not be reached) marks it `error` instead, which never moves a metric. A model that
keeps failing stops the whole run (the provider says so), since nothing it would measure is real.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import platform
import secrets
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from agent import __version__
from agent.errors import BrainError, StarlingError
from agent.evals.brains import FALLBACK_MARK, BrainProvider
from agent.evals.cases import AnalysisCase, CalibrationCase, Case, NextTurnCase, kind_of
from agent.evals.context import CaseContext
from agent.evals.defaults import DEFAULT_JOBS, CaseKind
from agent.evals.errors import HarnessError
from agent.evals.kinds.analysis import run_analysis
from agent.evals.kinds.calibration import run_calibration
from agent.evals.kinds.next_turn import run_next_turn
from agent.evals.kinds.simulated import run_simulated
from agent.evals.metrics import agreement, compute_metrics, stats_tables
from agent.evals.outcomes import Outcome
from agent.evals.outputs import brains_used, describe, signature
from agent.evals.runfile import CaseRecord, Manifest, PromptFile, RunFile
from agent.evals.scope import case_scope
from agent.evals.scorers import default_scorers
from agent.evals.scorers.outcome import CaseOutcomeScorer
from agent.evals.scoring import Check, Scorer, Stats
from agent.evals.suite import Suite
from agent.resources import bundled_dir

# In-process brains are CPU-bound (one thread is fastest); model brains wait on the network.


class ProgressSink(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, record: CaseRecord) -> None: ...

    def finish(self) -> None: ...


@dataclass(frozen=True)
class RunOptions:
    repeat: int = 1
    jobs: int = DEFAULT_JOBS
    seed: int | None = None
    filters: Sequence[str] = ()
    kinds: Sequence[CaseKind] = ()
    prompts_dir: Path | None = None
    progress: ProgressSink | None = field(default=None, compare=False)


def select_cases(suite: Suite, filters: Sequence[str], kinds: Sequence[CaseKind]) -> list[Case]:
    """The suite's cases whose id matches any filter (glob, or substring) and whose kind is wanted."""
    chosen = []
    for case in suite.cases:
        if kinds and kind_of(case) not in kinds:
            continue
        if filters and not any(fnmatch.fnmatchcase(case.id, f) or f in case.id for f in filters):
            continue
        chosen.append(case)
    return chosen


def run_suite(suite: Suite, provider: BrainProvider, options: RunOptions = RunOptions()) -> RunFile:
    """Run every selected case `repeat` times and return the run, ready to compare and gate on."""
    cases = select_cases(suite, options.filters, options.kinds)
    if not cases:
        raise HarnessError(
            f"No case of suite '{suite.id}' matches the filters given.",
            hint="Check --filter and --kind, or run the suite without them.",
        )
    scorers = default_scorers(suite.transcripts)
    started_at, started = datetime.now(UTC), time.perf_counter()
    jobs = [(index, case, repeat) for repeat in range(options.repeat) for index, case in enumerate(cases)]
    results: dict[tuple[int, int], CaseRecord] = {}
    if options.progress:
        options.progress.start(len(jobs))
    halted: str | None = None
    with tempfile.TemporaryDirectory(prefix="starling-eval-", dir=_scratch_root()) as scratch:
        runner = _CaseRunner(suite, provider, scorers, Path(scratch))
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            futures = {pool.submit(runner.run, case, repeat): (index, repeat) for index, case, repeat in jobs}
            for future in as_completed(futures):
                record = future.result()
                results[futures[future]] = record
                if options.progress:
                    options.progress.advance(record)
                halted = provider.halted()
                if halted:
                    for pending in futures:
                        pending.cancel()  # cases in flight finish at once: the model is no longer called
                    break
    if options.progress:
        options.progress.finish()
    if halted:
        raise HarnessError(
            f"The eval run was stopped after {len(results)} of {len(jobs)} case runs: {halted}",
            hint="Check that the model server is running and answering (OPENAI_BASE_URL, STARLING_MODEL), "
            "then run again; --brain replay runs from the response cache without it.",
        )
    duration = time.perf_counter() - started
    records = [results[key] for key in sorted(results, key=lambda k: (k[0], k[1]))]
    ids = [case.id for case in cases]
    metrics = compute_metrics(stats_tables(records, ids, scorers), scorers)
    agreed = agreement(records)
    manifest = _manifest(suite, provider, options, scorers, started_at, duration, len(records))
    return RunFile(manifest=manifest, metrics={**metrics, **agreed}, agreement=agreed, cases=records)


class _CaseRunner:
    def __init__(self, suite: Suite, provider: BrainProvider, scorers: list[Scorer], scratch: Path) -> None:
        self.suite = suite
        self.provider = provider
        self.scorers = scorers
        self.scratch = scratch

    def run(self, case: Case, repeat: int) -> CaseRecord:
        kind = kind_of(case)
        base: dict[str, Any] = {
            "id": case.id,
            "kind": kind,
            "repeat": repeat,
            "critical": case.critical,
            "tags": list(case.tags),
        }
        started = time.perf_counter()
        with case_scope(case.id, repeat):
            try:
                brain = self.provider.brain()
            except StarlingError as error:
                return CaseRecord(**base, status="error", error=_message(error), duration_ms=_ms(started))
            context = CaseContext(
                rubric=self.suite.rubric_for(case),
                brain=brain,
                personas=self.suite.personas,
                transcripts=self.suite.transcripts,
                workdir=self.scratch / f"{case.id}.{repeat}",
                topics=self.suite.topics,
            )
            try:
                outcome = _play(case, context)
            except (HarnessError, BrainError) as error:
                return CaseRecord(**base, status="error", error=_message(error), duration_ms=_ms(started))
            except Exception as error:  # noqa: BLE001 - the agent's own crash fails the case, not the run
                crashed = Check(name="completed", passed=False, expected="no error", got=_message(error))
                return CaseRecord(
                    **base,
                    status="fail",
                    checks=[crashed],
                    stats={"cases": CaseOutcomeScorer.stats_for(kind, False)},
                    error=_message(error),
                    duration_ms=_ms(started),
                )
        if case.id in self.provider.missed():
            return CaseRecord(**base, status="error", error="replay cache miss", duration_ms=_ms(started))
        return self._scored(case, outcome, base, started)

    def _scored(self, case: Case, outcome: Outcome, base: dict[str, Any], started: float) -> CaseRecord:
        """The case's checks and stats from every scorer of its kind; a fallback is a harness error."""
        kind = kind_of(case)
        output = describe(outcome)
        fallbacks = sum(1 for label in brains_used(outcome) if FALLBACK_MARK in label)
        if fallbacks:
            message = (
                f"the model was not used for {fallbacks} step(s); the brain fell back to the offline analyser"
            )
            return CaseRecord(**base, status="error", error=message, output=output, duration_ms=_ms(started))
        checks: list[Check] = []
        stats: dict[str, Stats] = {}
        for scorer in self.scorers:
            if kind not in scorer.kinds:
                continue
            scored = scorer.score(case, outcome)
            checks.extend(scored.checks)
            if scored.stats.sums or scored.stats.pairs:
                stats[scorer.name] = scored.stats
        passed = all(check.passed for check in checks)
        stats["cases"] = CaseOutcomeScorer.stats_for(kind, passed)
        return CaseRecord(
            **base,
            status="pass" if passed else "fail",
            checks=checks,
            stats=stats,
            output=output,
            signature=signature(output),
            duration_ms=_ms(started),
        )


def _play(case: Case, context: CaseContext) -> Outcome:
    if isinstance(case, AnalysisCase):
        return run_analysis(case, context)
    if isinstance(case, NextTurnCase):
        return run_next_turn(case, context)
    if isinstance(case, CalibrationCase):
        return run_calibration(case, context)
    return run_simulated(case, context)


def prompt_files(folder: Path | None = None) -> dict[str, PromptFile]:
    """The prompt templates a model-backed brain renders, by file name, with their hashes."""
    folder = folder or bundled_dir("prompts")
    found: dict[str, PromptFile] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.lower().startswith("readme") and not path.name.startswith("."):
            text = path.read_text(encoding="utf-8")
            found[path.name] = PromptFile(sha256=hashlib.sha256(text.encode()).hexdigest()[:16], text=text)
    return found


def _manifest(
    suite: Suite,
    provider: BrainProvider,
    options: RunOptions,
    scorers: list[Scorer],
    started_at: datetime,
    duration: float,
    runs: int,
) -> Manifest:
    prompts = prompt_files(options.prompts_dir)
    combined = "\n".join(f"{name}:{p.sha256}" for name, p in prompts.items())
    return Manifest(
        run_id=f"{started_at:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}",
        suite=suite.id,
        suite_title=suite.title,
        suite_hash=suite.content_hash,
        starling_version=__version__,
        python=platform.python_version(),
        platform=platform.platform(terse=True),
        rubric_id=suite.rubric.id,
        rubric_version=suite.rubric.version,
        rubric_hash=suite.rubric.content_hash(),
        prompts=prompts,
        prompts_hash="sha256:" + hashlib.sha256(combined.encode()).hexdigest()[:16],
        rendered=provider.rendered(),
        brain=provider.name,
        model=provider.model,
        seed=suite.seed if options.seed is None else options.seed,
        repeat=options.repeat,
        jobs=options.jobs,
        filters=[*options.filters, *(f"kind:{k}" for k in options.kinds)],
        scorers={scorer.name: scorer.version for scorer in scorers},
        started_at=started_at,
        finished_at=datetime.now(UTC),
        duration_s=round(duration, 3),
        cases_per_second=round(runs / duration, 1) if duration > 0 else 0.0,
        usage=provider.usage(),
    )


def _scratch_root() -> str | None:
    """A memory-backed folder when there is one: simulated interviews flush every record to disk."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _message(error: BaseException) -> str:
    text = (error.message if isinstance(error, StarlingError) else str(error)).strip() or type(error).__name__
    return text if len(text) <= 500 else text[:499] + "…"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
