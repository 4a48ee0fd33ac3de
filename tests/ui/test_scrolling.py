"""The conversation always shows the newest turn, whatever the candidate did before it.

Hiding and showing the STAR panel reflows the conversation; skipping or answering after that
must still bring the question being asked into view. One walk through a de Bruijn sequence
covers every order of three actions (answer, skip, toggle the panel) in one interview.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from agent.ui.screens.chat import ChatScreen
from agent.ui.widgets.conversation import Conversation
from agent.ui.widgets.interviewer_message import InterviewerMessage

from .conftest import AppFactory
from .helpers import STRONG, WEAK, settle, start

ACTIONS = ("answer", "skip", "toggle")


def de_bruijn(symbols: tuple[str, ...], length: int) -> list[str]:
    """A sequence in which every word of `length` symbols occurs exactly once (cyclically, unrolled)."""
    k = len(symbols)
    a = [0] * k * length
    sequence: list[int] = []

    def db(t: int, p: int) -> None:
        if t > length:
            if length % p == 0:
                sequence.extend(a[1 : p + 1])
        else:
            a[t] = a[t - p]
            db(t + 1, p)
            for j in range(a[t - p] + 1, k):
                a[t] = j
                db(t + 1, t)

    db(1, 1)
    unrolled = sequence + sequence[: length - 1]
    return [symbols[i] for i in unrolled]


def test_the_walk_covers_every_order_of_three_actions() -> None:
    walk = de_bruijn(ACTIONS, 3)
    words = {tuple(walk[i : i + 3]) for i in range(len(walk) - 2)}
    assert len(words) == len(ACTIONS) ** 3


def newest_turn_in_view(chat: ChatScreen) -> tuple[bool, str]:
    conversation = chat.query_one(Conversation)
    turns = list(conversation.query(InterviewerMessage))
    newest = turns[-1]
    view = conversation.content_region
    shown = newest.region
    last = conversation.children[-1].region
    # A turn taller than the view shows its end; otherwise all of it is in view. Nothing said
    # after it is hidden below the view either.
    visible = shown.bottom <= view.bottom and (shown.y >= view.y or newest.outer_size.height > view.height)
    ok = visible and bool(last) and last.bottom <= view.bottom
    return ok, f"{newest.text[:40]!r} at {shown} in view {view}, scroll {conversation.scroll_y}"


async def act(pilot: Pilot[Any], chat: ChatScreen, action: str, replies: list[str]) -> None:
    if action == "answer":
        chat.answer_box.text = replies.pop(0) if replies else STRONG
        await pilot.press("ctrl+s")
    elif action == "skip":
        await pilot.press("ctrl+n")
    else:
        await pilot.press("ctrl+t")
    await settle(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_newest_turn_stays_in_view_in_every_order(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(question_count=12)
    walk = de_bruijn(ACTIONS, 3)
    replies = [WEAK, STRONG] * len(walk)
    async with app.run_test(size=size) as pilot:
        chat = await start(pilot)
        await pilot.pause()
        ok, where = newest_turn_in_view(chat)
        assert ok, f"at the start: {where}"
        for step, action in enumerate(walk):
            if chat.finished:
                break
            await act(pilot, chat, action, replies)
            ok, where = newest_turn_in_view(chat)
            assert ok, f"after {walk[max(0, step - 2) : step + 1]} (step {step}): {where}"


async def test_scrolling_back_stays_put_until_the_candidate_acts(make_app: AppFactory) -> None:
    app = make_app(question_count=4)
    async with app.run_test(size=(80, 24)) as pilot:
        chat = await start(pilot)
        for reply in (WEAK, WEAK):
            chat.answer_box.text = reply
            await pilot.press("ctrl+s")
            await settle(pilot)
        conversation = chat.query_one(Conversation)
        await pilot.press("pageup")
        await pilot.pause()
        assert conversation.scroll_y < conversation.max_scroll_y, "page up scrolls the conversation back"
        assert chat.focused is chat.answer_box, "the answer box keeps the focus while reading back"
        await pilot.press("ctrl+t", "ctrl+t")
        await pilot.pause()
        assert conversation.scroll_y < conversation.max_scroll_y, "reading back is not interrupted"
        chat.answer_box.text = STRONG
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause()
        ok, where = newest_turn_in_view(chat)
        assert ok, f"sending an answer brings the newest turn back: {where}"


def test_help_says_how_to_scroll_back() -> None:
    from agent.ui.screens.help import help_text

    for mode in ("app", "candidate"):
        text = help_text(None, mode).plain
        assert "page up" in text and "scroll the conversation back" in text
        assert "follows the newest turn again" in text
