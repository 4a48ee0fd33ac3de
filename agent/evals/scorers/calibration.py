"""Evaluation calibration: per-question scores against gold, as kappa, Spearman and agreement rates."""

from __future__ import annotations

import statistics

from agent.evals.cases import CalibrationCase, Case
from agent.evals.defaults import CaseKind
from agent.evals.gold import GoldTranscript
from agent.evals.outcomes import CalibrationOutcome, Outcome
from agent.evals.scoring import Scored, View
from agent.evals.stats import quadratic_weighted_kappa, ratio, spearman


class CalibrationScorer:
    """Quadratic weighted kappa and Spearman of question scores against gold; exact and within-one
    agreement; whether `not_assessed` is used exactly where the gold says there is nothing to score."""

    name = "calibration"
    version = 1
    kinds: frozenset[CaseKind] = frozenset({"evaluation_calibration"})

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

    def metrics(self, view: View) -> dict[str, float | None]:
        n = view.sum("q.n")
        values: dict[str, float | None] = {
            "exact": ratio(view.sum("q.exact"), n),
            "within_one": ratio(view.sum("q.within_one"), n),
            "assessed_agreement": ratio(view.sum("assessed.agree"), view.sum("assessed.n")),
        }
        if n:
            confusion = {(w, g): view.sum(f"cm.{w}.{g}") for w in range(1, 6) for g in range(1, 6)}
            values["qwk"] = quadratic_weighted_kappa(confusion)
            values["spearman"] = spearman(view.pairs("score"))
            values["overall_spearman"] = spearman(view.pairs("overall"))
        return values

    def metric_names(self) -> list[str]:
        return ["exact", "within_one", "assessed_agreement", "qwk", "spearman", "overall_spearman"]

    def metric_kinds(self, metric: str) -> frozenset[CaseKind]:
        return self.kinds
