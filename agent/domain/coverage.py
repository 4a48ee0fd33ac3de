"""How much of an interview a score covers, and counts of answers said in plain English."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the evaluation module uses `answers`; only the type is needed here
    from agent.domain.evaluation import Evaluation


class Coverage(NamedTuple):
    """How many of the planned questions have a score."""

    scored: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.scored == self.total

    @property
    def text(self) -> str:
        """'3 of 4 questions scored', '1 of 1 question scored'."""
        noun = "question" if self.total == 1 else "questions"
        return f"{self.scored} of {self.total} {noun} scored"

    @property
    def short(self) -> str:
        """'3/4', for a table cell."""
        return f"{self.scored}/{self.total}"


def coverage(evaluation: Evaluation) -> Coverage:
    questions = evaluation.questions
    return Coverage(sum(1 for q in questions if q.score is not None), len(questions))


def answers(count: int, total: int, noun: str = "answer") -> str:
    """'the only answer', 'both answers', 'all 3 answers', '1 of 3 answers' (count ≤ total)."""
    if total == 1:
        return f"the only {noun}"
    if count == total:
        return f"both {noun}s" if total == 2 else f"all {total} {noun}s"
    return f"{count} of {total} {noun}s"
