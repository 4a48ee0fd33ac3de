"""Pure helpers behind the screens: labels, shortening, attempts grouping, why-next reasons."""

from __future__ import annotations

from agent.domain.followup_choice import FollowUpChoice, choose_followup
from agent.domain.star import Gap, StarAnalysis, ranked_gaps
from agent.rubrics import load_rubric
from agent.session import InterviewSession
from agent.storage import TranscriptStore
from agent.ui.attempts import question_attempts
from agent.ui.labels import bar, elapsed_text, progress_text, score_text
from agent.ui.literal import shorten
from agent.ui.session_view import choice_after, last_analysis
from agent.ui.widgets.star_panel import why_next

from .helpers import STRONG, STRONG_ANALYSIS, WEAK, WEAK_ANALYSIS, fixed_clock, scripted_brain


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
    def after(analysis: StarAnalysis, ruled_out: tuple[str, ...] = (), asked: int = 0) -> str:
        choice = choose_followup(analysis, ruled_out=ruled_out, followups_asked=asked, max_followups=2)
        return why_next(choice).plain

    probe = FollowUpChoice(
        why="open_gap", gap=Gap(target="result", reason="the answer does not say how it ended")
    )
    assert "→ result: the answer does not say how it ended" in why_next(probe).plain
    assert "Why this follow-up?" in after(WEAK_ANALYSIS)
    assert "covers what this question needs" in after(STRONG_ANALYSIS)
    gaps = [g.target for g in ranked_gaps(WEAK_ANALYSIS)]
    asked_once = after(WEAK_ANALYSIS, ruled_out=tuple(gaps), asked=1)
    assert f"Already asked about: {gaps[0]}." in asked_once and "covers" not in asked_once
    used = after(WEAK_ANALYSIS, ruled_out=("specificity", "action"), asked=2)
    assert "used up" in used and "still open: ownership" in used
    assert "could not recall" in after(WEAK_ANALYSIS.model_copy(update={"declined": True}))
    unread = WEAK_ANALYSIS.model_copy(update={"not_assessed": True, "score": None})
    assert "could not be read" in after(unread)
    assert why_next(None).plain == "Why move on?\nMoving on."


def test_the_panel_reads_the_policys_choice_for_each_analysis(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    session, _ = InterviewSession.start(
        rubric=load_rubric("customer-focus"),
        brain=scripted_brain(),
        store=TranscriptStore(tmp_path),
        clock=fixed_clock,
    )
    session.submit(WEAK)
    first = last_analysis(session)
    session.submit(STRONG)
    second = last_analysis(session)
    assert first is not None and second is not None and first is not second
    probed = choice_after(session, first)
    assert probed is not None and probed.probe is not None
    (asked,) = [t for t in session.turns if t.ask == "followup"]
    assert (probed.probe.target, probed.probe.reason) == (asked.target, asked.reason), "as it was asked"
    covered = choice_after(session, second)
    assert covered is not None and covered.why == "covered"
