"""The invitation server refuses every link it should, before anything starts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from agent.invitations import InvitationStore
from agent.web import InvitationServer

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> InvitationStore:
    return InvitationStore(tmp_path / "invitations")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(store: InvitationStore, clock: Clock, tmp_path: Path) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    server = InvitationServer(store=store, home=tmp_path, host="127.0.0.1", port=8000, clock=clock)
    app = await server._make_app()
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def test_landing_page_asks_for_an_invitation(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/")
    assert response.status == 404
    assert "You need an invitation link" in await response.text()


async def test_unknown_token_is_refused(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/i/not-a-token")
    assert response.status == 404
    assert "not valid" in await response.text()


async def test_valid_link_serves_the_app_page_without_using_the_token(
    client: TestClient,  # type: ignore[type-arg]
    store: InvitationStore,
) -> None:
    invitation, token = store.create(rubric_id="customer-focus", candidate="Ada", question_count=2, now=NOW)
    response = await client.get(f"/i/{token}")
    assert response.status == 200
    page = await response.text()
    assert f"/ws/{token}" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert store.state(invitation, NOW) == "pending"


async def test_used_expired_and_revoked_links_are_refused(
    client: TestClient,  # type: ignore[type-arg]
    store: InvitationStore,
    clock: Clock,
) -> None:
    _, used = store.create(rubric_id="customer-focus", candidate="A", question_count=2, now=NOW)
    assert store.claim(used, NOW) is not None
    response = await client.get(f"/i/{used}")
    assert response.status == 410 and "already been used" in await response.text()

    revoked_invitation, revoked = store.create(
        rubric_id="customer-focus", candidate="B", question_count=2, now=NOW
    )
    store.revoke(revoked_invitation.id)
    assert (await client.get(f"/i/{revoked}")).status == 410

    _, expiring = store.create(rubric_id="customer-focus", candidate="C", question_count=2, now=NOW)
    clock.now = NOW + timedelta(days=30)
    response = await client.get(f"/i/{expiring}")
    assert response.status == 410 and "expired" in await response.text()


async def test_socket_for_a_refused_token_starts_nothing(
    client: TestClient,  # type: ignore[type-arg]
    store: InvitationStore,
) -> None:
    _, token = store.create(rubric_id="customer-focus", candidate="A", question_count=2, now=NOW)
    assert store.claim(token, NOW) is not None
    response = await client.get(f"/ws/{token}")
    assert response.status == 403
    assert (await client.get("/ws/garbage")).status == 403


def test_candidate_command_quotes_paths_and_names_only_the_public_id(
    store: InvitationStore, tmp_path: Path
) -> None:
    server = InvitationServer(
        store=store, home=tmp_path / "a home", host="127.0.0.1", port=8000, clock=Clock()
    )
    invitation, token = store.create(rubric_id="customer-focus", candidate="A", question_count=2, now=NOW)
    command = server.command_for(invitation)
    assert token not in command
    assert f"--invitation {invitation.id}" in command
    assert "'" in command  # the home path with a space is quoted
