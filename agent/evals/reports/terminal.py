"""The terminal summary of a run, and a progress bar on stderr while it runs (only on a terminal)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO

from agent.evals.defaults import CASE_KINDS
from agent.evals.reports.highlights import deltas_by_metric, floors, highlighted
from agent.evals.runfile import CaseRecord, RunFile

_WIDTH = 30


class ProgressBar:
    """`[#####.....] 45/120 · 3 failing · 1 error · 38 cases/s`, redrawn in place on a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = 0
        self.done = 0
        self.counts: Counter[str] = Counter()
        self._started = 0.0
        self._drawn = 0.0

    @staticmethod
    def wanted(stream: TextIO | None = None) -> bool:
        target = stream or sys.stderr
        return bool(getattr(target, "isatty", lambda: False)())

    def start(self, total: int) -> None:
        self.total = total
        self._started = time.perf_counter()
        self._draw(force=True)

    def advance(self, record: CaseRecord) -> None:
        self.done += 1
        self.counts[record.status] += 1
        self._draw(force=self.done == self.total)

    def finish(self) -> None:
        self.stream.write("\r" + " " * (_WIDTH + 60) + "\r")
        self.stream.flush()

    def _draw(self, *, force: bool) -> None:
        now = time.perf_counter()
        if not force and now - self._drawn < 0.05:
            return
        self._drawn = now
        filled = int(_WIDTH * self.done / self.total) if self.total else _WIDTH
        rate = self.done / (now - self._started) if now > self._started else 0.0
        parts = [f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {self.done}/{self.total}"]
        if self.counts["fail"]:
            parts.append(f"{self.counts['fail']} failing")
        if self.counts["error"]:
            parts.append(f"{self.counts['error']} error{'s' if self.counts['error'] != 1 else ''}")
        parts.append(f"{rate:.0f} cases/s")
        self.stream.write("\r" + " · ".join(parts))
        self.stream.flush()


def summary(run: RunFile, *, everything: bool = False, limit: int = 15) -> str:
    """A readable account of the run: what ran, the key metrics, what flipped, what failed, the verdict."""
    m = run.manifest
    lines = [
        f"Suite {m.suite} ({m.suite_title}) · rubric {m.rubric_id} v{m.rubric_version} · brain {m.brain}"
        + (f" ({m.model})" if m.model else ""),
        f"{len(run.cases)} case runs in {m.duration_s:.2f} s ({m.cases_per_second:.0f} cases/s)"
        + (f" · repeat {m.repeat}" if m.repeat > 1 else ""),
        "",
    ]
    lines += _kinds(run)
    lines += ["", *_metrics(run, everything)]
    if m.usage.cache_hits or m.usage.cache_misses or m.usage.prompt_tokens:
        u = m.usage
        if m.brain == "replay":
            calls = f"Model calls: {u.cache_hits} replayed from the cache, {u.cache_misses} missing from it"
        else:
            calls = (
                f"Model calls: {u.cache_hits} from the cache, {u.cache_misses} made · tokens paid "
                f"{u.prompt_tokens:,} in / {u.completion_tokens:,} out"
                + (f" · ~${u.cost_usd:.4f}" if u.cost_usd is not None else "")
            )
        if u.rate_limited:
            calls += f" · rate-limited {u.rate_limited} time(s), backed off"
        lines += ["", calls]
    comparison = run.comparison
    if comparison is not None:
        lines += ["", f"Against baseline {comparison.baseline_path} ({comparison.paired} paired cases)"]
        for name, (old, new) in comparison.changes.items():
            lines.append(f"  changed {name}: {old} -> {new}")
        if comparison.added or comparison.removed:
            lines.append(f"  {len(comparison.added)} new case(s), {len(comparison.removed)} no longer run")
        if comparison.flips:
            lines.append(f"Flipped cases ({len(comparison.flips)}):")
            for flip in comparison.flips[:limit]:
                detail = "; ".join(f"{c.name}: {c.before or '?'} -> {c.after}" for c in flip.checks[:3])
                lines.append(f"  {flip.case_id:<28} {flip.was} -> {flip.now}   {detail}")
            if len(comparison.flips) > limit:
                lines.append(f"  ... and {len(comparison.flips) - limit} more (see --html or --markdown)")
        if comparison.prompt_diff:
            lines.append("Prompt templates changed (diff in the Markdown and HTML reports).")
    failed = [c for c in run.cases if c.status == "fail" and c.repeat == 0]
    if failed:
        lines += ["", f"Failing cases ({len(failed)}):"]
        for case in failed[:limit]:
            checks = case.failed_checks
            first = f"{checks[0].name}: expected {checks[0].expected}, got {checks[0].got}" if checks else ""
            more = f" (+{len(checks) - 1} more)" if len(checks) > 1 else ""
            lines.append(f"  {case.id:<28} {_clip(first, 90)}{more}")
        if len(failed) > limit:
            lines.append(f"  ... and {len(failed) - limit} more")
    errors = [c for c in run.cases if c.status == "error"]
    if errors:
        lines += ["", f"Harness errors ({len(errors)}; not counted against the agent):"]
        lines += [f"  {c.id:<28} {_clip(c.error or '', 100)}" for c in errors[:limit]]
    if run.verdict is not None:
        verdict = run.verdict
        lines += ["", f"Verdict: {verdict.status.upper()} (exit {verdict.exit_code})"]
        lines += [f"  - {reason}" for reason in verdict.reasons]
    return "\n".join(lines) + "\n"


def _kinds(run: RunFile) -> list[str]:
    lines = []
    for kind in CASE_KINDS:
        mine = [c for c in run.cases if c.kind == kind]
        if not mine:
            continue
        counts = Counter(c.status for c in mine)
        text = f"  {kind:<24} {len(mine):>4} runs   {counts['pass']:>4} pass   {counts['fail']:>4} fail"
        if counts["error"]:
            text += f"   {counts['error']} error"
        lines.append(text)
    return lines


def _metrics(run: RunFile, everything: bool) -> list[str]:
    deltas = deltas_by_metric(run)
    limits = floors(run)
    header = f"  {'metric':<40} {'value':>7}"
    if deltas:
        header += f" {'baseline':>9} {'delta':>8}  {'interval':<19}"
    header += "  floor"
    lines = ["Metrics", header]
    for name in highlighted(run, everything=everything):
        value = run.metrics.get(name)
        row = f"  {name:<40} {_num(value):>7}"
        delta = deltas.get(name)
        if deltas:
            if delta is None:
                row += f" {'':>9} {'':>8}  {'':<19}"
            else:
                interval = f"[{_signed(delta.low)}, {_signed(delta.high)}]" if delta.low is not None else ""
                mark = " REGRESSED" if delta.regression else ""
                row += f" {_num(delta.baseline):>9} {_signed(delta.delta):>8}  {interval:<19}{mark}"
        floor = limits.get(name)
        if floor is not None:
            ok = value is not None and value >= floor - 1e-12
            row += f"  {floor:.3f} {'ok' if ok else 'MISSED' if value is not None else 'not measured'}"
        lines.append(row)
    if not everything and len(run.metrics) > len(lines) - 2:
        lines.append(f"  ({len(run.metrics)} metrics in all: --all-metrics, or the JSON and HTML reports)")
    return lines


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.3f}"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
