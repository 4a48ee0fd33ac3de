"""The start screen, help, the command palette, and the progressive reveal of interviewer text."""

from __future__ import annotations

import asyncio

from textual.command import CommandPalette
from textual.widgets import Input, Select

from agent.domain.defaults import MAX_NAME_CHARS
from agent.settings import Settings
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.help import HelpScreen
from agent.ui.screens.history import HistoryScreen
from agent.ui.screens.start import StartScreen
from agent.ui.widgets.interviewer_message import InterviewerMessage

from .conftest import AppFactory
from .helpers import current, flat, notices, screen_text, settle, start


async def test_enter_starts_at_once_with_the_defaults(make_app: AppFactory) -> None:
    app = make_app(question_count=None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")  # before the rubric list has even arrived
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        state = chat.session.state
        assert state.mode == "practice"
        assert len(state.questions) == 4
        assert state.rubric.id == "customer-focus"
        assert "Question 1 of 4" in screen_text(app)


async def test_choices_are_made_with_the_keyboard(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Customer focus" in text and "Practice (for candidates)" in text
        await pilot.press("tab", "tab", "space", "down", "enter")  # rubric, mode: open, down, choose
        await pilot.pause()
        assert app.screen.query_one("#mode", Select).value == "assessment"
        assert "only the conversation" in screen_text(app)
        await pilot.press("tab", "tab", "tab", *"Sam", "enter")  # enter in the name field starts
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        assert chat.session.state.mode == "assessment"
        assert chat.session.header.candidate == "Sam"


async def test_the_name_field_holds_no_more_than_a_name(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#name", Input).focus()
        await pilot.press(*("x" * (MAX_NAME_CHARS + 10)), "enter")
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        assert chat.session.header.candidate == "x" * MAX_NAME_CHARS


async def test_help_opens_with_f1_and_question_mark(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = flat(screen_text(app))
        assert "ctrl+s" in text and "this help" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        chat = await start(pilot)
        await pilot.press("question_mark")  # in the answer box, ? is just a character
        await pilot.pause()
        assert current(app) is chat and chat.answer_box.text == "?"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_reaches_history(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"History")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)


async def test_interviewer_text_appears_progressively(make_app: AppFactory) -> None:
    app = make_app(reveal_seconds=0.25)
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        conversation = chat.conversation
        text = "A question that takes a moment to appear. " * 8
        conversation.say_text("Interviewer", text)
        assert conversation.revealing
        await asyncio.sleep(0.1)  # let the reveal timer run, without waiting for it to finish
        bubble = chat.query(InterviewerMessage).last()
        assert 0 < len(bubble.text) < len(text)
        await pilot.press(*"typing meanwhile")
        assert chat.answer_box.text == "typing meanwhile"
        await pilot.pause(0.5)
        assert not conversation.revealing
        assert bubble.text == text


async def test_a_streaming_brain_can_append_chunks(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        bubble = chat.conversation.start_message("Interviewer · Follow-up")
        for chunk in ("Could you ", "say more about ", "[bold]what you did[/bold]?"):
            chat.conversation.append_to(bubble, chunk)
        await pilot.pause()
        assert "Could you say more about [bold]what you did[/bold]?" in flat(screen_text(app))


async def test_light_theme_renders(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await start(pilot)
        assert "Question 1 of 2" in screen_text(app)


async def test_a_broken_rubric_file_is_reported_and_skipped(make_app: AppFactory, settings: Settings) -> None:
    folder = settings.home / "rubrics"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("broken.yaml" in n for n in notices(app))
        chat = await start(pilot)
        assert chat.session is not None and chat.session.state.rubric.id == "customer-focus"


async def test_a_kit_is_offered_and_sets_its_own_question_count(make_app: AppFactory) -> None:
    app = make_app(rubric_id="support-engineer", question_count=None)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        count = screen.query_one("#count", Select)
        assert screen.query_one("#rubric", Select).value == "support-engineer"
        assert count.disabled and count.value == 4
        assert "Support engineer  (kit, 4 questions)" in screen_text(app)
        screen.query_one("#rubric", Select).value = "teamwork"
        await pilot.pause()
        assert not count.disabled
        screen.query_one("#rubric", Select).value = "support-engineer"
        await pilot.pause()
        chat = await start(pilot)
        assert chat.session is not None
        state = chat.session.state
        assert state.rubric.id == "support-engineer" and len(state.questions) == 4
        assert [q.question_id.split(".")[0] for q in state.questions] == [
            "customer-focus",
            "customer-focus",
            "problem-solving",
            "teamwork",
        ]
