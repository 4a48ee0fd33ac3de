"""Layout at 80x24 and 120x40: names are not cut, text keeps off the borders, emoji keep borders in
line, export paths are not broken mid-name, and the key bar keeps help and quit."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.ui.app import StarlingApp
from agent.ui.labels import saved_notice, short_path
from agent.ui.screens.report import ReportScreen
from agent.ui.widgets.candidate_message import CandidateMessage
from agent.ui.widgets.key_bar import Key, KeyBar, fit

from .conftest import AppFactory
from .helpers import INTERVIEW_ID, STRONG, WEAK, answer, screen_text, settle, start
from .interviews import STRONG_SPEC, WEAK_SPEC, write_interviews

SIZES = [(80, 24), (120, 40)]
# A letter right against a box's right edge: wrapped text touching the border.
TOUCHING = re.compile(r"[^\s│╭╮╰╯─▁▂▃▄▅▆▇█▔▊▎]│")


def key_bar_text(app: StarlingApp) -> str:
    bar = app.screen.query_one(KeyBar)
    return str(bar.render().plain)


async def finish_practice(pilot: Pilot[Any]) -> None:
    await start(pilot)
    for reply in (WEAK, STRONG, STRONG):
        await answer(pilot, reply)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_dimension_names_are_never_cut(make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await finish_practice(pilot)
        assert isinstance(app.screen, ReportScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "Communication and follow-through" in text
        assert "Balancing customer and business needs" in text
        assert "follow-thro…" not in text and "busine…" not in text


@pytest.mark.parametrize("size", SIZES)
async def test_wrapped_text_keeps_off_the_right_border(make_app: AppFactory, size: tuple[int, int]) -> None:
    app = make_app(question_count=4)
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        for reply in (WEAK, WEAK, WEAK, STRONG, WEAK):
            await answer(pilot, reply)
            await pilot.pause()
            touching = [line for line in screen_text(app).splitlines() if TOUCHING.search(line)]
            assert not touching, "\n".join(touching)


async def test_emoji_that_terminals_draw_unevenly_are_shown_plainly_and_kept(
    make_app: AppFactory, store: TranscriptStore
) -> None:
    typed = "Great 👍🏽 job 👩‍💻 and ❤️ done"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer(pilot, typed)
        bubble = app.screen.query(CandidateMessage).last()
        shown = str(bubble.render())
        assert "Great 👍 job 👩💻 and ❤ done" in shown
        assert not any(c in shown for c in ("\u200d", "\ufe0f", "\U0001f3fd"))
    assert [t.text for t in store.load(INTERVIEW_ID).turns if t.role == "candidate"] == [typed]


def test_an_export_notice_names_each_file_on_its_own_line(tmp_path: Path) -> None:
    folder = Path.home() / ".local" / "share" / "starling" / "exports"
    paths = [folder / f"{INTERVIEW_ID}{suffix}" for suffix in (".md", ".json", ".html")]
    said = saved_notice(paths).splitlines()
    assert said[0] == "In ~/.local/share/starling/exports:"
    assert said[1:] == [f"  {path.name}" for path in paths]
    assert short_path(tmp_path) == str(tmp_path) or short_path(tmp_path).startswith("~/")


def test_the_key_bar_drops_the_least_essential_keys_first() -> None:
    keys = [
        Key("ctrl+s", "^s", "Send", "send", True),
        Key("ctrl+n", "^n", "Skip", "skip", True),
        Key("f1", "f1", "Help", "app.help", True),
        Key("ctrl+q", "^q", "Quit", "quit", True),
    ]
    palette = Key("ctrl+p", "^p", "palette", "command_palette", True)
    shown, kept = fit(keys, palette, 200)
    assert shown == keys and kept == palette
    shown, kept = fit(keys, palette, 30)
    assert kept is None and [k.action for k in shown] == ["send", "app.help", "quit"]
    shown, kept = fit(keys, palette, 5)
    assert [k.action for k in shown] == ["app.help", "quit"], "help and quit always stay"


async def test_the_key_bar_keeps_help_and_quit_at_80_columns(
    make_app: AppFactory, settings: Settings
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = key_bar_text(app)  # the start screen
        assert "f1 Help" in bar and "^q Quit" in bar and len(bar) <= 80, bar
        await start(pilot)
        bar = key_bar_text(app)  # the interview
        assert "^s Send" in bar and "f1 Help" in bar and "^q Quit" in bar and len(bar) <= 80, bar
    write_interviews(settings, STRONG_SPEC, WEAK_SPEC)
    review = make_app(review=True)
    async with review.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = key_bar_text(review)
        assert "f1 Help" in bar and "^q Quit" in bar and "▏" not in bar, bar
        await pilot.press("enter")
        await settle(pilot)
        bar = key_bar_text(review)
        assert "f1 Help" in bar and "^q Quit" in bar, bar


async def test_clicking_a_key_presses_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        bar = chat.query_one(KeyBar)
        text = str(bar.render().plain)
        x = text.index("^n Skip") + 1
        await pilot.click(KeyBar, offset=(x, 0))
        await settle(pilot)
        assert chat.session is not None and chat.session.state.questions[0].status == "skipped"
