"""`starling serve`: the candidate app in browsers, one interview per invitation link.

A link is `/i/<token>`; its page's terminal connects to `/ws/<token>`, and each connection runs
the candidate app in a process of its own, which ends when the connection does. That process is
given its invitation's interview folder and nothing else of the data folder, and fences itself in
to it where the system allows (`agent.sandbox`). Opening the page claims nothing: the candidate
app claims the link when the candidate accepts the consent screen. While the interview is
unfinished the candidate may come back on the same link within the rejoin window and carry on
from the transcript; a second connection while one is open is refused.

This module owns the routes, each interview's one connection and the server's start and stop.
What a browser is answered (pages, refusals, headers) is `agent.web_pages`; the browser's
terminal client, the one thing taken from textual-serve, is `agent.web_client`; each candidate
app's process is `agent.web_process`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from aiohttp import WSMsgType, web
from aiohttp.web_runner import GracefulExit
from rich.console import Console
from yarl import URL

from agent import web_logging
from agent.interviews import InterviewFolder
from agent.invitations import OPEN_STATES, Invitation, InvitationStore
from agent.refusals import Refusal, refusal_for
from agent.settings import Settings
from agent.web_client import client_files, read_frame, terminal_size
from agent.web_pages import (
    ASSETS,
    candidate_page,
    load_pages,
    refused_connection,
    refused_page,
    security_headers,
    setup_pages,
)
from agent.web_process import (
    CandidateProcess,
    candidate_command,
    candidate_environment,
    hand_over,
    log_sandbox,
    token_files,
)

log = logging.getLogger("starling.web")

_P = ParamSpec("_P")
_T = TypeVar("_T")

TITLE = "Starling interview"
# A dead connection (closed laptop, lost network) is noticed within about this many seconds.
HEARTBEAT_SECONDS = 10.0
# How long a new connection waits for the last one's app to end (a reload) before it is refused.
HANDOVER_SECONDS = 10.0
# How often an open connection notes that the candidate is still there.
SEEN_EVERY_SECONDS = 30.0
# Largest frame a browser may send: a long pasted answer fits many times over.
MAX_FRAME_BYTES = 1_000_000
# Seconds aiohttp waits for open connections when the server stops, after their apps have ended.
QUIT_GRACE_SECONDS = 2.0


@dataclass
class Connection:
    """The one open connection to an interview, and its app process."""

    open: bool = True
    process: CandidateProcess | None = None
    ended: asyncio.Event = field(default_factory=asyncio.Event)


class InvitationServer:
    """The web server of `starling serve`: every session starts from one invitation.

    Its files (invitations, interview folders) are read and written on one thread of its own, in
    the order asked, so the event loop never waits on a disk and no two of them overlap.
    """

    def __init__(
        self,
        *,
        store: InvitationStore,
        settings: Settings,
        clock: Callable[[], datetime],
        python: str = sys.executable,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.python = python
        self.host = settings.host
        self.port = settings.port
        self.public_url = settings.server_url
        self.title = TITLE
        self.console = Console()
        self.rejoin = timedelta(minutes=settings.rejoin_minutes)
        self.live: dict[str, Connection] = {}
        self.token_files: Path | None = None  # filled at start-up for the model brain
        self._ending: set[asyncio.Task[None]] = set()
        self._disk = ThreadPoolExecutor(max_workers=1, thread_name_prefix="starling-files")
        self.handover_seconds = HANDOVER_SECONDS
        # The page's origin (what a browser sends as Origin) and its websocket's: one address.
        self.page_origin = str(URL(self.public_url).origin())
        self.ws_origin = "ws" + self.page_origin.removeprefix("http")
        self.headers = security_headers(self.ws_origin)
        self._socket: socket.socket | None = None

    def command_for(self, invitation: Invitation) -> list[str]:
        """The candidate app's command line: its interview folder, never the token."""
        return candidate_command(self.python, self.interview_folder(invitation).path)

    def interview_folder(self, invitation: Invitation) -> InterviewFolder:
        return InterviewFolder(self.store.interview(invitation).path.absolute())

    async def _on_disk(self, work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Do file work on the server's file thread, after any asked for before it."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._disk, functools.partial(work, *args, **kwargs))

    # The web application

    async def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._protect])
        await self._on_disk(load_pages, setup_pages(app))
        app.add_routes(
            [
                web.get("/", self.handle_landing, name="index"),
                web.get("/i/{token}", self.handle_invitation, name="invitation"),
                web.get("/ws/{token}", self.handle_candidate_socket, name="websocket"),
                web.static("/static", client_files(), name="static"),
                web.static("/assets", ASSETS, name="assets"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        app.on_cleanup.append(self.on_cleanup)
        return app

    @web.middleware
    async def _protect(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as error:
            error.headers.update(self.headers)
            raise
        if not response.prepared:
            response.headers.update(self.headers)
        return response

    async def handle_landing(self, request: web.Request) -> web.Response:
        return refused_page("missing", 404)

    async def handle_invitation(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        invitation = await self._on_disk(self.store.find, token)
        if invitation is None:
            return refused_page("unknown", 404)
        # An open connection does not refuse the page: a reload asks for it before its old
        # connection closes. The page's own connection waits for the old one, or is refused.
        state = await self._on_disk(self.store.state, invitation, self.clock(), self.rejoin)
        if state not in OPEN_STATES:
            reason = refusal_for(state)
            return refused_page(reason, 409 if reason == "busy" else 410)
        return candidate_page(request, socket_url=f"{self.ws_origin}/ws/{token}", title=self.title)

    # One candidate's connection

    async def handle_candidate_socket(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and _origin(origin) != self.page_origin:
            # A page from elsewhere that holds a link (cross-site websocket hijacking).
            log.warning("refused a connection from a page at another origin")
            return refused_connection("elsewhere")
        invitation = await self._on_disk(self.store.find, request.match_info["token"])
        if invitation is None:
            return refused_connection("unknown")
        connection = await self._connect(invitation)
        if not isinstance(connection, Connection):
            return refused_connection(connection)
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS, max_msg_size=MAX_FRAME_BYTES)
        seen: asyncio.Task[None] | None = None
        try:
            await websocket.prepare(request)
            await self._on_disk(self.store.mark_seen, invitation, self.clock())
            width, height = terminal_size(request.query.get("width"), request.query.get("height"))
            interview = self.interview_folder(invitation)
            await self._on_disk(hand_over, interview, invitation, self.settings.home)
            if not connection.open:  # the server began to stop meanwhile: start nothing
                return websocket
            process = connection.process = CandidateProcess(
                self.command_for(invitation),
                candidate_environment(self.settings, width, height, token_files=self.token_files),
                label=invitation.id,
                send_bytes=_sender(websocket),
                on_exit=_closer(websocket),
                cwd=interview.path,
            )
            await process.start()
            seen = asyncio.create_task(self._keep_seen(invitation))
            await self._relay(websocket, process, invitation)
        except (OSError, RuntimeError) as error:
            log.warning("connection for invitation %s ended: %s", invitation.id, error)
        finally:
            connection.open = False
            if seen is not None:
                seen.cancel()
            await self._end(invitation, connection)
        return websocket

    async def _connect(self, invitation: Invitation) -> Connection | Refusal:
        """Take the interview's one connection, waiting briefly for the last one's app to end;
        or why it cannot be had."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.handover_seconds
        while (current := self.live.get(invitation.id)) is not None:
            if current.open or loop.time() >= deadline:
                return "busy"
            try:
                await asyncio.wait_for(current.ended.wait(), deadline - loop.time())
            except TimeoutError:
                return "busy"
        # Taken before the link's state is read, so that no other connection takes it meanwhile.
        connection = self.live[invitation.id] = Connection()
        try:
            state = await self._on_disk(self.store.state, invitation, self.clock(), self.rejoin)
        except BaseException:
            self._let_go(invitation, connection)
            raise
        if state not in OPEN_STATES:
            self._let_go(invitation, connection)
            return refusal_for(state)
        return connection

    def _let_go(self, invitation: Invitation, connection: Connection) -> None:
        """Give up the interview's connection: the next one may have it."""
        connection.open = False
        if self.live.get(invitation.id) is connection:
            del self.live[invitation.id]
        connection.ended.set()

    async def _end(self, invitation: Invitation, connection: Connection) -> None:
        """Stop the connection's app. Shielded: aiohttp cancels a handler whose client has gone,
        and the app must end all the same."""
        ending = asyncio.create_task(self._stop(invitation, connection))
        self._ending.add(ending)
        ending.add_done_callback(self._ending.discard)
        await asyncio.shield(ending)

    async def _stop(self, invitation: Invitation, connection: Connection) -> None:
        try:
            if connection.process is not None:
                await connection.process.stop()
            await self._on_disk(self.store.mark_seen, invitation, self.clock())
        finally:
            self._let_go(invitation, connection)

    async def _keep_seen(self, invitation: Invitation) -> None:
        while True:
            await asyncio.sleep(SEEN_EVERY_SECONDS)
            await self._on_disk(self.store.mark_seen, invitation, self.clock())

    async def _relay(
        self, websocket: web.WebSocketResponse, process: CandidateProcess, invitation: Invitation
    ) -> None:
        """Pass the browser's keys and sizes to the app; a malformed frame is dropped."""
        dropped = 0
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            frame = read_frame(message.data)
            if frame is None:
                dropped += 1
                if dropped == 1:
                    log.warning("dropped a malformed frame from invitation %s", invitation.id)
                continue
            kind, data = frame
            if kind == "stdin" and isinstance(data, str):
                await process.send_input(data)
            elif kind == "resize" and isinstance(data, tuple):
                await process.send_meta({"type": "resize", "width": data[0], "height": data[1]})
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind in ("blur", "focus"):
                await process.send_meta({"type": kind})
        if dropped > 1:
            log.warning("dropped %d malformed frames from invitation %s in all", dropped, invitation.id)

    # Starting and stopping

    async def on_startup(self, app: web.Application) -> None:
        await self._on_disk(self.store.record_server, self.public_url, os.getpid())
        log_sandbox()
        if self.settings.brain == "openai":
            self.token_files = await self._on_disk(token_files)
        self.console.print(
            f"Listening on {self.public_url}. Press Ctrl+C to stop.", highlight=False, markup=False
        )

    async def on_shutdown(self, app: web.Application) -> None:
        """End every candidate app before the server goes: none outlives it."""
        connections = list(self.live.items())
        for _, connection in connections:
            connection.open = False
        stopping = [connection.process.stop() for _, connection in connections if connection.process]
        await asyncio.gather(*stopping, *self._ending, return_exceptions=True)
        await self._on_disk(self.store.forget_server, os.getpid())

    async def on_cleanup(self, app: web.Application) -> None:
        """Let the file thread go once the last connection's app has ended and been noted."""
        await asyncio.gather(*self._ending, return_exceptions=True)
        self._disk.shutdown(wait=False)

    def listen(self) -> None:
        """Take the address now, so that a port in use fails before anything is printed or recorded.

        Raises OSError when the address cannot be listened on.
        """
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._socket = socket.create_server((self.host, self.port), family=family)

    def serve(self, debug: bool = False) -> None:
        if self._socket is None:
            self.listen()
        web_logging.configure(debug)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for which in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(which, self.request_exit)
        web.run_app(
            self.make_app(),
            sock=self._socket,
            handle_signals=False,
            loop=loop,
            print=None,
            access_log_class=web_logging.AccessLogger,
            shutdown_timeout=QUIT_GRACE_SECONDS,
        )

    def request_exit(self) -> None:
        raise GracefulExit()


def _origin(url: str) -> str | None:
    """The scheme, host and port a browser names as a page's origin, or None for none ("null")."""
    try:
        parsed = URL(url)
    except ValueError:
        return None
    return str(parsed.origin()) if parsed.absolute and parsed.host else None


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    async def close() -> None:
        await websocket.close()

    return close


def _sender(websocket: web.WebSocketResponse) -> Callable[[bytes], Any]:
    async def send(data: bytes) -> None:
        if not websocket.closed:
            try:
                await websocket.send_bytes(data)
            except (ConnectionError, RuntimeError):
                return

    return send
