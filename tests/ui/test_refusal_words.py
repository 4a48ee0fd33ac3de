"""A link that opens nothing reads the same in the browser and in the candidate app: the title
and what to do next, from `agent.refusals`."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from aiohttp.test_utils import TestClient, TestServer

from agent.invitations import InvitationStore
from agent.refusals import NOT_CONNECTED, REFUSALS, Refusal, refusal_text
from agent.settings import Settings
from agent.ui.screens.refusal import RefusalScreen
from agent.web import InvitationServer

from .conftest import AppFactory
from .helpers import FIXED_NOW, flat, screen_text, settle
from .test_candidate import candidate_app


def test_every_refusal_says_what_happened_and_what_to_do() -> None:
    for reason, (title, message) in REFUSALS.items():
        assert title and not title.endswith("."), reason
        assert message.endswith("."), reason
        assert refusal_text(reason) == f"{title}. {message}"


@pytest.mark.parametrize("reason", ["finished", "expired"])
async def test_the_page_the_connection_and_the_app_give_the_same_refusal(
    make_app: AppFactory, settings: Settings, reason: Refusal
) -> None:
    title, message = REFUSALS[reason]
    store = InvitationStore(settings.invitations_dir)
    age = timedelta(days=4) if reason == "expired" else timedelta(minutes=1)
    invitation, token = store.create(
        rubric_id="customer-focus", candidate="Ada", question_count=1, now=FIXED_NOW - age
    )
    if reason == "finished":
        assert store.claim(invitation, FIXED_NOW)
        store.record_interview(invitation, "20250101-000000-done00")
        store.finish(invitation, FIXED_NOW)

    server = InvitationServer(store=store, settings=settings, clock=lambda: FIXED_NOW)
    async with TestClient(TestServer(await server.make_app())) as client:
        page = await (await client.get(f"/i/{token}")).text()
        connection = await client.get(f"/ws/{token}")
        assert connection.status == 403
        said = await connection.text()
    assert escape(title) in page and escape(message) in page
    assert said == refusal_text(reason)

    app = candidate_app(make_app, settings, invitation)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RefusalScreen)
        shown = " ".join(flat(screen_text(app)).replace("█", " ").split())  # the box's sides
    assert title in shown and message in shown


async def test_the_page_says_what_its_not_connected_dialog_says(settings: Settings) -> None:
    store = InvitationStore(settings.invitations_dir)
    _, token = store.create(rubric_id="customer-focus", candidate="Ada", question_count=1, now=FIXED_NOW)
    server = InvitationServer(store=store, settings=settings, clock=lambda: FIXED_NOW)
    async with TestClient(TestServer(await server.make_app())) as client:
        page = await (await client.get(f"/i/{token}")).text()
    dialog = page[page.index('class="dialog-container closed-dialog"') :]
    for line in NOT_CONNECTED:
        assert f"<p>{escape(line)}</p>" in dialog
    assert "open in another window" in NOT_CONNECTED[1], "what a second window is told"
