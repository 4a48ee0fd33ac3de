"""The final evaluation: each question scored in a fresh context, then combined mechanically.

No other question and no earlier score is in a question's prompt. `assemble` then drops
evidence not found verbatim in the candidate's turns and computes everything else in code.
A question the model cannot score is scored by the offline scorer, and says so.
"""

from __future__ import annotations

from agent.brains.assembly import evaluation_for
from agent.brains.llm.budget import exchanges
from agent.brains.llm.pipeline import Pipeline, Unanswered
from agent.brains.llm.runtime import FALLBACK_BRAIN, plain
from agent.brains.llm.schema import QuestionScoreOutput
from agent.brains.offline import analyze_answer
from agent.brains.offline.evaluator import score_question
from agent.brains.protocol import InterviewFacts
from agent.domain.coaching import coaching_for
from agent.domain.evaluation import Evaluation, EvidenceQuote, QuestionScore
from agent.domain.policy import Attempt, InterviewState, QuestionProgress, asked_followups
from agent.domain.rubric import Rubric
from agent.domain.star import STAR_SLOTS, SlotStatus, StarSlot
from agent.domain.usage import Usage
from agent.prompting import Anchor, EvaluationPrompt, Exchange


class LlmEvaluator:
    def __init__(self, calls: Pipeline) -> None:
        self.label = calls.label
        self._calls = calls

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        rubric = state.rubric
        scores: list[QuestionScore] = []
        usage: Usage | None = None
        for progress in state.questions:
            score, spent = self._score(rubric, progress)
            scores.append(score)
            if spent is not None:
                usage = spent if usage is None else usage + spent
        fell_back = sum(1 for score in scores if score.brain == FALLBACK_BRAIN)
        assessed = sum(1 for score in scores if score.status == "scored")
        brain = self.label
        if fell_back and fell_back == assessed:
            brain = FALLBACK_BRAIN
        elif fell_back:
            brain = f"{self.label}; {FALLBACK_BRAIN} for {fell_back} of {assessed} questions"
        return evaluation_for(state, facts, scores, brain=brain, usage=usage)

    def _score(self, rubric: Rubric, progress: QuestionProgress) -> tuple[QuestionScore, Usage | None]:
        if progress.latest_analysis is None or progress.status == "declined":
            # Nothing to judge: not assessed, exactly as the offline scorer says it.
            return score_question(rubric, progress, brain=self.label), None
        question = rubric.question(progress.question_id)
        dimension = rubric.dimension(question.dimension)
        items = exchanges(progress.replies, asked_followups(rubric, progress))

        def context(current: list[Exchange], truncated: bool) -> EvaluationPrompt:
            return EvaluationPrompt(
                question=question.text,
                dimension_name=dimension.name,
                dimension_description=dimension.description,
                anchors=[
                    Anchor(level=level, name=rubric.levels[level], text=text)
                    for level, text in sorted(dimension.anchors.items())
                ],
                areas=[area.description for area in question.areas],
                exchanges=current,
                truncated=truncated,
            )

        outcome = self._calls.ask("evaluation", context, items, QuestionScoreOutput, question_id=question.id)
        if isinstance(outcome, Unanswered):
            return self._fallback(rubric, progress, outcome.reason), outcome.usage
        result = outcome.result
        out = result.value
        coverage: dict[StarSlot, SlotStatus] = {slot: out.coverage.status(slot) for slot in STAR_SLOTS}
        level = rubric.levels.get(out.score)
        rationale = out.rationale
        if outcome.cut_tokens:
            rationale += (
                f" (The answer was shortened by {outcome.cut_tokens} tokens to fit the prompt budget.)"
            )
        return (
            QuestionScore(
                question_id=question.id,
                dimension=question.dimension,
                question=question.text,
                coverage=coverage,
                not_evidenced=list(progress.not_evidenced),
                rationale=rationale[:2000],
                score=out.score,
                level=level,
                evidence=[EvidenceQuote(claim=item.claim, quote=item.quote) for item in out.evidence][:8],
                ownership=out.ownership,
                specific_example=out.specific_example,
                quantified_result=out.quantified_result,
                red_flags=list(dict.fromkeys(out.red_flags)),
                coaching=coaching_for(
                    coverage,
                    specific_example=out.specific_example,
                    ownership=out.ownership,
                    red_flags=out.red_flags,
                ),
                brain=self.label,
            ),
            result.usage,
        )

    def _fallback(self, rubric: Rubric, progress: QuestionProgress, reason: str) -> QuestionScore:
        """The offline scorer's judgement of the replies themselves, labelled with why."""
        question = rubric.question(progress.question_id)
        offline = analyze_answer(question.text, progress.replies, rubric.topic_for(question.id))
        story = Attempt(reply="\n\n".join(progress.replies), prompt_kind="question", analysis=offline)
        scored = score_question(
            rubric, progress.model_copy(update={"attempts": (story,)}), brain=FALLBACK_BRAIN
        )
        note = plain(f"Scored by the offline brain because the model was not used: {reason}.", 300)
        return scored.model_copy(update={"rationale": f"{note} {scored.rationale}"[:2000]})
