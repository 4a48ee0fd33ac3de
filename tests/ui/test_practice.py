"""A whole practice interview, typed in, from the start screen to the report and its export."""

from __future__ import annotations

import json

from agent.domain.transcript import AnalysisRecord, EvaluationRecord
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.messages import AnswerAnalyzed, EvaluationReady, InterviewStarted, ReportExported
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.report import ReportScreen
from agent.ui.widgets.star_panel import StarPanel

from .conftest import AppFactory
from .helpers import (
    INTERVIEW_ID,
    STRONG,
    WEAK,
    WEAK_TYPED,
    Recorder,
    answer,
    flat,
    notices,
    screen_text,
    settle,
    start,
)


async def test_whole_practice_interview(make_app: AppFactory, store: TranscriptStore) -> None:
    recorder = Recorder()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        chat = await start(pilot)
        assert chat.session is not None and chat.session.state.mode == "practice"
        text = flat(screen_text(app))
        assert "Question 1 of 2" in text
        assert "Interviewer · Question 1" in text

        await answer(pilot, WEAK_TYPED, typed=True)
        text = flat(screen_text(app))
        assert "follow-up 1 of 2" in text
        assert chat.query_one(StarPanel).display
        assert "Situation ✗ missing" in text
        assert "Why this follow-up?" in text
        followup = chat.session.turns[-1]
        assert followup.ask == "followup" and followup.target and followup.reason
        assert f"→ {followup.target}" in text

        await answer(pilot, STRONG)
        assert "Question 2 of 2" in flat(screen_text(app))
        await answer(pilot, STRONG)
        assert chat.finished
        assert "Your report is ready" in flat(screen_text(app))

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        text = flat(screen_text(app))
        assert "Practice summary" in text and "What to work on next" in text
        assert "Recommendation" not in text, "practice gets coaching, never a hiring recommendation"
        assert "A person makes the decision" not in text
        assert "not assessed" in text
        assert "/5" in text

    names = recorder.names()
    assert names.index("InterviewStarted") < names.index("AnswerAnalyzed") < names.index("EvaluationReady")
    assert len(recorder.of(AnswerAnalyzed)) == 3
    assert len(recorder.of(InterviewStarted)) == 1
    assert len(recorder.of(EvaluationReady)) == 1
    transcript = store.load(INTERVIEW_ID)
    assert transcript.finished
    assert [t.text for t in transcript.turns if t.role == "candidate"] == [WEAK_TYPED, STRONG, STRONG]
    assert sum(isinstance(r, AnalysisRecord) for r in transcript.records) == 3
    assert any(isinstance(r, EvaluationRecord) for r in transcript.records)


async def test_report_shows_coaching_progress_and_exports(make_app: AppFactory, settings: Settings) -> None:
    recorder = Recorder()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await start(pilot)
        for reply in (WEAK, STRONG, STRONG):
            await answer(pilot, reply)
        await pilot.press("enter")
        await pilot.pause()
        report = app.screen
        assert isinstance(report, ReportScreen)
        evaluation = report.transcript.evaluation
        assert evaluation is not None
        coaching = [tip for q in evaluation.questions for tip in q.coaching]
        assert coaching, "the offline brain always suggests something"
        report_text = " ".join(str(s.render()) for s in report.query("ReportView Static"))
        assert "What to add next time:" in report_text
        assert coaching[0] in report_text

        await pilot.press("3")
        await pilot.pause()
        text = flat(screen_text(app))
        assert "#1 answer" in text and "#2 " in text
        assert "↑" in text

        await pilot.press("2")
        await pilot.pause()
        assert WEAK in flat(screen_text(app))

        await pilot.press("e")
        await settle(pilot)
    exported = recorder.of(ReportExported)
    assert len(exported) == 1
    markdown, document, page = exported[0].paths
    assert markdown == settings.exports_dir / f"{INTERVIEW_ID}.md"
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "## Practice summary" in markdown.read_text(encoding="utf-8")
    assert json.loads(document.read_text(encoding="utf-8"))["interview_id"] == INTERVIEW_ID
    assert any(markdown.name in n and "\n" in n for n in notices(app)), "one file name a line"


async def test_elapsed_time_follows_the_clock(make_app: AppFactory) -> None:
    from .helpers import StepClock

    clock = StepClock()
    app = make_app(clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        assert "0:00 on Q1" in screen_text(app)
        clock.advance(65)
        chat._show_elapsed()
        await pilot.pause()
        assert "1:05 on Q1" in screen_text(app)
        await answer(pilot, STRONG)
        assert isinstance(app.screen, ChatScreen)
        assert "0:00 on Q2" in screen_text(app), "a new question starts its own timer"
