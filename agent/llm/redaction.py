"""Keeping the API key out of everything the backend hands back: errors, replies and streamed text.

A server can echo the Authorization header, in an error or inside an otherwise valid completion.
Whatever leaves the backend passes through a `Redactor` first, so the key never reaches a
transcript, a response cache, an eval report or the screen. Logs are guarded separately: the SDK
and the transport log response headers at debug level, and a server can echo the key in those.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

MARK = "[redacted key]"
# Error text is also searched for anything shaped like an OpenAI key, whoever's it is.
_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-*]{6,}")
# Shorter keys are searched for in error text only: a local server's key "none" or "test" would
# otherwise be cut out of the model's answers (and out of the JSON itself).
MIN_REPLY_SECRET = 8
_MIN_SECRET = 4


class Redactor:
    """Replaces one secret with a mark. Its repr never shows the secret."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        self._secret = secret if len(secret) >= _MIN_SECRET else ""

    def __repr__(self) -> str:
        return "Redactor(…)"

    def message(self, text: str) -> str:
        """Error text: the secret, and anything that looks like an OpenAI key."""
        if self._secret:
            text = text.replace(self._secret, MARK)
        return _KEY_LIKE.sub(r"\1…[redacted]", text)

    def reply(self, text: str) -> str:
        """Model text: the secret wherever it appears."""
        secret = self._reply_secret
        return text.replace(secret, MARK) if secret and secret in text else text

    def guard_logs(self) -> None:
        """Take the secret out of every log record from now on, whoever logs it."""
        if self._reply_secret:
            _LogGuard.add(self._reply_secret)

    def pieces(self) -> PieceRedactor:
        """A redactor for text that arrives in pieces, as a stream does."""
        return PieceRedactor(self)

    @property
    def _reply_secret(self) -> str:
        return self._secret if len(self._secret) >= MIN_REPLY_SECRET else ""

    @property
    def holdback(self) -> int:
        """Characters a piecewise reader holds back so a secret split across pieces is still found."""
        return max(0, len(self._reply_secret) - 1)


class PieceRedactor:
    """Redacts a stream piece by piece, holding back only the tail a split secret could start in."""

    __slots__ = ("_pending", "_redactor")

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor
        self._pending = ""

    def feed(self, piece: str) -> str:
        """The text that can be released now (possibly empty)."""
        keep = self._redactor.holdback
        if not keep:
            return piece
        pending = self._redactor.reply(self._pending + piece)
        if len(pending) <= keep:
            self._pending = pending
            return ""
        self._pending = pending[-keep:]
        return pending[:-keep]

    def flush(self) -> str:
        """Whatever is still held back, at the end of the stream."""
        rest, self._pending = self._pending, ""
        return rest


class _LogGuard:
    """One log-record factory for the process that removes registered secrets from each message."""

    _secrets: frozenset[str] = frozenset()
    _lock = threading.Lock()
    _installed = False

    @classmethod
    def add(cls, secret: str) -> None:
        with cls._lock:
            cls._secrets = cls._secrets | {secret}
            if cls._installed:
                return
            previous = logging.getLogRecordFactory()

            def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
                record = previous(*args, **kwargs)
                cls._scrub(record)
                return record

            logging.setLogRecordFactory(make)
            cls._installed = True

    @classmethod
    def _scrub(cls, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except (TypeError, ValueError):
            return  # a malformed log call: logging reports it itself when the record is handled
        found = [secret for secret in cls._secrets if secret in text]
        if found:
            for secret in found:
                text = text.replace(secret, MARK)
            record.msg, record.args = text, None
