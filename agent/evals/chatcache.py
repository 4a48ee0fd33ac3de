"""Model responses cached on disk, keyed by the exact request, and a replay model that never calls out.

A cache entry is one JSON file holding the request and the response, so the cache can be
committed, reviewed and replayed in CI with no network. Repeats of a case (`--repeat K`) are
separate samples with their own entries; the first run uses the request's key as it is.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from agent.domain.usage import Usage
from agent.evals.errors import CacheMiss, HarnessError
from agent.evals.scope import CASE, SAMPLE
from agent.files import write_private
from agent.llm.protocol import ChatModel, ChatRequest, ChatResponse


def cache_key(request: ChatRequest, sample: int | None = None) -> str:
    """The request's own key for the first sample, suffixed for repeats."""
    which = SAMPLE.get() if sample is None else sample
    key = request.key()
    return key if which == 0 else f"{key}-{which}"


@dataclass
class CacheStats:
    """Hits, misses and writes, and the tokens that were paid for versus served from disk."""

    hits: int = 0
    misses: int = 0
    writes: int = 0
    fresh: Usage = field(default_factory=Usage)
    cached: Usage = field(default_factory=Usage)
    missed_cases: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def hit(self, usage: Usage) -> None:
        with self.lock:
            self.hits += 1
            self.cached = self.cached + usage

    def miss(self, usage: Usage | None = None) -> None:
        with self.lock:
            self.misses += 1
            self.missed_cases.add(CASE.get())
            if usage is not None:
                self.fresh = self.fresh + usage


class ResponseCache:
    """The on-disk store: `<dir>/<key[:2]>/<key>.json`, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> ChatResponse | None:
        path = self.path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise HarnessError(
                f"The cache entry {path} cannot be read: {error}",
                hint="Delete the file; it is recorded again on the next run.",
            ) from error
        try:
            return ChatResponse.model_validate(data["response"])
        except (KeyError, TypeError, ValidationError) as error:
            raise HarnessError(
                f"The cache entry {path} is not a cached response.",
                hint="Delete the file; it is recorded again on the next run.",
            ) from error

    def put(self, key: str, request: ChatRequest, response: ChatResponse) -> None:
        document = {
            "key": key,
            "request": request.model_dump(mode="json"),
            "response": response.model_dump(mode="json"),
        }
        write_private(self.path(key), json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True))


class CachingChatModel:
    """A ChatModel that answers from the cache when it can and records what `inner` answers."""

    def __init__(self, inner: ChatModel, cache_dir: Path) -> None:
        self.inner = inner
        self.cache = ResponseCache(cache_dir)
        self.stats = CacheStats()

    @property
    def name(self) -> str:
        return self.inner.name

    def complete(self, request: ChatRequest) -> ChatResponse:
        key = cache_key(request)
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.hit(cached.usage)
            return cached
        response = self.inner.complete(request)
        self._store(key, request, response)
        return response

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        key = cache_key(request)
        cached = self.cache.get(key)
        if cached is not None:
            self.stats.hit(cached.usage)
            yield cached.content
            yield cached
            return
        for chunk in self.inner.stream(request):
            if isinstance(chunk, ChatResponse):
                self._store(key, request, chunk)
            yield chunk

    def _store(self, key: str, request: ChatRequest, response: ChatResponse) -> None:
        self.stats.miss(response.usage)
        if response.finish_reason in ("stop", "length"):  # errors and refusals are asked again next time
            self.cache.put(key, request, response)
            with self.stats.lock:
                self.stats.writes += 1


class ReplayChatModel:
    """A ChatModel that only replays cached responses; a missing one is a harness failure."""

    def __init__(self, cache_dir: Path, name: str = "replay") -> None:
        self.cache = ResponseCache(cache_dir)
        self.stats = CacheStats()
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def complete(self, request: ChatRequest) -> ChatResponse:
        key = cache_key(request)
        cached = self.cache.get(key)
        if cached is None:
            self.stats.miss()
            raise CacheMiss(key, request.schema_name)
        self.stats.hit(cached.usage)
        return cached

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResponse]:
        response = self.complete(request)
        yield response.content
        yield response
