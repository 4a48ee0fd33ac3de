"""Candidate text is shown literally: markup and escape sequences are displayed, never obeyed."""

from __future__ import annotations

import time

from textual import events

from agent.storage import TranscriptStore
from agent.ui.literal import literal
from agent.ui.screens.report import ReportScreen
from agent.ui.widgets.candidate_message import CandidateMessage
from agent.visible import visible_controls

from .conftest import AppFactory
from .helpers import INTERVIEW_ID, LITERAL, STRONG, answer, flat, screen_text, settle, start


def test_visible_controls() -> None:
    assert visible_controls("a\x1b[31mb") == "a␛[31mb"
    assert visible_controls("tab\tnew\nline\r\nend\x07") == "tab\tnew\nline\nend␇"
    assert visible_controls("\x9b31m") == "<U+009B>31m"
    assert visible_controls("abc\u202edef") == "abc<U+202E>def"
    assert literal("[bold]x[/bold]").plain == "[bold]x[/bold]"
    assert not literal("[bold]x[/bold]").spans


async def test_markup_and_escapes_appear_literally(make_app: AppFactory, store: TranscriptStore) -> None:
    app = make_app(candidate="Ada [i]Lovelace[/i]")
    async with app.run_test(size=(120, 30)) as pilot:
        await start(pilot)
        await answer(pilot, LITERAL)
        text = screen_text(app)
        assert "[bold]x[/bold]" in text
        assert "[link=http://x]y[/link]" in text
        assert "␛[31mred" in text
        assert "\x1b" not in text
        bubble = app.screen.query(CandidateMessage).first()
        assert bubble.text == LITERAL
    saved = [t.text for t in store.load(INTERVIEW_ID).turns if t.role == "candidate"]
    assert saved == [LITERAL], "the transcript keeps exactly what was sent"


async def test_typed_markup_is_literal(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await answer(pilot, "[b]bold?[/b] [red]no", typed=True)
        assert "[b]bold?[/b] [red]no" in screen_text(app)


async def test_pasted_escape_sequences_are_made_visible_in_the_box(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        chat.answer_box.post_message(events.Paste("pasted \x1b[2Jclear [bold]x[/bold]"))
        await pilot.pause()
        assert chat.answer_box.text == "pasted ␛[2Jclear [bold]x[/bold]"


async def test_a_20000_word_paste_does_not_crash(make_app: AppFactory, store: TranscriptStore) -> None:
    words = " ".join(f"word{n % 97}" for n in range(20_000))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        began = time.perf_counter()
        chat.answer_box.post_message(events.Paste(words))
        await pilot.pause()
        assert len(chat.answer_box.text) == len(words)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "more words, kept in full in the transcript" in flat(screen_text(app))
        assert time.perf_counter() - began < 30
    saved = [t.text for t in store.load(INTERVIEW_ID).turns if t.role == "candidate"]
    assert saved == [words]


async def test_report_title_shows_the_name_literally(make_app: AppFactory) -> None:
    app = make_app(candidate="Ada [i]Lovelace[/i]", question_count=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot)
        await answer(pilot, STRONG)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        assert "Ada [i]Lovelace[/i]" in screen_text(app)
