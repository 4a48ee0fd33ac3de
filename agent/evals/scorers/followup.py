"""Follow-up target accuracy: after a conversation prefix, did the interviewer make the required move."""

from __future__ import annotations

from agent.evals.cases import Case, NextTurnCase
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import NextTurnOutcome, Outcome
from agent.evals.scoring import Metric, Scored, share

NAME = "followup"
KINDS: frozenset[CaseKind] = frozenset({"next_turn"})
ACCURACY = Metric(
    scorer=NAME,
    name="accuracy",
    description="share of conversation prefixes after which the interviewer made the required move",
    kinds=KINDS,
    value=share("ok", "n"),
)
MOVE_ACCURACY = Metric(
    scorer=NAME,
    name="move_accuracy",
    description="share of prefixes with the right kind of move (probe, move on, close), whatever the target",
    kinds=KINDS,
    value=share("move.ok", "n"),
)
TARGET_ACCURACY = Metric(
    scorer=NAME,
    name="target_accuracy",
    description="share of prefixes needing a probe where the gap probed was an accepted one",
    kinds=KINDS,
    value=share("probe.ok", "probe.n"),
)


def describe_move(move: str, target: str | None) -> str:
    return f"probe {target}" if move == "probe" else move.replace("_", " ")


class FollowUpScorer:
    """The move (probe, move on, close) and, for probes, the gap probed."""

    name = NAME
    version = 1
    kinds = KINDS
    metrics: tuple[Metric, ...] = (ACCURACY, MOVE_ACCURACY, TARGET_ACCURACY)

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
