"""Skip, end early with confirmation, empty answers, a second send while busy, and quitting."""

from __future__ import annotations

import pytest

from agent.domain.transcript import ControlRecord
from agent.storage import TranscriptStore
from agent.ui.messages import AnswerAnalyzed, InterviewEnded, QuestionSkipped
from agent.ui.screens.chat import BUSY_NOTICE, EMPTY_NOTICE, ChatScreen
from agent.ui.screens.confirm import ConfirmScreen
from agent.ui.widgets.star_panel import StarPanel

from .conftest import AppFactory
from .helpers import (
    INTERVIEW_ID,
    STRONG,
    GatedBrain,
    Recorder,
    current,
    flat,
    notices,
    screen_text,
    settle,
    start,
)


async def test_skip_moves_to_the_next_question(make_app: AppFactory, store: TranscriptStore) -> None:
    recorder = Recorder()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        chat = await start(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert len(recorder.of(QuestionSkipped)) == 1
        text = flat(screen_text(app))
        assert "You skipped this question" in text
        assert "Question 2 of 2" in text
        assert chat.session is not None and chat.session.state.questions[0].status == "skipped"
    records = store.load(INTERVIEW_ID).records
    assert [r.control for r in records if isinstance(r, ControlRecord)] == ["skip"]


async def test_end_early_asks_first(make_app: AppFactory, store: TranscriptStore) -> None:
    recorder = Recorder()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        chat = await start(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert current(app) is chat and not chat.finished
        assert not recorder.of(InterviewEnded)

        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(recorder.of(InterviewEnded)) == 1
        assert chat.finished
        assert "You ended the interview early" in flat(screen_text(app))
    transcript = store.load(INTERVIEW_ID)
    assert transcript.finished and transcript.evaluation is not None
    assert [r.control for r in transcript.records if isinstance(r, ControlRecord)] == ["end"]


async def test_empty_answer_is_refused(make_app: AppFactory, store: TranscriptStore) -> None:
    recorder = Recorder()
    app = make_app()
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await start(pilot)
        await pilot.press("space", "enter", "space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert EMPTY_NOTICE in notices(app)
        assert not recorder.of(AnswerAnalyzed)
    assert not [t for t in store.load(INTERVIEW_ID).turns if t.role == "candidate"]


async def test_typing_continues_while_busy_and_a_second_send_is_refused(make_app: AppFactory) -> None:
    brain = GatedBrain()
    app = make_app(brain=brain)
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        chat.answer_box.text = STRONG
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert chat.busy
        assert "Reading your answer" in screen_text(app)
        await pilot.press(*"more")
        assert chat.answer_box.text == "more", "typing is not frozen while the brain works"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert BUSY_NOTICE in notices(app)
        brain.gate.set()
        await settle(pilot)
        assert not chat.busy
        assert chat.answer_box.text == "more"
        assert chat.session is not None
        assert [t.text for t in chat.session.turns if t.role == "candidate"] == [STRONG]


async def test_quit_during_an_interview_asks_and_says_how_to_resume(
    make_app: AppFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    said = " ".join(capsys.readouterr().err.split())
    assert f"starling resume {INTERVIEW_ID}" in said


async def test_quit_outside_an_interview_does_not_ask(
    make_app: AppFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert "resume" not in capsys.readouterr().err


async def test_star_panel_can_be_hidden_in_practice_only(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        panel = chat.query_one(StarPanel)
        assert panel.display
        await pilot.press("ctrl+t")
        assert not panel.display
        await pilot.press("ctrl+t")
        assert panel.display
    assessment = make_app(mode="assessment", interview_ids=lambda _now: "20250314-093000-other")
    async with assessment.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        await pilot.press("ctrl+t")
        assert not chat.query_one(StarPanel).display, "no STAR panel in an assessment, even on request"


async def test_quit_asks_even_when_help_is_open_over_the_interview(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await pilot.press("f1")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
