"""What the invitation server answers a browser: the candidate page, refusals, and the headers
that protect every response.

A refusal says what `agent.refusals` says, on a page of its own for a link and as plain text for
a connection (which a browser does not show; the page's own "not connected" dialog does).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from agent.refusals import NOT_CONNECTED, REFUSALS, Refusal, refusal_text
from agent.web_client import whole_number

ASSETS = Path(__file__).parent / "web_assets"
CANDIDATE_PAGE = "candidate.html"

_REFUSAL = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Starling interview</title>
<link rel="stylesheet" href="/assets/refusal.css"></head>
<body><main><h1>{title}</h1><p>{message}</p></main></body></html>"""


def refusal_page(reason: Refusal) -> str:
    title, message = REFUSALS[reason]
    return _REFUSAL.format(title=escape(title), message=escape(message))


def refused_page(reason: Refusal, status: int) -> web.Response:
    """A link that opens nothing: the refusal's page."""
    return web.Response(text=refusal_page(reason), content_type="text/html", status=status)


def refused_connection(reason: Refusal) -> web.Response:
    """A connection that starts nothing: the refusal, in plain text, before any app is started."""
    return web.Response(text=refusal_text(reason), status=403)


def security_headers(ws_origin: str) -> dict[str, str]:
    """Every response's protection: nothing from elsewhere, no framing, no referrer, no sniffing."""
    policy = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            # The terminal sizes its cells with style elements it writes itself.
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {ws_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Cache-Control": "no-store",
    }


def setup_pages(app: web.Application) -> jinja2.Environment:
    """The page templates, read from disk once (see `load_pages`), never again per request."""
    return aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(ASSETS), autoescape=True, auto_reload=False
    )


def load_pages(templates: jinja2.Environment) -> None:
    """Read and compile the candidate page now, so that serving it reads no file."""
    templates.get_template(CANDIDATE_PAGE)


def candidate_page(request: web.Request, *, socket_url: str, title: str) -> web.Response:
    """The page a link opens: the terminal, connected to `socket_url`, and its dialogs."""
    font_size = max(8, min(40, whole_number(request.query.get("fontsize", "16"), 16)))
    context: dict[str, Any] = {
        "font_size": font_size,
        "app_websocket_url": socket_url,
        "static_url": "/static/",
        "assets_url": "/assets/",
        "title": title,
        "not_connected": NOT_CONNECTED,
    }
    return aiohttp_jinja2.render_template(CANDIDATE_PAGE, request, context)
