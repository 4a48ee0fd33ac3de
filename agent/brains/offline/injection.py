"""Finding text that tries to instruct the grader, so it can be removed before anything is judged."""

from __future__ import annotations

import re

from agent.brains.offline.resources import injection_patterns
from agent.brains.offline.text import clean

_RUN = re.compile(r"[a-z0-9]+")
_SENTENCE_EDGE = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n")
_CLAUSE_EDGE = re.compile(r"[,;:]\s|\s(?:and|but|so|then|um|uh|like)\s", re.IGNORECASE)
# How far a sentence may reach around a match before it is treated as an unpunctuated run-on.
_REACH = 300
_CLAUSE_REACH = 80


def injected_spans(cleaned: str) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of `cleaned` that address the grader, not the interviewer."""
    patterns = injection_patterns()
    lowered = cleaned.lower()
    # The runs of letters and digits ("ten" and "minute" in "ten-minute"), where a pattern's \b falls.
    tokens = frozenset(_RUN.findall(lowered))
    spans: list[tuple[int, int]] = []
    # The lowered text where lowering keeps every offset (a few letters lower to two characters).
    same = len(lowered) == len(cleaned)
    searched = lowered if same else cleaned
    for unit in patterns.units:
        if unit.worth_trying(tokens, lowered):
            for match in (unit.lowered if same else unit.pattern).finditer(searched):
                span = match.span()
                spans.append(_extended(cleaned, span, patterns.continuation) if unit.extend else span)
    units = list(spans)
    for gated in patterns.sentences:
        if not gated.worth_trying(tokens, lowered):
            continue
        for match in (gated.lowered if same else gated.pattern).finditer(searched):
            if any(start <= match.start() and match.end() <= end for start, end in units):
                continue
            quote = _quote_around(cleaned, match.start(), match.end())
            if quote is not None and not patterns.addressed.search(cleaned[quote[0] : quote[1]]):
                continue
            spans.append(_sentence_around(cleaned, match.start(), match.end()))
    return _merged(s for s in spans if s[1] > s[0])


def _extended(text: str, span: tuple[int, int], continuation: re.Pattern[str]) -> tuple[int, int]:
    """A labelled line grown over each following sentence that still addresses the grader."""
    start, end = span
    while (match := continuation.match(text, end)) is not None and match.end() > end:
        end = match.end()
    return start, end


def without_injections(text: str) -> str:
    """`text` with every span that addresses the grader blanked out (same length)."""
    cleaned = clean(text)
    spans = injected_spans(cleaned)
    return blank(text[: len(cleaned)], spans) if spans else text


def blank(cleaned: str, spans: list[tuple[int, int]]) -> str:
    """`cleaned` with the spans replaced by spaces, so offsets still point at the original."""
    if not spans:
        return cleaned
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(cleaned[last:start])
        pieces.append(" " * (end - start))
        last = end
    pieces.append(cleaned[last:])
    return "".join(pieces)


_QUOTE = re.compile(r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|(?<!\w)'[^'\n]{1,400}'(?!\w)")


def _quote_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The quotation the match stands in, if it is someone's quoted words."""
    for match in _QUOTE.finditer(text, max(0, start - 400), min(len(text), end + 400)):
        if match.start() <= start and end <= match.end():
            return match.span()
    return None


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a match; in an unpunctuated run-on, only the nearby clause."""
    before = 0
    for match in _SENTENCE_EDGE.finditer(text, max(0, start - _REACH), start):
        before = match.end()
    after = _SENTENCE_EDGE.search(text, end, min(len(text), end + _REACH))
    if start - before >= _REACH or (after is None and len(text) - end > _REACH):
        return _clause_around(text, start, end)
    return before, after.end() if after else len(text)


def _clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    before = max(0, start - _CLAUSE_REACH)
    for match in _CLAUSE_EDGE.finditer(text, before, start):
        before = match.end()
    after = _CLAUSE_EDGE.search(text, end, min(len(text), end + _CLAUSE_REACH))
    return before, after.start() if after else min(len(text), end + _CLAUSE_REACH)


def _merged(spans: object) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):  # type: ignore[call-overload]
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
