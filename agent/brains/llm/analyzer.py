"""One model call per candidate turn: the STAR analysis of the story so far, with offline fallback."""

from __future__ import annotations

from collections.abc import Sequence

from agent.brains.llm.budget import exchanges
from agent.brains.llm.pipeline import Pipeline, Unanswered
from agent.brains.llm.runtime import FALLBACK_BRAIN, plain
from agent.brains.llm.schema import AnalysisOutput
from agent.brains.offline import analyze_answer
from agent.brains.offline.injection import without_injections
from agent.domain.evaluation import grounded
from agent.domain.rubric import Topic
from agent.domain.scoring import AnswerLabels, structural_score
from agent.domain.star import (
    RED_FLAGS,
    STAR_SLOTS,
    FollowUpWording,
    SlotFinding,
    StarAnalysis,
    StarFindings,
    StarSlot,
)
from agent.llm.structured import Structured
from agent.prompting import AnalysisPrompt, Exchange

# Flags found mechanically, which the model may miss: kept from the offline reading.
_MECHANICAL_FLAGS = ("too_short", "prompt_injection")


class LlmAnalyzer:
    def __init__(self, calls: Pipeline) -> None:
        self.label = calls.label
        self._calls = calls

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        offline = analyze_answer(question, replies, topic)  # instant: the safety net and the fallback
        # Text that instructs the grader never reaches the model; the offline reader's flag stays.
        items = exchanges([without_injections(reply) for reply in replies], probes)
        personalise = self._calls.config.personalise_followups

        def context(current: list[Exchange], truncated: bool) -> AnalysisPrompt:
            return AnalysisPrompt(
                question=question, exchanges=current, personalise=personalise, truncated=truncated
            )

        outcome = self._calls.ask("analysis", context, items, AnalysisOutput, drafts=True)
        if isinstance(outcome, Unanswered):
            return self._fallback(offline, outcome)
        return self._analysis(outcome.result, replies, offline, outcome.cut_tokens)

    def _analysis(
        self, result: Structured[AnalysisOutput], replies: Sequence[str], offline: StarAnalysis, cut: int
    ) -> StarAnalysis:
        out = result.value
        dropped = 0

        def finding(slot: StarSlot) -> SlotFinding:
            nonlocal dropped
            found = out.star.finding(slot)
            kept = [quote for quote in found.evidence if grounded(quote, list(replies))]
            dropped += len(found.evidence) - len(kept)
            return SlotFinding(status=found.status, evidence=kept)

        star = StarFindings(
            situation=finding("situation"),
            task=finding("task"),
            action=finding("action"),
            result=finding("result"),
        )
        flags = set(out.red_flags) | {flag for flag in offline.red_flags if flag in _MECHANICAL_FLAGS}
        notes = list(result.notes)
        if cut:
            notes.append(
                f"The answer was shortened by {cut} tokens to fit the prompt budget; the cut was marked."
            )
        if dropped:
            notes.append(f"{dropped} evidence quote(s) not found word for word in the answer were dropped.")
        wording = (
            [FollowUpWording(target=item.target, question=item.question) for item in out.followups]
            if self._calls.config.personalise_followups
            else []
        )
        return StarAnalysis(
            star=star,
            ownership=out.ownership,
            specific_example=out.specific_example,
            quantified_result=out.quantified_result,
            reflection=out.reflection,
            red_flags=[flag for flag in RED_FLAGS if flag in flags],
            declined=out.declined,
            score=structural_score(
                AnswerLabels(
                    star={slot: star.status(slot) for slot in STAR_SLOTS},
                    ownership=out.ownership,
                    specific_example=out.specific_example,
                    quantified_result=out.quantified_result,
                    reflection=out.reflection,
                    red_flags=tuple(flag for flag in RED_FLAGS if flag in flags),
                    declined=out.declined,
                )
            )[0],
            rationale=out.rationale,
            word_count=offline.word_count,
            brain=self.label,
            notes=[plain(note, 300) for note in notes][:5],
            followup_wording=wording[:3],
            usage=result.usage,
        )

    def _fallback(self, offline: StarAnalysis, outcome: Unanswered) -> StarAnalysis:
        note = plain(
            f"The model ({self.label}) was not used for this answer: {outcome.reason}. "
            "The offline brain analysed it instead.",
            300,
        )
        return offline.model_copy(
            update={"brain": FALLBACK_BRAIN, "notes": [note, *offline.notes][:5], "usage": outcome.usage}
        )
