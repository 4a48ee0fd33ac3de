"""Case pass rates: the share of cases whose every check passed, overall and per case kind."""

from __future__ import annotations

from agent.evals.cases import Case
from agent.evals.defaults import CASE_KINDS, CaseKind
from agent.evals.outcomes import Outcome
from agent.evals.scoring import Metric, Scored, Stats, share

NAME = "cases"
KINDS: frozenset[CaseKind] = frozenset(CASE_KINDS)
PASS_RATE = Metric(
    scorer=NAME,
    name="pass_rate",
    description="share of cases whose every check passed (harness errors left out)",
    kinds=KINDS,
    value=share("pass", "n"),
)


def _kind_pass_rate(kind: CaseKind) -> Metric:
    return Metric(
        scorer=NAME,
        name=f"pass_rate.{kind}",
        description=f"share of {kind} cases whose every check passed",
        kinds=KINDS,
        value=share(f"pass.{kind}", f"n.{kind}"),
    )


KIND_PASS_RATE: dict[CaseKind, Metric] = {kind: _kind_pass_rate(kind) for kind in CASE_KINDS}


class CaseOutcomeScorer:
    """Reads the case status the runner decided; harness errors are left out, never counted as fails."""

    name = NAME
    version = 1
    kinds = KINDS
    metrics: tuple[Metric, ...] = (PASS_RATE, *KIND_PASS_RATE.values())

    def score(self, case: Case, outcome: Outcome) -> Scored:
        return Scored()

    @staticmethod
    def stats_for(kind: CaseKind, passed: bool) -> Stats:
        stats = Stats()
        for suffix in ("", f".{kind}"):
            stats.add(f"n{suffix}")
            stats.add(f"pass{suffix}", passed)
        return stats
