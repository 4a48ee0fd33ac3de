"""The offline reader's knowledge: lexicons, injection patterns and model weights, as package data.

Each file is read once, on first use, and validated; the model's hash goes into every analysis.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from agent.domain.roles import CLAUSE_ROLES, ClauseRole
from agent.errors import StarlingError

_PACKAGE = "agent.brains.offline"


class ReaderDataError(StarlingError):
    """The reader's packaged data is damaged; reinstalling Starling restores it."""

    title = "The offline reader's data is damaged"


def _read(name: str) -> bytes:
    return resources.files(_PACKAGE).joinpath("data", name).read_bytes()


def read_data(name: str) -> bytes:
    """The bytes of one of the reader's data files."""
    try:
        return _read(name)
    except OSError as error:
        raise ReaderDataError(f"agent/brains/offline/data/{name} could not be read ({error}).") from error


def _load(name: str) -> Any:
    try:
        return json.loads(_read(name))
    except (OSError, ValueError) as error:
        raise ReaderDataError(f"agent/brains/offline/data/{name} could not be read ({error}).") from error


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """Word and phrase lists by category; phrases are matched on word sequences."""

    words: dict[str, frozenset[str]]
    phrases: dict[str, dict[str, tuple[tuple[str, ...], ...]]]
    # One pass finds every category: single words by the word, longer phrases by their first two.
    singles: dict[str, tuple[str, ...]]
    pairs: dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]]
    # Words a phrase is also found across: "i really wanted" holds "i wanted".
    hedges: frozenset[str]

    def has(self, category: str, word: str) -> bool:
        return word in self.words[category]

    def categories(self, tokens: tuple[str, ...]) -> dict[str, int]:
        """How many entries of each category occur in the word sequence (one per position)."""
        return _categories(self, tokens)


@cache
def lexicon() -> Lexicon:
    raw = _load("lexicon.json")
    words: dict[str, frozenset[str]] = {}
    phrases: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
    for category, entries in raw.items():
        if category.startswith("_"):
            continue
        if not isinstance(entries, list) or not all(isinstance(e, str) and e.strip() for e in entries):
            raise ReaderDataError(f"lexicon category {category!r} must be a list of non-empty strings.")
        words[category] = frozenset(e for e in entries if " " not in e)
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for entry in entries:
            tokens = tuple(entry.lower().split())
            by_first.setdefault(tokens[0], []).append(tokens)
        phrases[category] = {
            first: tuple(sorted(group, key=len, reverse=True)) for first, group in by_first.items()
        }
    singles: dict[str, set[str]] = {}
    pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
    for category, table in phrases.items():
        for first, group in table.items():
            for phrase in group:
                if len(phrase) == 1:
                    singles.setdefault(first, set()).add(category)
                else:
                    pairs.setdefault((phrase[0], phrase[1]), []).append((phrase, category))
    return Lexicon(
        words=words,
        phrases=phrases,
        singles={word: tuple(sorted(cats)) for word, cats in singles.items()},
        pairs={key: tuple(group) for key, group in pairs.items()},
        hedges=words.get("hedge", frozenset()),
    )


@lru_cache(maxsize=8192)
def _categories(lex: Lexicon, tokens: tuple[str, ...]) -> dict[str, int]:
    found = _matches(lex, tokens)
    if not lex.hedges.isdisjoint(tokens):  # a phrase said with a hedge inside it still counts
        plain = tuple(token for token in tokens if token not in lex.hedges)
        for category, count in _matches(lex, plain).items():
            found[category] = max(found.get(category, 0), count)
    return found


def _matches(lex: Lexicon, tokens: tuple[str, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    singles, pairs = lex.singles, lex.pairs
    for seen in filter(None, map(singles.get, tokens)):
        for category in seen:
            found[category] = found.get(category, 0) + 1
    # Longer phrases, where a word and the next open one; most clauses have none.
    for i in [i for i, pair in enumerate(pairwise(tokens)) if pair in pairs]:
        counted = set(singles.get(tokens[i], ()))  # one count per category at each position
        for phrase, category in pairs[tokens[i], tokens[i + 1]]:
            if category not in counted and tokens[i : i + len(phrase)] == phrase:
                counted.add(category)
                found[category] = found.get(category, 0) + 1
    return found


@dataclass(frozen=True, slots=True)
class Gated:
    """A pattern and the words (or characters) one of which any match of it contains.

    The pattern is compiled on first use: most answers need few of them, and compiling them all
    would cost every short-lived `starling analyze` process a tenth of a second.
    """

    source: str
    flags: int
    words: frozenset[str]
    marks: tuple[str, ...]
    extend: bool = False
    # A second, independent gate: any match also holds one of these words (each bounded by word
    # boundaries in the pattern) or one of these pieces of text.
    also_words: frozenset[str] = frozenset()
    also_text: tuple[str, ...] = ()

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.source, self.flags)  # the re module caches compiled patterns

    @property
    def lowered(self) -> re.Pattern[str]:
        """The pattern for lowered text: no pattern names a capital letter, so case need not be
        ignored there, which is much quicker."""
        return re.compile(self.source, self.flags & ~re.IGNORECASE)

    def worth_trying(self, tokens: frozenset[str], text: str) -> bool:
        """Whether the pattern can match `text` (lowered), whose runs of letters and digits are
        `tokens`."""
        if self.words.isdisjoint(tokens) and not any(mark in text for mark in self.marks):
            return False
        if not self.also_words and not self.also_text:
            return True
        return not self.also_words.isdisjoint(tokens) or any(piece in text for piece in self.also_text)


@dataclass(frozen=True, slots=True)
class InjectionPatterns:
    units: tuple[Gated, ...]
    sentences: tuple[Gated, ...]
    continuation: re.Pattern[str]
    addressed: re.Pattern[str]


@cache
def injection_patterns() -> InjectionPatterns:
    raw = _load("injection.json")
    try:
        units = tuple(_gated(u, re.IGNORECASE | re.MULTILINE | re.DOTALL) for u in raw["units"])
        sentences = tuple(_gated(s, re.IGNORECASE) for s in raw["sentences"])
        continuation = re.compile(raw["continuation"], re.IGNORECASE)
        addressed = re.compile(raw["addressed"], re.IGNORECASE)
        if not isinstance(raw["units"], list) or not isinstance(raw["sentences"], list):
            raise TypeError("units and sentences must be lists")
    except (KeyError, TypeError, ValueError, re.error) as error:
        raise ReaderDataError(f"agent/brains/offline/data/injection.json is invalid ({error}).") from error
    return InjectionPatterns(units=units, sentences=sentences, continuation=continuation, addressed=addressed)


def _gated(entry: dict[str, Any], flags: int) -> Gated:
    needs = [str(n).lower() for n in entry["needs"]]
    source = str(entry["pattern"])
    if not source:
        raise ValueError("an empty pattern")
    also = frozenset(str(word).lower() for word in entry.get("also", ()))
    if not all(word.isalnum() for word in also):
        raise ValueError(f"'also' words are letters and digits only: {sorted(also)}")
    return Gated(
        source=source,
        flags=flags,
        extend=bool(entry.get("extend", False)),
        also_words=also,
        also_text=tuple(str(piece).lower() for piece in entry.get("also_text", ())),
        # A needed word is looked for among the answer's runs of letters and digits; anything else
        # ("pre-approved", "{") as a piece of its text.
        words=frozenset(n for n in needs if n.isalnum()),
        marks=tuple(n for n in needs if not n.isalnum()),
    )


@dataclass(frozen=True, slots=True)
class Weights:
    """A linear clause-role model: per-feature integer weights for each role (times `scale`), and
    a bias per role."""

    roles: tuple[ClauseRole, ...]
    bias: tuple[float, ...]
    scale: float
    digest: str
    # Each feature's weights packed into one integer, LANE_BITS per role, so that summing a
    # clause's features is one integer sum instead of one sum per role (see `unpack`).
    packed: dict[str, int]


# Wide enough that no clause can overflow a lane: a clause's features are distinct, so at most
# every feature of the model (fewer than MAX_FEATURES) adds a weight of at most 2**15 to a lane.
# A lane is a 32-bit machine integer, so `unpack` is done by `struct`; narrower lanes make the
# sums quicker.
LANE_BITS = 32
MAX_FEATURES = 2**16


def pack(values: tuple[int, ...]) -> int:
    """Signed integers as lanes of one integer; sums of packed values unpack to sums per lane."""
    return sum(value << (LANE_BITS * lane) for lane, value in enumerate(values))


def unpack(total: int, width: int) -> list[int]:
    """The `width` signed lanes of a sum of packed values (exact while each lane fits its bits).

    Adding 2**(LANE_BITS - 1) to every lane makes every lane a non-negative digit, with no borrow between
    lanes; flipping each lane's top bit back makes the digits the lanes' two's complements.
    """
    offset, lanes = _lanes(width)
    return list(lanes.unpack(((total + offset) ^ offset).to_bytes(lanes.size, "little")))


@cache
def _lanes(width: int) -> tuple[int, struct.Struct]:
    return pack((1 << (LANE_BITS - 1),) * width), struct.Struct(f"<{width}i")


@cache
def weights() -> Weights:
    return parse_weights(_read("weights.json"))


def parse_weights(data: bytes) -> Weights:
    """Weights from the bytes of a weights file, as `scripts/train_reader.py` writes them."""
    try:
        raw = json.loads(data)
        roles = tuple(raw["roles"])
        bias = tuple(float(b) for b in raw["bias"])
        scale = float(raw["scale"])
        matrix = base64.b64decode(raw["weights"], validate=True)
        names = raw["features"]
        if len(matrix) != _WEIGHT_BYTES * len(roles) * len(names):
            raise ValueError("the weight matrix does not match the feature list")
        if len(names) >= MAX_FEATURES:
            raise ValueError(f"more than {MAX_FEATURES - 1} features")
        packed = _packed_rows(matrix, len(roles), names)
    except (KeyError, TypeError, ValueError) as error:
        raise ReaderDataError(f"agent/brains/offline/data/weights.json is invalid ({error}).") from error
    if not set(roles) <= set(CLAUSE_ROLES) or len(bias) != len(roles):
        raise ReaderDataError("agent/brains/offline/data/weights.json names unknown roles.")
    digest = hashlib.sha256(data).hexdigest()[:16]
    return Weights(roles=roles, bias=bias, scale=scale, digest=digest, packed=packed)


# The matrix is one row of little-endian 16-bit signed weights per feature, a weight per role.
_WEIGHT_BYTES = 2
_LANE_BYTES = LANE_BITS // 8
# Flipping a 16-bit weight's sign bit adds 2**15, so every weight reads as unsigned.
_FLIP_SIGN = bytes(byte ^ 0x80 for byte in range(256))


def _packed_rows(matrix: bytes, width: int, names: list[str]) -> dict[str, int]:
    """`pack` of every row, computed a whole matrix at a time rather than a weight at a time.

    Each weight plus 2**15 goes, zero-extended, into a lane of its own, so a row's bytes read as
    one unsigned integer whose lanes are the weights plus 2**15; taking 2**15 off every lane at
    once leaves the packed row.
    """
    lanes = bytearray(len(matrix) // _WEIGHT_BYTES * _LANE_BYTES)
    lanes[0::_LANE_BYTES] = matrix[0::2]
    lanes[1::_LANE_BYTES] = matrix[1::2].translate(_FLIP_SIGN)
    offset = pack((1 << 15,) * width)
    row = width * _LANE_BYTES
    view = memoryview(lanes)
    return {
        name: int.from_bytes(view[i * row : (i + 1) * row], "little") - offset for i, name in enumerate(names)
    }
