"""What more than one command prints: an interview, and JSON documents."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from agent.reports.render import Format


def print_interview(transcript: Any, fmt: str) -> None:
    """Print an interview; `text` (the terminal default) is the Markdown rendering."""
    from agent.reports.render import render

    chosen: Format = "json" if fmt == "json" else "html" if fmt == "html" else "md"
    sys.stdout.write(render(transcript, chosen))


def write_json(document: Any, out: TextIO) -> None:
    out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
