"""Analysis cases: one answer (and its perturbed copies, and any later replies) through the brain's analyser."""

from __future__ import annotations

from agent.evals.cases import AnalysisCase
from agent.evals.context import CaseContext
from agent.evals.outcomes import AnalysisOutcome
from agent.evals.perturb import perturb


def run_analysis(case: AnalysisCase, context: CaseContext) -> AnalysisOutcome:
    brain = context.brain
    topic = context.topic_for_competency(case.competency)
    analysis = brain.analyze(case.question, [case.answer, *case.replies], topic=topic)
    variants = {
        kind: brain.analyze(case.question, [perturb(case.answer, kind), *case.replies], topic=topic)
        for kind in case.invariance
    }
    return AnalysisOutcome(answer=case.answer, analysis=analysis, variants=variants)
