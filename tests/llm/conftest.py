"""LLM-path fixtures: no real model can be reached, an in-memory OpenAI-compatible server, fast time.

Every test here runs with OPENAI_* removed from the environment and with sockets limited to
loopback, so no test can call a paid model by accident, whatever the developer's shell holds.
"""

from __future__ import annotations

import json
import os
import socket
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
import pytest

from agent.llm.openai_backend import OpenAIChatModel
from agent.llm.retry import Retrier, RetryPolicy

if TYPE_CHECKING:
    from tests.llm.loopback import LoopbackModel

SNAPSHOTS = Path(__file__).parent / "snapshots"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
BASE_URL = "http://127.0.0.1:9/v1"


class NetworkBlocked(OSError):
    """A test tried to reach a host other than this machine."""


def _loopback(address: object) -> bool:
    if isinstance(address, str | bytes):  # a Unix socket path
        return True
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host in LOOPBACK or host.startswith("127.")
    return False


@pytest.fixture(autouse=True)
def _no_real_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key, no endpoint from the environment, and no connection beyond loopback."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "STARLING_MODEL"):
        monkeypatch.delenv(name, raising=False)
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if not _loopback(address):
            raise NetworkBlocked(f"tests may not connect to {address!r}")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not _loopback(address):
            raise NetworkBlocked(f"tests may not connect to {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOOPBACK and not name.startswith("127."):
            raise NetworkBlocked(f"tests may not resolve {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


# An in-memory OpenAI-compatible server.

Reply = httpx2.Response | Exception | dict[str, Any] | Callable[[httpx2.Request], httpx2.Response]


def completion(
    content: str | None,
    *,
    finish: str = "stop",
    refusal: str | None = None,
    usage: tuple[int, int, int] | None = (100, 20, 0),
    model: str = "test-model",
) -> dict[str, Any]:
    """A chat.completion body."""
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish,
            }
        ],
    }
    if usage is not None:
        prompt, completion_tokens, cached = usage
        body["usage"] = {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached},
        }
    return body


def sse(
    pieces: list[str], *, finish: str = "stop", usage: tuple[int, int] | None = (100, 20)
) -> httpx2.Response:
    """A streamed chat completion: one chunk per piece, then the finish, then usage."""
    chunks: list[dict[str, Any]] = []
    base = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1, "model": "test-model"}
    for index, piece in enumerate(pieces):
        delta: dict[str, Any] = {"content": piece}
        if index == 0:
            delta["role"] = "assistant"
        chunks.append({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
    chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    if usage is not None:
        chunks.append(
            {
                **base,
                "choices": [],
                "usage": {
                    "prompt_tokens": usage[0],
                    "completion_tokens": usage[1],
                    "total_tokens": sum(usage),
                },
            }
        )
    text = "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks) + "data: [DONE]\n\n"
    return httpx2.Response(200, content=text.encode(), headers={"content-type": "text/event-stream"})


def error(
    status: int, message: str = "boom", headers: dict[str, str] | None = None, **extra: Any
) -> httpx2.Response:
    return httpx2.Response(status, json={"error": {"message": message, **extra}}, headers=headers or {})


@dataclass
class FakeServer:
    """Answers requests from a queue; records each request's JSON body and headers."""

    queue: deque[Reply] = field(default_factory=deque)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def reply(self, *replies: Reply) -> FakeServer:
        self.queue.extend(replies)
        return self

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        self.bodies.append(json.loads(request.content or b"{}"))
        self.headers.append(dict(request.headers))
        if not self.queue:
            raise AssertionError(f"FakeServer has no reply for request {len(self.bodies)}")
        item = self.queue.popleft()
        if isinstance(item, Exception):
            if isinstance(item, httpx2.RequestError):
                item.request = request
            raise item
        if isinstance(item, dict):
            return httpx2.Response(200, json=item)
        if isinstance(item, httpx2.Response):
            return item
        return item(request)

    def client(self) -> httpx2.Client:
        return httpx2.Client(transport=httpx2.MockTransport(self.handler))

    def chat(self, **options: Any) -> OpenAIChatModel:
        options.setdefault("base_url", BASE_URL)
        return OpenAIChatModel(http_client=self.client(), **options)


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def loopback() -> Iterator[LoopbackModel]:
    """A real misbehaving OpenAI-compatible server on 127.0.0.1 (see tests/llm/loopback.py)."""
    from tests.llm.loopback import LoopbackModel

    with LoopbackModel() as model:
        yield model


@dataclass
class FakeTime:
    """A clock that moves only when something sleeps, so retry schedules run instantly."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now

    def retrier(self, **policy: Any) -> Retrier:
        policy.setdefault("jitter", 0.0)
        return Retrier(policy=RetryPolicy(**policy), sleep=self.sleep, clock=self.clock)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def assert_snapshot(name: str, text: str, update: bool) -> None:
    """Compare with tests/llm/snapshots/NAME; write it when missing or when updating."""
    path = SNAPSHOTS / name
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{path.name} changed; review the diff and run with UPDATE_SNAPSHOTS=1 to accept"


@pytest.fixture
def update_snapshots() -> bool:
    return os.environ.get("UPDATE_SNAPSHOTS") == "1"
