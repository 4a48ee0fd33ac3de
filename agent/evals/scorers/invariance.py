"""Invariance: perturbations that must not move an answer's score (injection, names, filler)."""

from __future__ import annotations

from typing import get_args

from agent.evals.cases import AnalysisCase, Case, CaseKind, Perturbation
from agent.evals.outcomes import AnalysisOutcome, Outcome
from agent.evals.scoring import Scored, View
from agent.evals.stats import ratio

PERTURBATIONS: tuple[Perturbation, ...] = get_args(Perturbation)


class InvarianceScorer:
    """The share of perturbed answers whose score is exactly the original's."""

    name = "invariance"
    version = 1
    kinds: frozenset[CaseKind] = frozenset({"analysis"})

    def score(self, case: Case, outcome: Outcome) -> Scored:
        scored = Scored()
        if not isinstance(case, AnalysisCase) or not isinstance(outcome, AnalysisOutcome):
            return scored
        base = outcome.analysis.score
        for perturbation, variant in outcome.variants.items():
            same = variant.score == base
            scored.check(f"invariance.{perturbation}", same, base, variant.score)
            scored.stats.add(f"{perturbation}.n")
            scored.stats.add(f"{perturbation}.same", same)
        return scored

    def metrics(self, view: View) -> dict[str, float | None]:
        values: dict[str, float | None] = {
            p: ratio(view.sum(f"{p}.same"), view.sum(f"{p}.n")) for p in PERTURBATIONS
        }
        same = sum(view.sum(f"{p}.same") for p in PERTURBATIONS)
        values["all"] = ratio(same, sum(view.sum(f"{p}.n") for p in PERTURBATIONS))
        return values

    def metric_names(self) -> list[str]:
        return [*PERTURBATIONS, "all"]

    def metric_kinds(self, metric: str) -> frozenset[CaseKind]:
        return self.kinds
