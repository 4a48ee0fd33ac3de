"""Typing is never lost or misrouted: keys typed while the interview starts, focus after going back,
Enter on the start form, and pastes that contain escape characters."""

from __future__ import annotations

import threading
from pathlib import Path

from textual import events
from textual.widgets import Button, Select

from agent.storage import TranscriptStore
from agent.ui.rubric_cache import Checked, RubricCache
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.history import HistoryScreen
from agent.ui.screens.start import StartScreen
from agent.ui.screens.thanks import ThanksScreen
from agent.ui.widgets.candidate_message import CandidateMessage

from .conftest import AppFactory
from .helpers import INTERVIEW_ID, STRONG, current, screen_text, settle, start


class SlowRubrics(RubricCache):
    """Rubrics that take until the test says so to parse, as on a slow first start."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def check(self, path: Path, home: Path | None = None) -> Checked:
        self.gate.wait(timeout=10)
        return super().check(path, home)


async def test_keys_typed_while_the_interview_starts_go_into_the_answer(make_app: AppFactory) -> None:
    rubrics = SlowRubrics()
    app = make_app(rubric_cache=rubrics)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")  # before the rubric list arrived: the start waits for it
        await pilot.press(*"hi, h", "enter", *"ok", "backspace")  # 'h' must not open History
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        rubrics.gate.set()
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        assert chat.answer_box.text == "hi, h\no"
        assert chat.focused is chat.answer_box
        await pilot.press(*"k")
        assert chat.answer_box.text == "hi, h\nok"


async def test_typing_anywhere_on_the_interview_types_into_the_answer(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        chat = await start(pilot)
        chat.conversation.focus()
        await pilot.pause()
        await pilot.press(*"So")
        assert chat.answer_box.text == "So" and chat.focused is chat.answer_box


async def test_back_to_start_puts_the_focus_on_start_so_h_opens_history(make_app: AppFactory) -> None:
    app = make_app(mode="assessment", question_count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#name").focus()
        await pilot.press(*"Sam", "enter")  # enter in the name field starts
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        chat.answer_box.text = STRONG
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # Finish
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        await pilot.press("enter")  # Back to start
        await settle(pilot)
        start_screen = app.screen
        assert isinstance(start_screen, StartScreen)
        assert isinstance(start_screen.focused, Button) and start_screen.focused.id == "start"
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_enter_on_a_closed_dropdown_starts_and_space_opens_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        mode = app.screen.query_one("#mode", Select)
        mode.focus()
        await pilot.press("space", "down", "enter")  # open, move, choose
        await pilot.pause()
        assert isinstance(app.screen, StartScreen), "enter in the open list chooses, it does not start"
        assert mode.value == "assessment" and not mode.expanded
        await pilot.press("enter")  # the list is closed: enter starts
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.session is not None
        assert chat.session.state.mode == "assessment"


PASTE = "AAA one\n\x1b[31mred\x1b[0m BBB two"


async def test_a_pasted_answer_is_saved_exactly_and_shown_literally(
    make_app: AppFactory, store: TranscriptStore
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        await pilot.press(*"Before: ")
        chat.answer_box.post_message(events.Paste(PASTE))
        await pilot.pause()
        await pilot.press(*" after")
        assert chat.answer_box.text == "Before: AAA one\n␛[31mred␛[0m BBB two after", "shown literally"
        await pilot.press("ctrl+s")
        await settle(pilot)
        bubble = chat.query(CandidateMessage).last()
        assert bubble.text == f"Before: {PASTE} after"
        assert "\x1b" not in screen_text(app) and "␛[31mred␛[0m BBB two after" in screen_text(app)
    saved = [t.text for t in store.load(INTERVIEW_ID).turns if t.role == "candidate"]
    assert saved == [f"Before: {PASTE} after"], "kept exactly as pasted, in the pasted order"


async def test_an_edited_paste_keeps_what_the_box_shows(make_app: AppFactory, store: TranscriptStore) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        chat.answer_box.post_message(events.Paste("x\x1by"))
        await pilot.pause()
        await pilot.press("left", "backspace")  # delete the visible ␛
        assert chat.answer_box.text == "xy"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current(app) is chat
    saved = [t.text for t in store.load(INTERVIEW_ID).turns if t.role == "candidate"]
    assert saved == ["xy"]


async def test_typing_that_arrives_before_the_interview_screen_is_built_goes_into_the_answer(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # All at once, as a terminal delivers what was typed while the app was busy: Enter
        # (a newline when typed before the app took the terminal), then the answer.
        for key, character in [("ctrl+j", "\n"), ("h", "h"), ("i", "i"), ("ctrl+j", "\n"), ("x", "x")]:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen), "a typed-ahead newline starts like Enter"
        assert chat.answer_box.text == "hi\nx"


async def test_keys_typed_before_the_first_screen_is_up_wait_for_it(make_app: AppFactory) -> None:
    app = make_app()
    for key, character in [("enter", "\r"), ("h", "h"), ("i", "i")]:
        await app.on_event(events.Key(key, character))  # before the app runs: held
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.answer_box.text == "hi"


async def test_keys_still_on_their_way_through_the_start_screen_reach_the_interview(
    make_app: AppFactory,
) -> None:
    # Enter starts the interview at once, but keys typed just after it may already have been
    # handed to the start button: they belong to the answer, not to the start screen's shortcuts.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start_screen = app.screen
        assert isinstance(start_screen, StartScreen)
        button = start_screen.query_one("#start", Button)
        start_screen.action_start()
        for key in "hi":  # "h" alone would open History
            button.post_message(events.Key(key, key))
        button.post_message(events.Paste(" there"))
        await settle(pilot)
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.answer_box.text == "hi there"
