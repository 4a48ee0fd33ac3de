"""Benchmark of `starling eval` on the offline brain: cases per second, overall and per case kind.

Run with `python scripts/bench_eval.py [SUITE ...] [--runs N] [--jobs N]` (default: smoke and full,
3 runs each, the runner's default concurrency; use --jobs 1 for clean per-case times). A benchmark, not a test: numbers vary by machine.
Suite loading and the bootstrap comparison are timed separately from running the cases.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from agent.evals.brains import FixedBrainProvider
from agent.evals.compare import compare
from agent.evals.runner import DEFAULT_JOBS, RunOptions, run_suite
from agent.evals.suite_loader import load_suite

SUITES = Path(__file__).resolve().parent.parent / "evals" / "suites"


def bench(name: str, runs: int, jobs: int) -> None:
    started = time.perf_counter()
    suite = load_suite(SUITES / f"{name}.yaml")
    loading = time.perf_counter() - started
    provider = FixedBrainProvider()
    run_suite(suite, provider, RunOptions(jobs=jobs, kinds=("next_turn",)))  # warm up imports and caches
    durations: list[float] = []
    per_kind: dict[str, list[float]] = defaultdict(list)  # milliseconds per case
    last = None
    for _ in range(runs):
        last = run_suite(suite, provider, RunOptions(jobs=jobs))
        durations.append(last.manifest.duration_s)
        for case in last.cases:
            per_kind[case.kind].append(case.duration_ms)
    assert last is not None
    started = time.perf_counter()
    compare(
        last, last, settings=suite.compare, thresholds=suite.thresholds, seed=suite.seed, baseline_path="self"
    )
    comparing = time.perf_counter() - started
    median = statistics.median(durations)
    out = sys.stdout
    out.write(f"{name}: {len(last.cases)} cases, median {median:.2f} s over {runs} runs, ")
    out.write(f"{len(last.cases) / median:.0f} cases/s with {jobs} jobs ")
    out.write(f"(load {loading:.2f} s, self-comparison {comparing:.2f} s)\n")
    for kind, times in per_kind.items():
        # With several jobs a case's time includes waiting for the interpreter lock.
        out.write(f"  {kind:<24} {statistics.median(times):>7.1f} ms per case (median)\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("suites", nargs="*", default=["smoke", "full"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    args = parser.parse_args()
    for name in args.suites:
        bench(name, args.runs, args.jobs)


if __name__ == "__main__":
    main()
