"""Evidence grounding: the share of evidence quotes found verbatim in what the candidate said."""

from __future__ import annotations

from collections.abc import Iterable

from agent.domain.evaluation import Evaluation, grounded
from agent.domain.star import StarAnalysis
from agent.domain.transcript import AnalysisRecord
from agent.evals.cases import Case
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import AnalysisOutcome, CalibrationOutcome, InterviewOutcome, Outcome
from agent.evals.scoring import Metric, Scored, share

NAME = "grounding"
KINDS: frozenset[CaseKind] = frozenset({"analysis", "simulated_interview", "evaluation_calibration"})
RATE = Metric(
    scorer=NAME,
    name="rate",
    description="share of evidence quotes found verbatim in what the candidate said",
    kinds=KINDS,
    value=share("found", "total"),
)


def analysis_quotes(analyses: Iterable[StarAnalysis]) -> list[str]:
    return [quote for a in analyses for _, found in a.star.items() for quote in found.evidence]


class GroundingScorer:
    """Quotes in analyses and evaluations; quotes the evaluation already dropped count as ungrounded."""

    name = NAME
    version = 1
    kinds = KINDS
    metrics: tuple[Metric, ...] = (RATE,)

    def score(self, case: Case, outcome: Outcome) -> Scored:
        scored = Scored()
        if isinstance(outcome, AnalysisOutcome):
            quotes, turns, dropped = analysis_quotes([outcome.analysis]), [outcome.answer], 0
        elif isinstance(outcome, InterviewOutcome):
            records = [r.analysis for r in outcome.transcript.records if isinstance(r, AnalysisRecord)]
            quotes, turns = analysis_quotes(records), outcome.transcript.candidate_text
            quotes, dropped = _with_evaluation(quotes, outcome.evaluation)
        elif isinstance(outcome, CalibrationOutcome):
            quotes, turns = analysis_quotes(outcome.analyses), list(outcome.candidate_turns)
            quotes, dropped = _with_evaluation(quotes, outcome.evaluation)
        else:
            return scored
        found = sum(1 for quote in quotes if grounded(quote, turns))
        total = len(quotes) + dropped
        missing = [q for q in quotes if not grounded(q, turns)]
        scored.check(
            "grounding.evidence",
            found == total,
            f"{total} of {total} quotes verbatim",
            f"{found} of {total}" + (f"; not found: {missing[0][:80]!r}" if missing else ""),
        )
        scored.stats.add("found", found)
        scored.stats.add("total", total)
        return scored


def _with_evaluation(quotes: list[str], evaluation: Evaluation | None) -> tuple[list[str], int]:
    if evaluation is None:
        return quotes, 0
    kept = [item.quote for question in evaluation.questions for item in question.evidence]
    return [*quotes, *kept], evaluation.dropped_evidence
