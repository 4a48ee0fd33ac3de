"""Plain text for a terminal: the practice summary, and what an assessed candidate is told at the end.

No Markdown: a person reads this in their terminal, not a renderer. Candidate words are made
visible (control characters never reach the terminal).
"""

from __future__ import annotations

import textwrap

from agent.domain.coaching import coaching_summary
from agent.domain.evaluation import Evaluation
from agent.visible import visible_controls

# What an assessed candidate is told at the end, in the terminal and in the app alike.
THANKS_TITLE = "Thank you. The interview is complete."
THANKS_BODY = (
    "Your answers are saved. A person on the hiring team will review them; "
    "there is nothing else you need to do."
)


def practice_summary_text(evaluation: Evaluation, width: int = 80) -> str:
    """The coaching summary of a practice interview, wrapped to `width` columns."""
    coached = coaching_summary(evaluation)
    out = ["Practice summary", "", *_wrap(coached.score_line, width)]
    for title, items in coached.sections:
        if items:
            out += ["", f"{title}:"]
            for item in items:
                out += _wrap(item, width, first="  - ", rest="    ")
    out += ["", "Per question:"]
    for number, question in enumerate(evaluation.questions, start=1):
        score = f"{question.score}/5 ({question.level})" if question.score is not None else "not scored"
        out += _wrap(f"{number}. {question.question} — {score}", width, first="  ", rest="     ")
        for note in question.notes:
            out += _wrap(f"Note: {note}", width, first="     ", rest="     ")
        for tip in question.coaching[:2]:
            out += _wrap(f"Next time: {tip}", width, first="     ", rest="       ")
    return "\n".join(out) + "\n"


def thanks_text(interview_id: str, width: int = 80) -> str:
    """What a candidate sees at the end of an assessment: no score, no report."""
    return (
        "\n".join([*_wrap(f"{THANKS_TITLE} {THANKS_BODY}", width), "", f"Reference: {interview_id}"]) + "\n"
    )


def _wrap(text: str, width: int, *, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        visible_controls(text), width=max(20, width), initial_indent=first, subsequent_indent=rest
    ) or [first.rstrip()]
