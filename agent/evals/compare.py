"""Paired comparison with a baseline run: metric deltas with bootstrap intervals, flipped cases,
and what changed in the prompts, the rubric and the setup between the two runs."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from agent.evals.metrics import compute_metrics, stats_tables
from agent.evals.runfile import CaseRecord, CheckFlip, Comparison, Flip, Manifest, MetricDelta, RunFile
from agent.evals.scorers import default_scorers
from agent.evals.scoring import Scorer, StatsTable
from agent.evals.stats import interval, resamples
from agent.evals.suite import CompareSettings, Threshold

_WATCHED = (
    "suite_hash",
    "rubric_hash",
    "prompts_hash",
    "brain",
    "model",
    "starling_version",
    "repeat",
)


def compare(
    current: RunFile,
    baseline: RunFile,
    *,
    settings: CompareSettings,
    thresholds: dict[str, Threshold],
    seed: int,
    baseline_path: str,
) -> Comparison:
    """Pair the two runs' cases by id and say what moved, and whether it moved beyond chance."""
    now_ids, was_ids = current.case_ids(), baseline.case_ids()
    paired = [case_id for case_id in now_ids if case_id in set(was_ids)]
    scorers = default_scorers()
    deltas = _deltas(current, baseline, paired, scorers, settings, thresholds, seed)
    return Comparison(
        baseline_path=baseline_path,
        baseline_run_id=baseline.manifest.run_id,
        baseline_brain=baseline.manifest.brain,
        paired=len(paired),
        added=[case_id for case_id in now_ids if case_id not in set(was_ids)],
        removed=[case_id for case_id in was_ids if case_id not in set(now_ids)],
        deltas=deltas,
        flips=flips(current.cases, baseline.cases, paired),
        prompt_diff=prompt_diff(baseline.manifest, current.manifest),
        rendered_diff=rendered_diff(baseline.manifest, current.manifest),
        changes=_changes(baseline.manifest, current.manifest),
        confidence=settings.confidence,
        bootstrap=settings.bootstrap,
    )


def _deltas(
    current: RunFile,
    baseline: RunFile,
    paired: list[str],
    scorers: list[Scorer],
    settings: CompareSettings,
    thresholds: dict[str, Threshold],
    seed: int,
) -> list[MetricDelta]:
    now_tables = stats_tables(current.cases, paired, scorers)
    was_tables = stats_tables(baseline.cases, paired, scorers)
    samples = resamples(settings.bootstrap, len(paired), seed) if paired else []
    result: list[MetricDelta] = []
    for scorer in scorers:
        now_values = compute_metrics(now_tables, [scorer])
        was_values = compute_metrics(was_tables, [scorer])
        names = sorted(set(now_values) | set(was_values))
        if not names:
            continue
        comparable = _same_version(scorer, current.manifest, baseline.manifest)
        same_rows = _same_rows(now_tables[scorer.name], was_tables[scorer.name])
        spread = {} if same_rows or not comparable else _bootstrap(scorer, now_tables, was_tables, samples)
        for name in names:
            now, was = now_values.get(name), was_values.get(name)
            limit = thresholds.get(name)
            max_drop = (
                limit.max_drop if limit is not None and limit.max_drop is not None else settings.max_drop
            )
            delta = MetricDelta(metric=name, baseline=was, current=now, delta=None, max_drop=max_drop)
            if not comparable:
                delta.comparable = False
                delta.note = "scorer version changed; not compared"
            elif now is not None and was is not None:
                delta.delta = now - was
                if same_rows:
                    delta.low = delta.high = 0.0
                elif spread.get(name):
                    delta.low, delta.high = interval(spread[name], settings.confidence)
                delta.regression = delta.delta < -max_drop and (delta.high is None or delta.high < 0)
            result.append(delta)
    return result


def _bootstrap(
    scorer: Scorer, now: dict[str, StatsTable], was: dict[str, StatsTable], samples: list[list[int]]
) -> dict[str, list[float]]:
    """Each metric's paired delta over the same resampled cases in both runs."""
    spread: dict[str, list[float]] = {}
    for sample in samples:
        now_values = compute_metrics(now, [scorer], sample)
        was_values = compute_metrics(was, [scorer], sample)
        for name, value in now_values.items():
            if name in was_values:
                spread.setdefault(name, []).append(value - was_values[name])
    return spread


def _same_version(scorer: Scorer, current: Manifest, baseline: Manifest) -> bool:
    was = baseline.scorers.get(scorer.name)
    return was is None or was == current.scorers.get(scorer.name, scorer.version)


def _same_rows(now: StatsTable, was: StatsTable) -> bool:
    return all(a == b for a, b in zip(now.rows, was.rows, strict=True))


def case_status(records: Sequence[CaseRecord]) -> str:
    """One status for every run of a case: `flaky` when repeats disagree on pass or fail."""
    statuses = {record.status for record in records}
    if "error" in statuses:
        return "error"
    if len(statuses) > 1:
        return "flaky"
    return statuses.pop() if statuses else "missing"


def flips(now: Sequence[CaseRecord], was: Sequence[CaseRecord], paired: Sequence[str]) -> list[Flip]:
    """Cases whose status or any check changed (checks compared on the first repeat).

    A case that failed before and still fails can still have flipped: a check that passed now fails.
    Cases that stopped passing come first, then other regressions, then improvements.
    """
    now_by: dict[str, list[CaseRecord]] = {}
    was_by: dict[str, list[CaseRecord]] = {}
    for record in now:
        now_by.setdefault(record.id, []).append(record)
    for record in was:
        was_by.setdefault(record.id, []).append(record)
    result: list[Flip] = []
    for case_id in paired:
        before, after = case_status(was_by[case_id]), case_status(now_by[case_id])
        changed = _moved_checks(was_by[case_id][0], now_by[case_id][0])
        if before != after or changed:
            result.append(
                Flip(case_id=case_id, kind=now_by[case_id][0].kind, was=before, now=after, checks=changed)
            )
    return sorted(result, key=_flip_order)


def _flip_order(flip: Flip) -> int:
    """Cases that stopped passing first, then checks that broke in failing cases, then fixes."""
    if flip.was == "pass" and flip.now != "pass":
        return 0
    return 1 if flip.regressed else 2


def _moved_checks(before: CaseRecord, after: CaseRecord) -> list[CheckFlip]:
    old = {check.name: check for check in before.checks}
    new = {check.name: check for check in after.checks}
    moved: list[CheckFlip] = []
    for name in dict.fromkeys([*new, *old]):
        prior, current = old.get(name), new.get(name)
        was_ok = prior.passed if prior is not None else True
        now_ok = current.passed if current is not None else True
        if was_ok == now_ok:
            continue
        either = current if current is not None else prior
        moved.append(
            CheckFlip(
                name=name,
                was=was_ok,
                now=now_ok,
                expected=either.expected if either is not None else "",
                before=prior.got if prior is not None else "",
                after=current.got if current is not None else "",
            )
        )
    return moved


def prompt_diff(before: Manifest, after: Manifest) -> str:
    """A unified diff of the prompt templates recorded in two runs."""
    chunks: list[str] = []
    for name in sorted(set(before.prompts) | set(after.prompts)):
        old = before.prompts.get(name)
        new = after.prompts.get(name)
        if old is not None and new is not None and old.sha256 == new.sha256:
            continue
        chunks.extend(
            difflib.unified_diff(
                (old.text if old else "").splitlines(keepends=True),
                (new.text if new else "").splitlines(keepends=True),
                fromfile=f"baseline/prompts/{name}" if old else "/dev/null",
                tofile=f"current/prompts/{name}" if new else "/dev/null",
            )
        )
    return _joined(chunks)


def rendered_diff(before: Manifest, after: Manifest) -> str:
    """A unified diff of the example requests as sent, for each kind of request both runs made."""
    chunks: list[str] = []
    for kind in sorted(set(before.rendered) & set(after.rendered)):
        old, new = before.rendered[kind], after.rendered[kind]
        if old.case_id != new.case_id or old.messages == new.messages:
            continue
        chunks.extend(
            difflib.unified_diff(
                _render(old.messages),
                _render(new.messages),
                fromfile=f"baseline/{kind} ({old.case_id})",
                tofile=f"current/{kind} ({new.case_id})",
            )
        )
    return _joined(chunks)


def _render(messages: list[tuple[str, str]]) -> list[str]:
    lines: list[str] = []
    for role, content in messages:
        lines.append(f"[{role}]\n")
        lines.extend(line + "\n" for line in content.splitlines())
    return lines


def _joined(chunks: list[str]) -> str:
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


def _changes(before: Manifest, after: Manifest) -> dict[str, tuple[str, str]]:
    changed: dict[str, tuple[str, str]] = {}
    for name in _WATCHED:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changed[name] = (str(old), str(new))
    return changed
