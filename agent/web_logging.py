"""Logging for `starling serve`: plain lines, with every invitation token taken out.

A link is a password: whoever holds it can interview. The access log names request paths, and a
traceback can carry anything, so every line passes through one redactor and no traceback (or its
local variables) is ever written.
"""

from __future__ import annotations

import logging
import re
import sys

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

REDACTED = "…"
# A link's or socket's path carries the token; anything else token-shaped (32 or more URL-safe
# characters in a row) is taken out as well, wherever it appears.
_LINK_PATH = re.compile(r"/(i|ws)/[^/?#\s\"']+")
_TOKEN_SHAPED = re.compile(r"[A-Za-z0-9_-]{32,}")


def redact(text: str) -> str:
    return _TOKEN_SHAPED.sub(REDACTED, _LINK_PATH.sub(rf"/\1/{REDACTED}", text))


class RedactingFormatter(logging.Formatter):
    """One line per record, tokens removed; an exception is named, its traceback left out."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message = f"{message} ({type(error).__name__}: {error})"
        line = f"{self.formatTime(record, '%Y-%m-%d %H:%M:%S')} {record.levelname.lower()} {message}"
        return redact(" ".join(line.split()))


class AccessLogger(AbstractAccessLogger):
    """The access log, with the token cut out of every path."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %s %.3fs",
            request.remote or "-",
            request.method,
            redact(request.path),
            response.status,
            time,
        )


def configure(debug: bool = False) -> None:
    """Send every logger's lines through the redactor, to standard error."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
