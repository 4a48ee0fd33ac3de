"""Text handling for the offline analyser: clean copies that keep offsets, sentences and clauses.

Every span refers to offsets in the original answer, so evidence quoted from a span is always a
verbatim substring of what the candidate wrote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

# Answers beyond this many characters are analysed on their first part only; the rest is still
# stored in the transcript. 200,000 characters is far beyond any spoken answer.
MAX_ANALYSED_CHARS = 200_000

_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# Control, format, private-use and surrogate characters (Unicode category C), except tab and newline.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ue000-\uf8ff\ud800-\udfff"
    "\U000f0000-\U0010ffff]"
)
# The leading lookahead lets the engine skip every position that cannot end a sentence before it
# tries the abbreviation lookbehinds (ten times faster on a typical answer).
_SENTENCE_END = re.compile(
    r"""(?=[.!?…;\n])(?:(?<!\b[A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\betc)"""
    r"""(?<!\bvs)[.!?…]+["'”’)\]]*(?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*•·]|\d+[.)])\s)|;\s)"""
)
# A word is letters with inner apostrophes, or a number. The first branch is the same for plain
# lowercase words, only quicker: it gives way to the general one at any other letter.
WORD = re.compile(
    r"(?=[^\W_])(?:[a-z]++(?:'[a-z]++)*+(?![^\W\d_]|['’][^\W\d_])"
    r"|[^\W\d_]++(?:['’][^\W\d_]++)*+|\d++(?:[.,:]\d++)*+%?)"
)


class _SpanFields(NamedTuple):
    start: int
    end: int
    text: str
    words: tuple[str, ...]


class Span(_SpanFields):
    """A piece of the answer: its offsets in the original text, its cleaned, lowered text and
    that text's words (every span's words are looked at, so they are found when it is made).

    A tuple, because an answer makes dozens of spans and a tuple is the quickest to make.
    """

    __slots__ = ()

    def __new__(cls, start: int, end: int, text: str, words: tuple[str, ...] | None = None) -> Span:
        # The text is already lowered, with plain apostrophes; `words` are its words if known.
        return tuple.__new__(cls, (start, end, text, tuple(WORD.findall(text)) if words is None else words))


_WORD_SPLIT = re.compile("(" + WORD.pattern + ")")


@dataclass(frozen=True, slots=True)
class Words:
    """A text's words found in one pass, and where each ends: any span's words are a slice."""

    lowered: str  # the text lowered, with plain apostrophes, at the same offsets
    words: list[str]
    ends: list[int]

    def within(self, start: int, end: int) -> tuple[str, ...]:
        # No span boundary falls inside a word, so a span holds the words that end inside it.
        return tuple(self.words[bisect_right(self.ends, start) : bisect_right(self.ends, end)])


def words_of(cleaned: str) -> Words | None:
    """The words of `cleaned`, or None where lowering it would move its offsets (a few letters
    lower to two characters)."""
    lowered = cleaned.lower().replace("’", "'")
    if len(lowered) != len(cleaned):
        return None
    parts = _WORD_SPLIT.split(lowered)  # what lies between words, then a word, and so on
    return Words(lowered, parts[1::2], list(accumulate(map(len, parts)))[1::2])


def clean(text: str) -> str:
    """A copy of `text` with the same length, escape sequences and control characters blanked.

    Keeping the length means offsets found in the clean copy point at the same characters in
    the original, so quotes stay verbatim.
    """
    text = text[:MAX_ANALYSED_CHARS]
    text = _ESCAPE_SEQUENCE.sub(_blank, text)
    return _INVISIBLE.sub(_blank, text)


# "Situation:", "**Result** -" and the like: a heading says nothing about the story under it.
_HEADING = re.compile(
    r"(?im)(?:^|(?<=[.!?]\s))[ \t]*(?:[-*•#>]+[ \t]*)?(?:\*\*)?(?:the[ \t]+)?(?:situation|task|tasks|action|actions|"
    r"result|results|outcome|outcomes|context|background|challenge|problem|approach|learning|learnings|"
    r"reflection|lesson|lessons|s|t|a|r)(?:\*\*)?[ \t]*(?:\([^)\n]{0,20}\))?[ \t]*[:\-–—](?:\*\*)?"
)


def without_headings(cleaned: str) -> str:
    """`cleaned` with STAR-style headings blanked (same length), so they earn nothing."""
    return _HEADING.sub(_blank, cleaned)


# Formatting markup pasted with an answer: HTML tags and console or forum style tags ("[bold]",
# "[/red]", "[url=...]"). Its letters are not words of the story ("<i>" is not the candidate).
# Only formatting tags: "[laughs]", "[company name]" and "<system>" are left to be read.
_MARKUP = re.compile(
    r"</?(?:b|i|u|s|em|strong|small|big|mark|del|ins|sub|sup|code|pre|p|br|hr|div|span|font|a|h[1-6]|"
    r"ul|ol|li|blockquote|tt|strike|center)\b"
    r"(?:\s+[a-z-]+(?:\s*=\s*(?:\"[^\"<>\n]*\"|'[^'<>\n]*'|[^\s\"'<>]+))?)*\s*/?>"
    r"|\[/?(?:(?:bold|b|italic|i|underline|u|strike|s|dim|blink|reverse|conceal|code|quote|url|link|"
    r"colou?r|size|font|not)(?:\s+[a-z_]+)*(?:=[^\]\n]{0,200})?"
    r"|(?:bright_)?(?:red|green|blue|yellow|magenta|cyan|white|black|grey|gray|orange|purple)"
    r"(?:\s+on\s+\w+)?|on\s+\w+|#[0-9a-f]{3,6})\]|\[/\]",
    re.IGNORECASE,
)


def without_markup(cleaned: str) -> str:
    """`cleaned` with formatting tags blanked (same length), so wrapping an answer in them changes nothing."""
    if "<" not in cleaned and "[" not in cleaned:
        return cleaned
    return _MARKUP.sub(_blank, cleaned)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def sentences(cleaned: str, found: Words | None = None) -> list[Span]:
    """Sentences (and paragraph or bullet breaks), as trimmed spans of the cleaned text, whose
    words (`words_of`) may be known."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(cleaned):
        span = trimmed(cleaned, start, match.end(), found)
        if span is not None:
            spans.append(span)
        start = match.end()
    last = trimmed(cleaned, start, len(cleaned), found)
    if last is not None:
        spans.append(last)
    return spans


_ALNUM = re.compile(r"[^\W_]")  # a letter or digit: a word character other than "_"


def trimmed(text: str, start: int, end: int, found: Words | None = None) -> Span | None:
    """The span of `text[start:end]` without surrounding space and list or clause punctuation."""
    while start < end and (text[start].isspace() or text[start] in ",;:-–—*•·"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end or _ALNUM.search(text, start, end) is None:
        return None
    if found is None:
        return Span(start, end, text[start:end].lower().replace("’", "'"))
    return Span(start, end, found.lowered[start:end], found.within(start, end))
