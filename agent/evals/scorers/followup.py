"""Follow-up target accuracy: after a conversation prefix, did the interviewer make the required move."""

from __future__ import annotations

from agent.evals.cases import Case, NextTurnCase
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import NextTurnOutcome, Outcome
from agent.evals.scoring import Scored, View
from agent.evals.stats import ratio


def describe_move(move: str, target: str | None) -> str:
    return f"probe {target}" if move == "probe" else move.replace("_", " ")


class FollowUpScorer:
    """The move (probe, move on, close) and, for probes, the gap probed."""

    name = "followup"
    version = 1
    kinds: frozenset[CaseKind] = frozenset({"next_turn"})

    def score(self, case: Case, outcome: Outcome) -> Scored:
        scored = Scored()
        if not isinstance(case, NextTurnCase) or not isinstance(outcome, NextTurnOutcome):
            return scored
        expect = case.expect
        accepted = {expect.target, *expect.also_accept} if expect.action == "probe" else {None}
        same_move = outcome.move == expect.action
        right = same_move and outcome.target in accepted
        wanted = describe_move(expect.action, expect.target)
        if expect.also_accept:
            wanted += f" (or {', '.join(expect.also_accept)})"
        scored.check("next_move", right, wanted, describe_move(outcome.move, outcome.target))
        stats = scored.stats
        stats.add("n")
        stats.add("ok", right)
        stats.add("move.ok", same_move)
        if expect.action == "probe":
            stats.add("probe.n")
            stats.add("probe.ok", right)
        return scored

    def metrics(self, view: View) -> dict[str, float | None]:
        return {
            "accuracy": ratio(view.sum("ok"), view.sum("n")),
            "move_accuracy": ratio(view.sum("move.ok"), view.sum("n")),
            "target_accuracy": ratio(view.sum("probe.ok"), view.sum("probe.n")),
        }

    def metric_names(self) -> list[str]:
        return ["accuracy", "move_accuracy", "target_accuracy"]

    def metric_kinds(self, metric: str) -> frozenset[CaseKind]:
        return self.kinds
