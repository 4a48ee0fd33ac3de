"""Evaluation calibration: per-question scores against gold, as kappa, Spearman and agreement rates."""

from __future__ import annotations

import statistics

from agent.evals.cases import CalibrationCase, Case
from agent.evals.defaults import CaseKind
from agent.evals.gold import GoldTranscript
from agent.evals.outcomes import CalibrationOutcome, Outcome
from agent.evals.scoring import Metric, MetricValue, Scored, View, share
from agent.evals.stats import quadratic_weighted_kappa, ratio, spearman

NAME = "calibration"
KINDS: frozenset[CaseKind] = frozenset({"evaluation_calibration"})


def _scored(view: View) -> float:
    return view.sum("q.n")


def _qwk(view: View) -> float | None:
    if not _scored(view):
        return None
    confusion = {(w, g): view.sum(f"cm.{w}.{g}") for w in range(1, 6) for g in range(1, 6)}
    return quadratic_weighted_kappa(confusion)


def _spearman(pairs: str) -> MetricValue:
    return lambda view: spearman(view.pairs(pairs)) if _scored(view) else None


def _metric(name: str, description: str, value: MetricValue) -> Metric:
    return Metric(scorer=NAME, name=name, description=description, kinds=KINDS, value=value)


EXACT = _metric(
    "exact",
    "share of gold-scored questions the evaluation scored exactly as the gold",
    lambda view: ratio(view.sum("q.exact"), _scored(view)),
)
WITHIN_ONE = _metric(
    "within_one",
    "share of gold-scored questions scored within one of the gold",
    lambda view: ratio(view.sum("q.within_one"), _scored(view)),
)
ASSESSED_AGREEMENT = _metric(
    "assessed_agreement",
    "share of questions where the evaluation and the gold agree on whether there is anything to score",
    share("assessed.agree", "assessed.n"),
)
QWK = _metric("qwk", "quadratic weighted kappa of question scores against the gold", _qwk)
SPEARMAN = _metric("spearman", "Spearman correlation of question scores with the gold", _spearman("score"))
OVERALL_SPEARMAN = _metric(
    "overall_spearman",
    "Spearman correlation of each interview's overall score with its mean gold score",
    _spearman("overall"),
)


class CalibrationScorer:
    """Quadratic weighted kappa and Spearman of question scores against gold; exact and within-one
    agreement; whether `not_assessed` is used exactly where the gold says there is nothing to score."""

    name = NAME
    version = 1
    kinds = KINDS
    metrics: tuple[Metric, ...] = (EXACT, WITHIN_ONE, ASSESSED_AGREEMENT, QWK, SPEARMAN, OVERALL_SPEARMAN)

    def __init__(self, transcripts: dict[str, GoldTranscript]) -> None:
        self.transcripts = transcripts

    def score(self, case: Case, outcome: Outcome) -> Scored:
        scored = Scored()
        if not isinstance(case, CalibrationCase) or not isinstance(outcome, CalibrationOutcome):
            return scored
        gold = self.transcripts[case.transcript]
        stats = scored.stats
        got_scores = {q.question_id: q.score for q in outcome.evaluation.questions}
        for question in gold.questions:
            got = got_scores.get(question.question)
            want = question.gold
            stats.add("assessed.n")
            stats.add("assessed.agree", (want is None) == (got is None))
            if want is None or got is None:
                ok = want is None and got is None
            else:
                ok = abs(want - got) <= 1
                stats.add("q.n")
                stats.add("q.exact", want == got)
                stats.add("q.within_one", ok)
                stats.add(f"cm.{want}.{got}")
                stats.pair("score", want, got)
            scored.check(
                f"gold.{question.question}",
                ok,
                "not assessed" if want is None else f"{want} (±1)",
                "not assessed" if got is None else got,
            )
        golds = [q.gold for q in gold.questions if q.gold is not None]
        overall = outcome.evaluation.overall_score
        if golds and overall is not None:
            stats.pair("overall", statistics.fmean(golds), overall)
        return scored
