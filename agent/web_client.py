"""Everything `starling serve` takes from textual-serve: the browser's terminal client.

The invitation server is an aiohttp server of its own (`agent.web`); this is its one contact with
textual-serve (1.1.3, pinned exactly), and it stands on public ground only:

- `textual_serve.server.Server(command).statics_path`, the folder of the client's files
  (`js/textual.js`, `css/xterm.css`, the fonts) that the candidate page loads from `/static/`;
- the frames that client sends over the interview's connection (`stdin`, `resize`, `ping`,
  `blur`, `focus`, each a JSON list of its kind and its data), read here and nowhere else;
- the package's version, which the candidate app is told as its terminal program's, as
  textual-serve's own app service tells the apps it starts.

No private name of textual-serve is used. `tests/test_web_client.py` fails if any of this moves:
the constructor's parameters, the client's files, the frame kinds it sends, or the version.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Literal

from textual_serve.server import Server

PACKAGE = "textual-serve"
# What a browser's frame may ask for, as (kind, data).
FrameKind = Literal["stdin", "resize", "ping", "blur", "focus"]
Frame = tuple[FrameKind, object]


@cache
def client_files() -> Path:
    """The folder of textual-serve's browser client: its script, its style sheet, its fonts."""
    return Path(Server(command="").statics_path)


@cache
def client_version() -> str:
    """textual-serve's version (read from its installed metadata once)."""
    return version(PACKAGE)


def whole_number(text: str | None, default: int) -> int:
    """`text` as an integer, or `default` for anything that is not one."""
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def terminal_size(width: str | None, height: str | None) -> tuple[int, int]:
    """The terminal size a browser asks for, within what a candidate app can be given."""
    return max(10, min(500, whole_number(width, 80))), max(5, min(300, whole_number(height, 24)))


def read_frame(text: str) -> Frame | None:
    """A browser frame as (kind, data), or None for one that is not what the client sends."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin":
        return ("stdin", data) if isinstance(data, str) else None
    if kind == "resize":
        if not isinstance(data, dict):
            return None
        width, height = data.get("width"), data.get("height")
        if not isinstance(width, int) or not isinstance(height, int):
            return None
        return "resize", terminal_size(str(width), str(height))
    if kind == "ping":
        return ("ping", data) if isinstance(data, str) and len(data) <= 100 else None
    if kind == "blur":
        return "blur", None
    if kind == "focus":
        return "focus", None
    return None
