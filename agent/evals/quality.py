"""The reader's quality on the frozen test split, and how far two careful labellers agree.

    python -m agent.evals.quality            # Markdown tables for the README

Label figures are the label scorer's metrics (agent/evals/scorers/labels.py) on the eval suite
`frozen`, as `starling eval` computes them; the agreement figures compare the second, independent
labelling in evals/corpus/double with the corpus labels of the same answers, label by label as
that scorer reads them.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from agent.brains.offline import OfflineBrain
from agent.domain.star import RED_FLAGS, STAR_SLOTS
from agent.evals.brains import FixedBrainProvider
from agent.evals.cases import AnalysisCase
from agent.evals.corpus import Record, corpus_files, gold_analysis, records
from agent.evals.metrics import compute_metrics, stats_tables
from agent.evals.runfile import RunFile
from agent.evals.runner import RunOptions, run_suite
from agent.evals.scorers import default_scorers, invariance
from agent.evals.scorers.labels import (
    ACCURACY,
    CLASSES,
    FLAG_F1,
    MACRO_F1,
    NAME,
    SCORE_EXACT,
    SCORE_PRECISION_5,
    SCORE_QWK,
    agreeing,
    labelled,
    left_unscored,
    predicted_labels,
    score_confusion,
)
from agent.evals.scoring import Metric, StatsTable, View
from agent.evals.stats import quadratic_weighted_kappa
from agent.evals.suite import Suite
from agent.evals.suite_loader import load_suite

ROOT = Path(__file__).resolve().parents[2] / "evals"


def cohen_kappa(pairs: Sequence[tuple[object, object]]) -> float | None:
    """Cohen's kappa of two raters' categorical labels; None when chance agreement is total."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    left = Counter(a for a, _ in pairs)
    right = Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def agreement(first: Sequence[Record], second: Sequence[Record]) -> dict[str, float | None]:
    """Kappa per label (and quadratic-weighted kappa of the score) between two labellings."""
    by_id = {r.id: gold_analysis(r) for r in first}
    pairs = [(by_id[r.id], gold_analysis(r)) for r in second if r.id in by_id]
    out: dict[str, float | None] = {"n": float(len(pairs))}
    labels = [(predicted_labels(a), predicted_labels(b)) for a, b in pairs]
    for label in CLASSES:
        out[label] = cohen_kappa([(a[label], b[label]) for a, b in labels])
    for flag in RED_FLAGS:
        out[f"flag.{flag}"] = cohen_kappa([(flag in a.red_flags, flag in b.red_flags) for a, b in pairs])
    scored = [(a.score, b.score) for a, b in pairs if a.score is not None and b.score is not None]
    cells = Counter(scored)
    out["score.qwk"] = quadratic_weighted_kappa(
        {(w, g): float(cells[(w, g)]) for w in range(1, 6) for g in range(1, 6)}
    )
    out["score.exact"] = sum(a == b for a, b in scored) / len(scored) if scored else None
    return out


def frozen_run(name: str = "frozen") -> tuple[Suite, RunFile]:
    suite = load_suite(ROOT / "suites" / f"{name}.yaml")
    return suite, run_suite(suite, FixedBrainProvider(OfflineBrain), RunOptions(jobs=1))


COMPETENCY_COLUMNS: tuple[tuple[str, Metric], ...] = (
    *((slot, ACCURACY[slot]) for slot in STAR_SLOTS),
    ("ownership", ACCURACY["ownership"]),
    ("follow-up", ACCURACY["followup_target"]),
    ("score QWK", SCORE_QWK),
    ("off_topic F1", FLAG_F1["off_topic"]),
)


def by_competency(suite: Suite, run: RunFile) -> dict[str, tuple[int, dict[str, float]]]:
    """The label metrics over each competency's answers alone: (answers, metrics) per competency."""
    competency = {
        case.id: case.competency or suite.rubric.id for case in suite.cases if isinstance(case, AnalysisCase)
    }
    ids = [case_id for case_id in run.case_ids() if case_id in competency]
    scorers = default_scorers()
    tables = stats_tables(run.cases, ids, scorers)
    found: dict[str, tuple[int, dict[str, float]]] = {}
    for name in dict.fromkeys(competency[case_id] for case_id in ids):
        indices = [i for i, case_id in enumerate(ids) if competency[case_id] == name]
        found[name] = (len(indices), compute_metrics(tables, scorers, indices))
    return found


def label_stats(run: RunFile) -> View:
    """The label scorer's stats over every case record of the run."""
    return StatsTable([case.stats[NAME] for case in run.cases if NAME in case.stats]).view()


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _value(metrics: dict[str, float], metric: Metric) -> str:
    return _pct(metrics.get(metric.key))


def report() -> str:
    suite, run = frozen_run()
    m = run.metrics
    stats = label_stats(run)
    double = records(sorted((ROOT / "corpus" / "double").glob("*.jsonl")))
    primary = records([*corpus_files("train"), *corpus_files("test")])
    kappa = agreement(primary, double)
    lines = [
        f"Frozen test split: {labelled(stats, 'situation')} answers (`python -m agent.evals.quality`).",
        "",
        "| Label | Accuracy | Macro F1 | Labellers' κ |",
        "| --- | --- | --- | --- |",
    ]
    for label in CLASSES:
        lines.append(
            f"| {label} | {_value(m, ACCURACY[label])} | {_value(m, MACRO_F1[label])} | {_pct(kappa.get(label))} |"
        )
    lines += [
        f"| score (exact) | {_value(m, SCORE_EXACT)} | | |",
        f"| score (QWK) | {_value(m, SCORE_QWK)} | | {_pct(kappa.get('score.qwk'))} |",
        f"| precision of predicted 5s | {_value(m, SCORE_PRECISION_5)} | | |",
        f"| grader instructions flagged when inserted | {_value(m, invariance.INJECTION_FLAGGED)} | | |",
        f"| labels unchanged by inserted instructions | {_value(m, invariance.UNCHANGED['injection'])} | | |",
        "",
        "| Red flag | F1 | Labellers' κ |",
        "| --- | --- | --- |",
    ]
    for flag in RED_FLAGS:
        lines.append(f"| {flag} | {_value(m, FLAG_F1[flag])} | {_pct(kappa.get(f'flag.{flag}'))} |")
    lines += [
        "",
        "Score confusion (rows: labelled, columns: predicted; `n/a` is not assessed):",
        "",
        "| labelled \\ predicted | 1 | 2 | 3 | 4 | 5 | labelled count |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    confusion = score_confusion(stats)
    for gold in range(1, 6):
        row = [int(confusion[(gold, got)]) for got in range(1, 6)]
        lines.append(f"| {gold} | " + " | ".join(str(v) for v in row) + f" | {sum(row)} |")
    predicted = [int(sum(confusion[(gold, got)] for gold in range(1, 6))) for got in range(1, 6)]
    lines.append("| predicted count | " + " | ".join(str(v) for v in predicted) + " | |")
    lines += [
        "",
        f"Not assessed: {agreeing(stats, 'not_assessed')} of {labelled(stats, 'not_assessed')} answers agree"
        f" on whether to score; {left_unscored(stats)} scored answers were left unscored.",
        f"Labellers' agreement is measured on {int(kappa['n'] or 0)} answers labelled twice, independently.",
        "",
        "Per competency (accuracy, except the last two columns):",
        "",
        "| Competency | Answers | "
        + " | ".join(title for title, _ in COMPETENCY_COLUMNS)
        + " | Labellers' score QWK (answers) |",
        "| --- | --- | " + " | ".join("---" for _ in COMPETENCY_COLUMNS) + " | --- |",
    ]
    for name, (count, metrics) in by_competency(suite, run).items():
        cells = " | ".join(_value(metrics, metric) for _, metric in COMPETENCY_COLUMNS)
        own = agreement([r for r in primary if r.competency == name], double)
        lines.append(f"| {name} | {count} | {cells} | {_pct(own.get('score.qwk'))} ({int(own['n'] or 0)}) |")
    told, told_run = frozen_run("frozen-replies")
    lines += [
        "",
        f"Told over two replies (suite `frozen-replies`): {len(told.cases)} of these stories, each with one",
        "STAR part (task, result, action or situation, in turn) held back for a follow-up and given in",
        "a second reply, as an interview hears it. The labels expected are the whole story's.",
        "",
        "| " + " | ".join(title for title, _ in COMPETENCY_COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COMPETENCY_COLUMNS) + " |",
        "| " + " | ".join(_value(told_run.metrics, metric) for _, metric in COMPETENCY_COLUMNS) + " |",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.stdout.write(report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
