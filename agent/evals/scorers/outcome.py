"""Case pass rates: the share of cases whose every check passed, overall and per case kind."""

from __future__ import annotations

from agent.evals.cases import Case
from agent.evals.defaults import CASE_KINDS, CaseKind
from agent.evals.outcomes import Outcome
from agent.evals.scoring import Scored, Stats, View
from agent.evals.stats import ratio


class CaseOutcomeScorer:
    """Reads the case status the runner decided; harness errors are left out, never counted as fails."""

    name = "cases"
    version = 1
    kinds: frozenset[CaseKind] = frozenset(CASE_KINDS)

    def score(self, case: Case, outcome: Outcome) -> Scored:
        return Scored()

    @staticmethod
    def stats_for(kind: CaseKind, passed: bool) -> Stats:
        stats = Stats()
        for suffix in ("", f".{kind}"):
            stats.add(f"n{suffix}")
            stats.add(f"pass{suffix}", passed)
        return stats

    def metrics(self, view: View) -> dict[str, float | None]:
        values = {"pass_rate": ratio(view.sum("pass"), view.sum("n"))}
        for kind in CASE_KINDS:
            values[f"pass_rate.{kind}"] = ratio(view.sum(f"pass.{kind}"), view.sum(f"n.{kind}"))
        return values

    def metric_names(self) -> list[str]:
        return ["pass_rate", *(f"pass_rate.{kind}" for kind in CASE_KINDS)]

    def metric_kinds(self, metric: str) -> frozenset[CaseKind]:
        return self.kinds
