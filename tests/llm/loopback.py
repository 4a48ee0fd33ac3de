"""A misbehaving OpenAI-compatible server on 127.0.0.1, for faults a faked transport cannot show.

Real sockets, real HTTP, the real `openai` client: each POST to /v1/chat/completions takes the
next behaviour from a queue (or the default one) and records what was sent. Behaviours cover
the ways a server, a proxy or something that is not a model at all gets it wrong: any body with
any status and content type, a hang, a reply far over any size cap (whole or streamed), a slow
drip, and a valid completion that echoes the request's Authorization header.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from agent.llm.openai_backend import OpenAIChatModel
from tests.llm.conftest import completion

# Long enough for any test; a hang or a drip ends sooner when the server stops.
_LONGEST_HANG = 30.0


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def streamed(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def schema_name(self) -> str | None:
        """The name of the structured output asked for, e.g. 'AnalysisOutput'."""
        wanted = self.body.get("response_format") or {}
        return str((wanted.get("json_schema") or {}).get("name") or "") or None


class Exchange:
    """What a behaviour can do with one request: read it, and answer it however it likes."""

    def __init__(self, handler: BaseHTTPRequestHandler, seen: Seen, stopping: threading.Event) -> None:
        self._handler = handler
        self.seen = seen
        self.stopping = stopping

    def start(
        self,
        status: int = 200,
        content_type: str | None = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Send the status line and headers; the body follows until the connection closes."""
        self._handler.send_response(status)
        if content_type is not None:
            self._handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self._handler.send_header(name, value)
        self._handler.end_headers()

    def write(self, data: bytes | str) -> None:
        self._handler.wfile.write(data.encode() if isinstance(data, str) else data)
        self._handler.wfile.flush()


Behaviour = Callable[[Exchange], None]


def body(data: bytes | str, *, status: int = 200, content_type: str | None = "application/json") -> Behaviour:
    """Exactly this body, with this status and content type (None: no Content-Type header)."""

    def answer(exchange: Exchange) -> None:
        exchange.start(status, content_type)
        exchange.write(data)

    return answer


def json_body(value: object, *, status: int = 200) -> Behaviour:
    return body(json.dumps(value), status=status)


def valid(content: str, **options: Any) -> Behaviour:
    """A well-formed completion of `content`, streamed when the request asked for a stream."""

    def answer(exchange: Exchange) -> None:
        if exchange.seen.streamed:
            events([content[i : i + 7] for i in range(0, len(content), 7)])(exchange)
        else:
            json_body(completion(content, **options))(exchange)

    return answer


def events(pieces: list[str], *, finish: str | None = "stop", done: bool = True) -> Behaviour:
    """A server-sent-events stream: one chunk per piece, then the finish and `[DONE]` (each optional)."""

    def answer(exchange: Exchange) -> None:
        exchange.start(content_type="text/event-stream")
        for piece in pieces:
            exchange.write(_event({"choices": [{"index": 0, "delta": {"content": piece}}]}))
        if finish is not None:
            exchange.write(_event({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}))
        if done:
            exchange.write("data: [DONE]\n\n")

    return answer


def hang() -> Behaviour:
    """Accept the request and never answer (until the server stops)."""

    def answer(exchange: Exchange) -> None:
        exchange.stopping.wait(_LONGEST_HANG)

    return answer


def huge(total: int, *, streamed: bool = False, piece: int = 64 * 1024) -> Behaviour:
    """A reply of `total` bytes: one endless JSON string, or a stream of large content chunks."""

    def answer(exchange: Exchange) -> None:
        try:
            if streamed:
                exchange.start(content_type="text/event-stream")
                event = _event({"choices": [{"index": 0, "delta": {"content": "x" * piece}}]})
                for _ in range(total // len(event) + 1):
                    exchange.write(event)
            else:
                exchange.start()
                exchange.write('{"choices": [{"message": {"role": "assistant", "content": "')
                for _ in range(total // piece + 1):
                    exchange.write(b"x" * piece)
        except OSError:
            return  # the client stopped reading, as it should

    return answer


def drip(every: float, *, streamed: bool = True) -> Behaviour:
    """Headers at once, then a few bytes every `every` seconds for as long as the client listens."""

    def answer(exchange: Exchange) -> None:
        try:
            exchange.start(content_type="text/event-stream" if streamed else "application/json")
            exchange.write(": warming up\n\n" if streamed else '{"choices": [')
            until = time.monotonic() + _LONGEST_HANG
            while time.monotonic() < until and not exchange.stopping.wait(every):
                exchange.write(": still here\n\n" if streamed else " ")
        except OSError:
            return

    return answer


def echo_authorization(around: str | Callable[[Seen], str] = "Your key is {key}.") -> Behaviour:
    """A valid completion whose text, model name and request-id header carry the request's key;
    streamed, the key is split across two chunks. `around` is a template with `{key}` in it, or
    a function of the request that gives one."""

    def answer(exchange: Exchange) -> None:
        key = exchange.seen.headers.get("authorization", "").removeprefix("Bearer ")
        template = around(exchange.seen) if callable(around) else around
        text = template.replace("{key}", key)
        if exchange.seen.streamed:
            middle = text.index(key) + len(key) // 2
            exchange.start(content_type="text/event-stream", headers={"x-request-id": key})
            for piece in (text[:middle], text[middle:]):
                exchange.write(_event({"model": key, "choices": [{"index": 0, "delta": {"content": piece}}]}))
            exchange.write(_event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
            exchange.write("data: [DONE]\n\n")
        else:
            exchange.start(headers={"x-request-id": key})
            exchange.write(json.dumps({**completion(text), "model": key}))

    return answer


def _event(chunk: dict[str, Any]) -> str:
    base = {"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": 1, "model": "test-model"}
    return f"data: {json.dumps({**base, **chunk})}\n\n"


@dataclass
class LoopbackModel:
    """The server, its queue of behaviours and what it received. Use it as a context manager."""

    default: Behaviour | None = None
    queue: deque[Behaviour] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="loopback-model",
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.seen)

    def reply(self, *behaviours: Behaviour) -> LoopbackModel:
        with self._lock:
            self.queue.extend(behaviours)
        return self

    def chat(self, **options: Any) -> OpenAIChatModel:
        options.setdefault("timeout", 5.0)
        return OpenAIChatModel(base_url=self.base_url, **options)

    def __enter__(self) -> LoopbackModel:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next(self, seen: Seen) -> Behaviour:
        with self._lock:
            self.seen.append(seen)
            if self.queue:
                return self.queue.popleft()
        if self.default is None:
            raise AssertionError(f"the loopback model has no reply for request {len(self.seen)}")
        return self.default


def _handler_for(model: LoopbackModel) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: the body ends when the connection closes, so behaviours need no Content-Length.
        protocol_version = "HTTP/1.0"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            seen = Seen(headers={k.lower(): v for k, v in self.headers.items()}, body=json.loads(raw))
            if not self.path.endswith("/chat/completions"):
                body("not found", status=404, content_type="text/plain")(Exchange(self, seen, model.stopping))
                return
            model._next(seen)(Exchange(self, seen, model.stopping))

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: tests assert on what was seen, not on a log

    return Handler
