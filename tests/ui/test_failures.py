"""A failing brain shows a notice (never a traceback), gives the text back, and can be retried."""

from __future__ import annotations

from agent.brains.protocol import Brain
from agent.errors import BrainError, StarlingError
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.brain_feed import BrainFeed
from agent.ui.messages import AnswerAnalyzed, BrainFailed, InterviewFailedToStart, WorkRetried
from agent.ui.screens.chat import ChatScreen
from agent.ui.services import BrainChoice

from .conftest import AppFactory
from .helpers import (
    INTERVIEW_ID,
    STRONG,
    FailingBrain,
    Recorder,
    answer,
    flat,
    notices,
    screen_text,
    settle,
    start,
)


async def test_starling_error_shows_its_message_and_restores_the_answer(
    make_app: AppFactory, store: TranscriptStore
) -> None:
    recorder = Recorder()
    brain = FailingBrain(BrainError("The model did not answer in time.", hint="Check the server."))
    app = make_app(brain=brain)
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        chat = await start(pilot)
        await answer(pilot, STRONG)
        assert len(recorder.of(BrainFailed)) == 1
        shown = notices(app)
        assert any("The model did not answer in time." in n for n in shown)
        assert not any("Traceback" in n for n in shown)
        assert chat.answer_box.text == STRONG, "the candidate gets their text back"
        assert chat.retry_pending and not chat.busy
        assert not recorder.of(AnswerAnalyzed)

        await pilot.press("ctrl+s")  # the brain works now: the saved answer is analysed
        await settle(pilot)
        assert len(recorder.of(WorkRetried)) == 1
        assert not chat.retry_pending
        assert chat.answer_box.text == ""
        assert "Question 2 of 2" in flat(screen_text(app))
    candidate = [t.text for t in store.load(INTERVIEW_ID).turns if t.role == "candidate"]
    assert candidate == [STRONG], "the answer was saved once, not twice"


async def test_unexpected_exception_is_reported_without_a_traceback(make_app: AppFactory) -> None:
    app = make_app(brain=FailingBrain(RuntimeError("boom"), failures=5))
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        await answer(pilot, "First line\nsecond line of my answer")
        shown = notices(app)
        assert any("Something went wrong: boom" in n for n in shown)
        assert not any("Traceback" in n or "RuntimeError" in n for n in shown)
        assert chat.answer_box.text == "First line\nsecond line of my answer"
        assert isinstance(app.screen, ChatScreen), "the app keeps running"


async def test_edited_text_stays_for_the_next_reply_when_retrying(make_app: AppFactory) -> None:
    app = make_app(brain=FailingBrain(BrainError("Offline for a moment.")))
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        await answer(pilot, STRONG)
        chat.answer_box.text = STRONG + " And one more thing."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert chat.answer_box.text == STRONG + " And one more thing."
        assert any("saved as first sent" in n for n in notices(app))


async def test_a_brain_that_cannot_be_built_is_reported(make_app: AppFactory) -> None:
    def unconfigured(_settings: Settings, *, listener: BrainFeed | None = None) -> Brain:
        raise StarlingError("The openai brain needs a model name.", hint="Set STARLING_MODEL.")

    recorder = Recorder()
    app = make_app(brains=[BrainChoice("openai", "Model", unconfigured)])
    async with app.run_test(size=(100, 30), message_hook=recorder) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert len(recorder.of(InterviewFailedToStart)) == 1
        assert any("needs a model name" in n and "STARLING_MODEL" in n for n in notices(app))
        await pilot.press("ctrl+s")
        assert any("could not start" in n for n in notices(app))
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "StartScreen"


async def test_an_unknown_preset_rubric_falls_back_with_a_notice(make_app: AppFactory) -> None:
    app = make_app(rubric_id="no-such-rubric")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("No rubric or kit called 'no-such-rubric'" in n for n in notices(app))
        chat = await start(pilot)
        assert chat.session is not None and chat.session.state.rubric.id == "customer-focus"
