"""`starling serve` says where it listens, not textual-serve's "Serving '' on ..."."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from rich.console import Console

from agent.invitations import InvitationStore
from agent.settings import Settings
from agent.web import InvitationServer


async def test_the_banner_says_where_it_listens(tmp_path: Path) -> None:
    server = InvitationServer(
        store=InvitationStore(tmp_path / "invitations"),
        settings=Settings(home=tmp_path, host="127.0.0.1", port=8123),
        clock=lambda: datetime(2025, 3, 14, tzinfo=UTC),
    )
    server.console = Console(record=True, width=120)
    await server.on_startup(web.Application())
    said = server.console.export_text()
    assert "Serving" not in said and "''" not in said
    assert "Listening on http://127.0.0.1:8123. Press Ctrl+C to stop." in said
