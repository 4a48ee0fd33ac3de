"""Persona expectations: what must happen in a whole interview with a candidate of known behaviour."""

from __future__ import annotations

from agent.domain.evaluation import QuestionScore
from agent.domain.transcript import Turn
from agent.evals.cases import Case, InterviewExpect, SimulatedCase
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import InterviewOutcome, Outcome
from agent.evals.scoring import Metric, Scored, share

NAME = "persona"
KINDS: frozenset[CaseKind] = frozenset({"simulated_interview"})
CHECKS = Metric(
    scorer=NAME,
    name="checks",
    description="share of persona expectations met, over every simulated interview",
    kinds=KINDS,
    value=share("checks.ok", "checks.n"),
)
INTERVIEWS = Metric(
    scorer=NAME,
    name="interviews",
    description="share of simulated interviews that met every expectation of their persona",
    kinds=KINDS,
    value=share("interviews.ok", "interviews.n"),
)


class PersonaScorer:
    """Every expectation a persona (or its suite entry) declares, each a check of its own."""

    name = NAME
    version = 1
    kinds = KINDS
    metrics: tuple[Metric, ...] = (CHECKS, INTERVIEWS)

    def score(self, case: Case, outcome: Outcome) -> Scored:
        scored = Scored()
        if not isinstance(case, SimulatedCase) or not isinstance(outcome, InterviewOutcome):
            return scored
        _check(scored, case.expect, outcome)
        passed = sum(1 for check in scored.checks if check.passed)
        scored.stats.add("checks.n", len(scored.checks))
        scored.stats.add("checks.ok", passed)
        scored.stats.add("interviews.n")
        scored.stats.add("interviews.ok", passed == len(scored.checks))
        return scored


def _check(scored: Scored, expect: InterviewExpect, outcome: InterviewOutcome) -> None:
    transcript = outcome.transcript
    followups = [t for t in transcript.turns if t.role == "interviewer" and t.ask == "followup"]
    probed = [t.target for t in followups]
    evaluation = outcome.evaluation
    scored_questions: list[QuestionScore] = [
        q for q in (evaluation.questions if evaluation else []) if q.score is not None
    ]
    scores = [q.score for q in scored_questions if q.score is not None]
    if expect.finished is not None:
        scored.check(
            "expect.finished", transcript.finished == expect.finished, expect.finished, transcript.finished
        )
    for target in expect.probes_include:
        scored.check(f"expect.probes.{target}", target in probed, f"probes {target}", probed)
    for target in expect.probes_exclude:
        scored.check(f"expect.never_probes.{target}", target not in probed, f"never probes {target}", probed)
    if expect.first_probe:
        firsts = _first_probes(followups)
        ok = bool(firsts) and all(t in expect.first_probe for t in firsts)
        scored.check("expect.first_probe", ok, expect.first_probe, firsts)
    if expect.min_followups is not None:
        scored.check(
            "expect.min_followups",
            len(followups) >= expect.min_followups,
            f">= {expect.min_followups}",
            len(followups),
        )
    if expect.max_followups is not None:
        scored.check(
            "expect.max_followups",
            len(followups) <= expect.max_followups,
            f"<= {expect.max_followups}",
            len(followups),
        )
    flags = set(evaluation.red_flags) if evaluation else set()
    for flag in expect.flags_include:
        scored.check(f"expect.flag.{flag}", flag in flags, f"flags {flag}", sorted(flags))
    for flag in expect.flags_exclude:
        scored.check(f"expect.no_flag.{flag}", flag not in flags, f"never flags {flag}", sorted(flags))
    if expect.score_min is not None:
        ok = bool(scores) and min(scores) >= expect.score_min
        scored.check("expect.score_min", ok, f"every score >= {expect.score_min}", scores)
    if expect.score_max is not None:
        scored.check(
            "expect.score_max",
            all(s <= expect.score_max for s in scores),
            f"every score <= {expect.score_max}",
            scores,
        )
    if expect.assessed_min is not None:
        scored.check(
            "expect.assessed_min",
            len(scores) >= expect.assessed_min,
            f">= {expect.assessed_min} scored",
            len(scores),
        )
    if expect.assessed_max is not None:
        scored.check(
            "expect.assessed_max",
            len(scores) <= expect.assessed_max,
            f"<= {expect.assessed_max} scored",
            len(scores),
        )
    if expect.recommendation:
        got = evaluation.recommendation if evaluation else None
        scored.check("expect.recommendation", got in expect.recommendation, expect.recommendation, got)
    if expect.ownership is not None:
        owned = [q.ownership for q in scored_questions]
        ok = bool(owned) and all(o == expect.ownership for o in owned)
        scored.check("expect.ownership", ok, expect.ownership, owned)
    for slot, allowed in expect.coverage.items():
        statuses = [q.coverage.get(slot, "missing") for q in scored_questions]
        ok = bool(statuses) and all(s in allowed for s in statuses)
        scored.check(f"expect.coverage.{slot}", ok, allowed, statuses)


def _first_probes(followups: list[Turn]) -> list[str | None]:
    firsts: dict[str | None, str | None] = {}
    for turn in followups:
        firsts.setdefault(turn.question_id, turn.target)
    return list(firsts.values())
