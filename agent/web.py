"""`starling serve`: the candidate app in browsers, one interview per single-use invitation link.

Built on textual-serve. A link is `/i/<token>`; the page's terminal connects to `/ws/<token>`,
which claims the token before anything starts, so a link works once and a refused link starts
nothing. Each candidate gets their own app process, which only ever sees their own interview.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from agent.invitations import Invitation, InvitationStore

log = logging.getLogger("starling.web")

_REFUSAL = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Starling interview</title>
<style>body{{font:16px/1.6 system-ui,sans-serif;max-width:560px;margin:12vh auto;padding:0 20px;color:#1d2430}}
h1{{font-size:1.4em}}</style></head><body><h1>{title}</h1><p>{message}</p></body></html>"""

_REASONS = {
    "unknown": ("This link is not valid", "Check that you opened the full link from your invitation."),
    "used": (
        "This invitation has already been used",
        "Each invitation link works once. If your interview was interrupted, ask the recruiter for a new link.",
    ),
    "expired": ("This invitation has expired", "Ask the recruiter who invited you for a new link."),
    "revoked": (
        "This invitation was withdrawn",
        "Ask the recruiter who invited you if you think this is a mistake.",
    ),
    "missing": (
        "You need an invitation link",
        "Starling interviews start from the personal link in your invitation.",
    ),
}


def refusal_page(reason: str) -> str:
    title, message = _REASONS[reason]
    return _REFUSAL.format(title=escape(title), message=escape(message))


class InvitationServer(Server):
    """A textual-serve server whose every session starts from one invitation."""

    def __init__(
        self,
        *,
        store: InvitationStore,
        home: Path,
        host: str,
        port: int,
        clock: Callable[[], datetime],
        python: str = sys.executable,
    ) -> None:
        super().__init__(command="", host=host, port=port, title="Starling interview")
        self.store = store
        self.home = home
        self.clock = clock
        self.python = python

    def command_for(self, invitation: Invitation) -> str:
        parts = [
            self.python,
            "-m",
            "agent.cli",
            "--home",
            str(self.home),
            "candidate",
            "--invitation",
            invitation.id,
        ]
        return " ".join(shlex.quote(part) for part in parts)

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_landing, name="index"),
                web.get("/i/{token}", self.handle_invitation, name="invitation"),
                web.get("/ws/{token}", self.handle_candidate_socket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Once listening, say where and how to stop (textual-serve's banner names its own command)."""
        self.console.print(
            f"Listening on {self.public_url}. Press Ctrl+C to stop.", highlight=False, markup=False
        )

    async def handle_landing(self, request: web.Request) -> web.Response:
        return web.Response(text=refusal_page("missing"), content_type="text/html", status=404)

    async def handle_invitation(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        reason = self._refusal_reason(token)
        if reason is not None:
            status = 404 if reason == "unknown" else 410
            return web.Response(text=refusal_page(reason), content_type="text/html", status=status)
        router = request.app.router
        socket_path = router["websocket"].url_for(token=token)
        scheme = "wss" if self.public_url.startswith("https") else "ws"
        host = self.public_url.split("://", 1)[1]
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{host}{socket_path}",
            "config": {
                "static": {
                    "url": f"{self.public_url}{router['static'].url_for(filename='/')}".rstrip("/") + "/"
                }
            },
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_candidate_socket(self, request: web.Request) -> web.StreamResponse:
        invitation = self.store.claim(request.match_info["token"], self.clock())
        if invitation is None:
            return web.Response(text="This invitation cannot be used.", status=403)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = AppService(
                self.command_for(invitation),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=_closer(websocket),
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except (OSError, ValueError, RuntimeError) as error:
            log.warning("candidate session for invitation %s ended: %s", invitation.id, error)
        finally:
            if service is not None:
                await service.stop()
        return websocket

    def _refusal_reason(self, token: str) -> str | None:
        invitation = self.store.find(token)
        if invitation is None:
            return "unknown"
        state = self.store.state(invitation, self.clock())
        return None if state == "pending" else state


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    async def close() -> None:
        await websocket.close()

    return close
