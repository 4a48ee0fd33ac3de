"""History: list past interviews, open one with its report, resume an unfinished one."""

from __future__ import annotations

from itertools import count

from textual.widgets import DataTable

from agent.storage import TranscriptStore
from agent.ui.messages import HistoryLoaded, InterviewStarted
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.history import HistoryScreen
from agent.ui.screens.report import ReportScreen
from agent.ui.screens.review import ReviewScreen
from agent.ui.widgets.candidate_message import CandidateMessage
from agent.ui.widgets.star_panel import StarPanel

from .conftest import AppFactory
from .helpers import (
    FIXED_NOW,
    INTERVIEW_ID,
    STRONG,
    WEAK,
    Recorder,
    answer,
    current,
    flat,
    notices,
    screen_text,
    settle,
    start,
)


async def _finished_practice(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        for reply in (WEAK, STRONG, STRONG):
            await answer(pilot, reply)


async def _unfinished(make_app: AppFactory, **options: object) -> None:
    app = make_app(**options)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await answer(pilot, WEAK)  # a follow-up is now waiting
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()


async def test_history_lists_and_opens_an_interview(make_app: AppFactory) -> None:
    await _finished_practice(make_app)
    recorder = Recorder()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert len(recorder.of(HistoryLoaded)) == 1
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        text = screen_text(app)
        local = f"{FIXED_NOW.astimezone():%Y-%m-%d %H:%M}"
        for cell in (local, "customer-focus", "practice", "✓ finished", "/5"):
            assert cell in text

        await pilot.press("enter")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert report.transcript.interview_id == INTERVIEW_ID
        text = flat(screen_text(app))
        assert "Practice summary" in text and "Recommendation" not in text
        await pilot.press("2")
        await pilot.pause()
        assert WEAK in flat(screen_text(app))
        await pilot.press("3")
        await pilot.pause()
        assert "#2 " in screen_text(app), "the two attempts at question 1 side by side"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_assessment_scores_are_for_the_reviewer(make_app: AppFactory) -> None:
    app = make_app(mode="assessment", question_count=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await answer(pilot, STRONG)
    candidate_view = make_app()
    async with candidate_view.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert "for reviewer" in screen_text(candidate_view)
        await pilot.press("enter")
        await settle(pilot)
        text = flat(screen_text(candidate_view))
        assert "Recommendation" not in text
        assert "its report is for the reviewer" in text or STRONG[:40] in text
    reviewer_view = make_app(review=True)
    async with reviewer_view.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(reviewer_view.screen, ReviewScreen)
        assert "for reviewer" not in screen_text(reviewer_view)
        await pilot.press("enter")
        await settle(pilot)
        assert "Recommendation:" in flat(screen_text(reviewer_view))


async def test_resume_an_unfinished_interview_from_history(
    make_app: AppFactory, store: TranscriptStore
) -> None:
    await _unfinished(make_app)
    assert not store.load(INTERVIEW_ID).finished
    recorder = Recorder()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert "… unfinished" in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        started = recorder.of(InterviewStarted)
        assert len(started) == 1 and started[0].resumed
        assert [b.text for b in chat.query(CandidateMessage)] == [WEAK]
        assert "Situation ✗ missing" in screen_text(app), "the STAR panel shows the last analysis"
        assert chat.query_one(StarPanel).display
        assert "follow-up 1 of 2" in screen_text(app)

        await answer(pilot, STRONG)
        await answer(pilot, STRONG)
        assert chat.finished
    transcript = store.load(INTERVIEW_ID)
    assert transcript.finished and transcript.evaluation is not None
    assert [t.text for t in transcript.turns if t.role == "candidate"] == [WEAK, STRONG, STRONG]


async def test_resume_by_id_opens_the_interview(make_app: AppFactory) -> None:
    await _unfinished(make_app)
    app = make_app(resume_id=INTERVIEW_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        assert chat.session.interview_id == INTERVIEW_ID
        await pilot.press("escape")  # escape does not leave a running interview
        assert current(app) is chat


async def test_history_is_newest_first(make_app: AppFactory) -> None:
    ids = count(1)
    for _ in range(2):
        app = make_app(interview_ids=lambda _now: f"20250314-0930{next(ids):02d}-x", question_count=1)
        async with app.run_test(size=(100, 30)) as pilot:
            await start(pilot)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2


async def test_a_damaged_interview_is_listed_with_how_to_repair_it(
    make_app: AppFactory, store: TranscriptStore
) -> None:
    await _unfinished(make_app)
    path = store.path_for(INTERVIEW_ID)
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2][:30]  # a line in the middle is torn
    path.write_bytes(b"\n".join(lines))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        await settle(pilot)
        assert "⚠ damaged" in screen_text(app)
        assert "customer-focus" in screen_text(app)
        for key in ("enter", "r"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, HistoryScreen)
            assert any(f"starling transcripts repair {INTERVIEW_ID}" in n for n in notices(app))
            app.clear_notifications()
