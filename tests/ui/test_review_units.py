"""Pure pieces behind the reviewer's and candidate's screens: evidence spans, sorting, comparing, access."""

from __future__ import annotations

import getpass
from datetime import timedelta

import pytest

from agent.invitations import InvitationStore
from agent.reviews import ReviewStore
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.candidate_access import check_interview
from agent.ui.comparison import NOT_ASKED, Line, comparison_lines, comparison_problem
from agent.ui.evidence import HIGHLIGHT, Quote, find_spans, highlighted, turn_spans
from agent.ui.review_rows import ReviewRow, load_rows, sort_rows
from agent.ui.review_table import compact, half
from agent.ui.services import os_user
from agent.web_process import hand_over

from .helpers import FIXED_NOW
from .interviews import MIDDLING_SPEC, PRACTICE_SPEC, STRONG_SPEC, TEAM_SPEC, WEAK_SPEC, write_interviews


def test_quotes_are_found_across_any_white_space_and_merged_when_they_overlap() -> None:
    text = "I called the\ncustomer  every morning. They renewed."
    spans = find_spans(
        text,
        [
            Quote("q", "action", "called the customer every morning."),
            Quote("q", "result", "every morning. They renewed"),
            Quote("q", "task", "   "),
            Quote("q", "situation", "not in the text"),
        ],
    )
    assert [(text[s.start : s.end], s.claims) for s in spans] == [
        ("called the\ncustomer  every morning. They renewed", ("action", "result"))
    ]


def test_highlighting_keeps_the_candidates_text_literal() -> None:
    text = "[b]not bold[/b] then \x1b[31m and \u202eflip"
    spans = find_spans(text, [Quote("q", "action", "then \x1b[31m")])
    content = highlighted(text, spans)
    assert content.plain.startswith("[b]not bold[/b] then ␛[31m ‹action› and <U+202E>flip")
    styled = [content.plain[s.start : s.end] for s in content.spans if s.style == HIGHLIGHT]
    assert styled == ["then ␛[31m"]
    assert highlighted(text, spans, tags=False).plain == "[b]not bold[/b] then ␛[31m and <U+202E>flip"


def test_every_kept_quote_is_placed_in_a_candidate_turn(settings: Settings) -> None:
    (interview_id,) = write_interviews(settings, MIDDLING_SPEC)
    transcript = TranscriptStore(settings.transcripts_dir).load(interview_id)
    spans = turn_spans(transcript)
    assert set(spans) == {t.seq for t in transcript.turns if t.role == "candidate"}
    evaluation = transcript.evaluation
    assert evaluation is not None
    claims = {claim for turn in spans.values() for span in turn for claim in span.claims}
    assert claims == {item.claim for q in evaluation.questions for item in q.evidence}


def test_rows_sort_with_missing_values_last(settings: Settings) -> None:
    write_interviews(settings, STRONG_SPEC, WEAK_SPEC, PRACTICE_SPEC)
    reviews_folder = settings.home / "reviews"
    reviews_folder.mkdir(parents=True)
    (reviews_folder / f"{WEAK_SPEC.interview_id}.json").write_text("{damaged", encoding="utf-8")
    loaded = load_rows(TranscriptStore(settings.transcripts_dir), _reviews(settings))
    rows = loaded.rows
    assert [r.interview_id for r in rows] == [
        PRACTICE_SPEC.interview_id,
        WEAK_SPEC.interview_id,
        STRONG_SPEC.interview_id,
    ]
    weak = next(r for r in rows if r.interview_id == WEAK_SPEC.interview_id)
    assert weak.decision is None and weak.decision_problem and "damaged" in weak.decision_problem
    by_name = sort_rows(rows, "candidate", descending=True)
    assert [r.candidate for r in by_name] == ["Ben Okafor", "Ana Lima", None]
    by_overall = sort_rows(rows, "overall", descending=False)
    assert by_overall[0].interview_id == WEAK_SPEC.interview_id
    by_invitation = sort_rows(rows, "invitation", descending=False)
    assert by_invitation[0].interview_id == STRONG_SPEC.interview_id


def test_unreadable_transcripts_are_named_not_fatal(settings: Settings) -> None:
    write_interviews(settings, STRONG_SPEC)
    (settings.transcripts_dir / "broken.jsonl").write_text("not json\nnor this\n", encoding="utf-8")
    loaded = load_rows(TranscriptStore(settings.transcripts_dir), _reviews(settings))
    assert [r.interview_id for r in loaded.rows] == [STRONG_SPEC.interview_id]
    assert loaded.skipped == ["broken.jsonl"]


def test_compact_dimension_scores() -> None:
    assert [half(s) for s in (4.0, 4.5, 3.67, 3.74, 3.76, 1.24)] == ["4 ", "4½", "3½", "3½", "4 ", "1 "]
    assert compact([]).plain == "—"


def test_comparison_lines_and_problems(settings: Settings) -> None:
    write_interviews(settings, STRONG_SPEC, WEAK_SPEC, TEAM_SPEC)
    rows = {
        r.interview_id: r
        for r in load_rows(TranscriptStore(settings.transcripts_dir), _reviews(settings)).rows
    }
    ana, ben, tess = (
        rows[STRONG_SPEC.interview_id],
        rows[WEAK_SPEC.interview_id],
        rows[TEAM_SPEC.interview_id],
    )
    assert comparison_problem([ana]) is not None
    problem = comparison_problem([ana, tess])
    assert problem is not None and "customer-focus, team-fit" in problem
    assert comparison_problem([ana, ben]) is None

    lines = comparison_lines([ana, ben])
    labels = [line.label for line in lines]
    assert labels[0] == "Dimensions (1-5)" and "Overall" in labels and "Questions (1-5)" in labels
    overall = next(line for line in lines if line.label == "Overall")
    assert overall.best() == 4.0
    machine = next(line for line in lines if line.label == "Machine recommendation")
    assert machine.cells == ("advance", "do not advance")
    decision = next(line for line in lines if line.label == "Reviewer's decision")
    assert decision.cells == ("none yet", "none yet")
    questions = [line for line in lines if line.detail]
    assert questions and all(len(line.cells) == 2 for line in questions)
    assert Line("x", "score", (3.0, 3.0)).best() is None, "no best when everyone is equal"
    assert Line("x", "score", (NOT_ASKED, 2.0, None)).best() is None


def test_unfinished_interviews_cannot_be_compared(settings: Settings) -> None:
    write_interviews(settings, STRONG_SPEC, WEAK_SPEC)
    rows = load_rows(TranscriptStore(settings.transcripts_dir), _reviews(settings)).rows
    transcript = rows[0].transcript
    unfinished = ReviewRow(transcript.model_copy(update={"records": transcript.records[:3]}))
    assert unfinished.status == "unfinished"
    problem = comparison_problem([unfinished, rows[1]])
    assert problem is not None and "not evaluated" in problem


def test_candidate_access(settings: Settings) -> None:
    store = InvitationStore(settings.invitations_dir)
    created = FIXED_NOW - timedelta(hours=1)
    rejoin = timedelta(minutes=30)
    invitation, _ = store.create(rubric_id="customer-focus", candidate="A", question_count=2, now=created)
    interview = store.interview(invitation)
    assert check_interview(interview, FIXED_NOW).refusal == "unknown", "nothing handed over yet"
    hand_over(interview, invitation, settings.home)
    pending = check_interview(interview, FIXED_NOW)
    assert pending.invitation == invitation.details() and pending.resume_id is None, "consent comes first"
    assert store.claim(invitation, FIXED_NOW)
    assert check_interview(interview, FIXED_NOW).invitation == invitation.details()
    store.record_interview(invitation, "x")
    back = check_interview(interview, FIXED_NOW + timedelta(minutes=20))
    assert back.invitation == invitation.details() and back.resume_id == "x", "back: carry on"
    later = FIXED_NOW + timedelta(minutes=31)
    assert store.state(invitation, later, rejoin) == "lapsed", "the server starts no app for it"
    store.mark_seen(invitation, later)
    assert store.state(invitation, later, rejoin) == "in_progress", "counted from last seen"
    store.finish(invitation, later)
    assert check_interview(interview, later).refusal == "finished"
    assert store.state(invitation, later, rejoin) == "finished"


def test_the_reviewer_name_falls_back_when_the_os_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert os_user() == "reviewer"
    monkeypatch.setattr(getpass, "getuser", lambda: "  ")
    assert os_user() == "reviewer"
    monkeypatch.setattr(getpass, "getuser", lambda: "sam")
    assert os_user() == "sam"


def _reviews(settings: Settings) -> ReviewStore:
    return ReviewStore(settings.home / "reviews")
