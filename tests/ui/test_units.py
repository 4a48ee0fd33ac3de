"""Pure helpers behind the screens: labels, shortening, attempts grouping, why-next reasons."""

from __future__ import annotations

from agent.domain.policy import QuestionProgress
from agent.domain.transcript import Turn
from agent.rubrics import load_rubric
from agent.session import InterviewSession
from agent.storage import TranscriptStore
from agent.ui.attempts import question_attempts
from agent.ui.labels import bar, elapsed_text, progress_text, score_text
from agent.ui.literal import shorten
from agent.ui.widgets.star_panel import why_next

from .helpers import FIXED_NOW, STRONG, STRONG_ANALYSIS, WEAK, WEAK_ANALYSIS, fixed_clock, scripted_brain


def test_progress_text() -> None:
    assert progress_text(question=2, total=4, followup=1, max_followups=2, finished=False) == (
        "Question 2 of 4 · follow-up 1 of 2"
    )
    assert progress_text(question=2, total=4, followup=None, max_followups=2, finished=False) == (
        "Question 2 of 4"
    )
    assert progress_text(question=None, total=4, followup=None, max_followups=2, finished=True) == (
        "Interview complete"
    )


def test_numbers_read_without_colour() -> None:
    assert elapsed_text(65.9) == "1:05"
    assert elapsed_text(-3) == "0:00"
    assert score_text(None) == "not assessed"
    assert bar(None).plain == "· not assessed"
    assert bar(2.5, width=10).plain == "█████░░░░░ 2.5/5"


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("short", 10) == ("short", 0)
    head, hidden = shorten("one two three four five", 12)
    assert head == "one two"
    assert hidden == 3


def test_question_attempts_pair_replies_with_analyses(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    session, _ = InterviewSession.start(
        rubric=load_rubric("customer-focus"),
        brain=scripted_brain(),
        store=TranscriptStore(tmp_path),
        clock=fixed_clock,
    )
    session.submit(WEAK)
    session.submit(STRONG)
    groups = question_attempts(session.transcript)
    assert len(groups) == 1
    first = groups[0]
    assert first.number == 1
    assert [a.reply.text for a in first.attempts] == [WEAK, STRONG]
    assert first.attempts[0].prompt is not None and first.attempts[0].prompt.ask == "question"
    assert first.attempts[1].prompt is not None and first.attempts[1].prompt.ask == "followup"
    assert all(a.analysis is not None for a in first.attempts)


def test_why_next_names_the_probe_or_the_reason_to_move_on() -> None:
    analysis = STRONG_ANALYSIS
    followup = Turn(
        seq=3,
        at=FIXED_NOW,
        role="interviewer",
        text="?",
        ask="followup",
        target="result",
        reason="the answer does not say how it ended",
    )
    assert "→ result: the answer does not say how it ended" in why_next(analysis, followup, None, 2).plain
    done = QuestionProgress(question_id="q", status="done")
    assert "covers what this question needs" in why_next(analysis, None, done, 2).plain
    weak = WEAK_ANALYSIS
    used = QuestionProgress(question_id="q", status="done", probed=("specificity", "action"))
    assert "used up" in why_next(weak, None, used, 2).plain
