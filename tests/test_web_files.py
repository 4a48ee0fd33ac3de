"""The invitation server's file work happens off its event loop, one piece at a time and in order,
and an interview's one connection stays one while the link's state is being read."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from agent.invitations import Invitation, InvitationState, InvitationStore
from agent.refusals import refusal_text
from agent.settings import Settings
from agent.web import Connection
from tests.test_web import NOW, Clock, FakeAppServer, _alive, _until


class RecordingStore(InvitationStore):
    """The real store, noting which thread did each piece of work and whether two overlapped;
    its state may be held back until the test lets it go."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.calls: list[tuple[str, str]] = []
        self.overlapped = False
        self.busy = 0
        self.reading = threading.Event()  # set while a state is being read
        self.hold = threading.Event()
        self.hold.set()
        self._guard = threading.Lock()

    def _note(self, name: str) -> None:
        with self._guard:
            self.calls.append((name, threading.current_thread().name))
            self.busy += 1
            self.overlapped |= self.busy > 1

    def _done(self) -> None:
        with self._guard:
            self.busy -= 1

    def find(self, token: str) -> Invitation | None:
        self._note("find")
        try:
            time.sleep(0.01)  # long enough for overlapping work to show
            return super().find(token)
        finally:
            self._done()

    def state(
        self, invitation: Invitation, now: datetime, rejoin: timedelta = timedelta(minutes=30)
    ) -> InvitationState:
        self._note("state")
        try:
            self.reading.set()
            assert self.hold.wait(10)
            return super().state(invitation, now, rejoin)
        finally:
            self.reading.clear()
            self._done()

    def mark_seen(self, invitation: Invitation, now: datetime) -> None:
        self._note("mark_seen")
        try:
            time.sleep(0.01)
            super().mark_seen(invitation, now)
        finally:
            self._done()

    def record_server(self, url: str, pid: int) -> None:
        self._note("record_server")
        try:
            super().record_server(url, pid)
        finally:
            self._done()

    def forget_server(self, pid: int) -> None:
        self._note("forget_server")
        try:
            super().forget_server(pid)
        finally:
            self._done()


@pytest.fixture
def store(tmp_path: Path) -> RecordingStore:
    return RecordingStore(tmp_path / "invitations")


@pytest.fixture
def server(store: RecordingStore, tmp_path: Path) -> FakeAppServer:
    return FakeAppServer(
        folder=tmp_path, store=store, settings=Settings(home=tmp_path, port=8000), clock=Clock()
    )


@pytest.fixture
async def client(server: FakeAppServer) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with TestClient(TestServer(await server.make_app())) as test_client:
        yield test_client


def _invite(store: InvitationStore) -> tuple[Invitation, str]:
    return store.create(rubric_id="customer-focus", candidate="Ada", question_count=2, now=NOW)


async def test_file_work_is_done_off_the_loop_one_piece_at_a_time_and_in_order(
    server: FakeAppServer, store: RecordingStore
) -> None:
    invitation, token = _invite(store)
    async with TestClient(TestServer(await server.make_app())) as client:
        pages = await asyncio.gather(*(client.get(f"/i/{token}") for _ in range(4)))
        assert all(page.status == 200 for page in pages)
        socket = await client.ws_connect(f"/ws/{token}")
        assert (await socket.receive_bytes()) == b"hello"
        pid = json.loads(server.report(invitation).read_text(encoding="utf-8"))["pid"]
        await socket.close()
        assert await _until(lambda: not _alive(pid) and invitation.id not in server.live)
        ended = len(store.calls)
    names = [name for name, _ in store.calls]
    assert names[0] == "record_server" and names[-1] == "forget_server"
    assert names[ended - 1] == "mark_seen", "the last connection is noted after its app has ended"
    assert {"find", "state", "mark_seen"} <= set(names)
    assert {thread for _, thread in store.calls} == {"starling-files_0"}, "the server's file thread"
    assert not store.overlapped, "never two pieces of file work at once"
    assert (store.folder / f"{invitation.id}.seen").is_file()


async def test_of_two_connections_at_the_same_moment_one_is_refused(
    client: TestClient,  # type: ignore[type-arg]
    server: FakeAppServer,
    store: RecordingStore,
) -> None:
    """Both find the link before either has read its state: the first takes the interview first."""
    invitation, token = _invite(store)
    results = await asyncio.gather(
        client.ws_connect(f"/ws/{token}"), client.ws_connect(f"/ws/{token}"), return_exceptions=True
    )
    connected = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, WSServerHandshakeError)]
    assert len(connected) == 1 and len(refused) == 1, results
    assert refused[0].status == 403
    assert (await connected[0].receive_bytes()) == b"hello"
    assert list(server.live) == [invitation.id]
    # Not a websocket handshake: a refusal shows its words, which a browser does not.
    words = await client.get(f"/ws/{token}")
    assert words.status == 403 and await words.text() == refusal_text("busy")
    await connected[0].close()


async def test_a_connection_given_up_while_the_state_is_read_lets_the_interview_go(
    client: TestClient,  # type: ignore[type-arg]
    server: FakeAppServer,
    store: RecordingStore,
) -> None:
    invitation, _ = _invite(store)
    store.hold.clear()
    connecting = asyncio.create_task(server._connect(invitation))
    assert await _until(store.reading.is_set)
    assert invitation.id in server.live, "taken before the state is read"
    connecting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await connecting
    assert invitation.id not in server.live, "no interview is left taken by a connection that is gone"
    store.hold.set()
    again = await server._connect(invitation)
    assert isinstance(again, Connection)
    server._let_go(invitation, again)


async def test_a_link_closed_meanwhile_takes_no_connection(
    client: TestClient,  # type: ignore[type-arg]
    server: FakeAppServer,
    store: RecordingStore,
) -> None:
    invitation, token = _invite(store)
    store.revoke(invitation.id)
    response = await client.get(f"/ws/{token}")
    assert response.status == 403
    assert await response.text() == refusal_text("revoked")
    assert server.live == {}
    assert not server.report(invitation).exists(), "no app was started"
