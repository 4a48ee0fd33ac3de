"""Simulated interviews: a scripted persona answers the real session, end to end, on a temporary store."""

from __future__ import annotations

from agent.domain.policy import InterviewConfig
from agent.domain.transcript import Turn
from agent.evals.cases import SimulatedCase
from agent.evals.context import CaseContext
from agent.evals.errors import HarnessError
from agent.evals.outcomes import InterviewOutcome
from agent.evals.personas import ScriptedCandidate
from agent.scripted import END, SKIP
from agent.session import InterviewSession
from agent.storage import TranscriptStore

# Far more replies than any interview allows (12 questions, 4 follow-ups each); reaching it means
# the loop is stuck, which is a harness fault.
MAX_REPLIES = 12 * 5 + 5


def run_simulated(case: SimulatedCase, context: CaseContext) -> InterviewOutcome:
    candidate = ScriptedCandidate(context.personas[case.persona])
    config = InterviewConfig(question_count=case.questions, max_followups=case.max_followups, seed=case.seed)
    store = TranscriptStore(context.workdir)
    session, update = InterviewSession.start(
        rubric=context.rubric,
        brain=context.brain,
        store=store,
        mode=case.mode,
        config=config,
        plan=case.plan,
        candidate=candidate.persona.name,
        interview_id=case.id,
    )
    try:
        for _ in range(MAX_REPLIES):
            if session.state.finished:
                break
            prompt = _last_prompt(update.turns, case.id)
            reply = candidate.reply(prompt)
            if reply.strip().lower() == SKIP:
                update = session.skip()
            elif reply.strip().lower() == END:
                update = session.end()
            else:
                update = session.submit(reply)
        else:
            raise HarnessError(f"{case.id}: the interview did not finish after {MAX_REPLIES} replies")
    finally:
        session.close()
    return InterviewOutcome(transcript=session.transcript, max_followups=case.max_followups)


def _last_prompt(turns: list[Turn], case_id: str) -> Turn:
    for turn in reversed(turns):
        if turn.role == "interviewer" and turn.ask in ("question", "followup"):
            return turn
    raise HarnessError(f"{case_id}: the interviewer is waiting for an answer but asked nothing")
