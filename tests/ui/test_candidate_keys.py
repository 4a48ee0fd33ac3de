"""A candidate cannot crash their own interview, whatever keys they press and however fast they arrive."""

from __future__ import annotations

import random

import pytest
from textual import events
from textual.command import CommandPalette

from agent.settings import Settings
from agent.ui.app import StarlingApp
from agent.ui.screens.chat import ChatScreen

from .conftest import AppFactory
from .helpers import settle
from .test_candidate import candidate_app, invite

# Everything a candidate can reach from the browser: the palette and what they might type in it,
# the app's and the screens' bindings, moving around, and the answers to confirmations.
# ctrl+q and y are left out: quitting is allowed and ends the run on purpose.
REACHABLE = (
    *("ctrl+p", "f1", "question_mark", "escape", "enter", "tab", "shift+tab"),
    *("ctrl+s", "ctrl+n", "ctrl+f", "ctrl+r", "ctrl+t", "ctrl+enter"),
    *("up", "down", "pageup", "pagedown", "backspace", "space", "n"),
    *"histscreenshotnewkmaq",
)


def key(name: str) -> events.Key:
    characters = {"enter": "\r", "escape": "\x1b", "tab": "\t", "space": " ", "backspace": "\x7f"}
    return events.Key(name, name if len(name) == 1 else characters.get(name))


async def test_a_palette_opened_while_the_last_one_is_still_closing_does_not_crash(
    make_app: AppFactory, settings: Settings
) -> None:
    # What a burst of keys over a slow connection does: escape closes the palette, and ctrl+p
    # arrives before the closed palette has been taken down.
    app = candidate_app(make_app, settings, invite(settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for _ in range(3):
            app.action_command_palette()
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            app.screen.dismiss()
            app.action_command_palette()
            await pilot.pause(0.1)
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
    assert app.return_code in (None, 0)


@pytest.mark.parametrize("burst", [False, True])
async def test_the_palette_sequence_that_once_ended_the_interview_does_not(
    make_app: AppFactory, settings: Settings, burst: bool
) -> None:
    # Seen: three palette searches, each closed with Escape, then F1 and Escape, ended the
    # candidate's app with DuplicateIds '--command-palette' and burned the link.
    sequence = [
        *("ctrl+p", *"hist", "enter", "escape"),
        *("ctrl+p", *"screenshot", "enter", "escape"),
        *("ctrl+p", *"new", "enter", "escape"),
        *("f1", "escape"),
    ]
    app = candidate_app(make_app, settings, invite(settings))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # past consent, into the interview
        await settle(pilot)
        for name in sequence:
            if burst:
                app.post_message(key(name))
            else:
                await pilot.press(name)
        await settle(pilot)
        await pilot.pause(0.2)
        assert not _crashed(app)
        assert app.is_running
        while not isinstance(app.screen, ChatScreen):  # whatever is still open closes
            await pilot.press("escape")
            await pilot.pause(0.05)
            assert not _crashed(app)
    assert not _crashed(app)


def _crashed(app: StarlingApp) -> bool:
    """Ended by an error, as opposed to running still or closed by the candidate finishing."""
    return app._exception is not None or app.return_code not in (None, 0)


@pytest.mark.parametrize("seed", range(16))
async def test_random_candidate_keys_never_crash_the_app(
    make_app: AppFactory, settings: Settings, seed: int
) -> None:
    rng = random.Random(seed)
    app = candidate_app(make_app, settings, invite(settings))
    pressed: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # past consent, into the interview
        await settle(pilot)
        for _ in range(25):
            burst = [rng.choice(REACHABLE) for _ in range(rng.randint(1, 6))]
            pressed.extend(burst)
            for name in burst:  # a burst arrives at once, as from a browser over the network
                app.post_message(key(name))
            await pilot.pause(rng.choice((0.0, 0.01, 0.05)))
            assert not _crashed(app), pressed
            if not app.is_running:
                break  # the candidate finished the interview and closed the thank-you screen
        await pilot.pause(0.2)
        assert not _crashed(app), pressed
    assert not _crashed(app), pressed
