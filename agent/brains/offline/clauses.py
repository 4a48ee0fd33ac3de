"""Splitting an answer into clauses: sentences, then the joins inside them where the job changes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from agent.brains.offline.text import WORD, Span, sentences, trimmed

_PRONOUN = r"(?:i|we|she|he|they|it|my|our|her|his|their|the|that|this|you|everyone|nobody)"
_BREAK = re.compile(
    r"(?=[,\s])(?:,\s+(?=(?:and|but|so|then|because|which|when|while|until|after|before|although|though|since|"
    r"otherwise|plus|meaning)\b)"
    r"|,\s+(?=" + _PRONOUN + r"\b)"
    r"|,\s+(?=(?:then\s+)?[a-z]{3,}ed\b)"
    r"|\s+(?=(?:and then|but then|so then|which meant|because|until|although|so that|after that|"
    r"and so|but|when|whereupon)\b)"
    r"|\s+(?=(?:and|so|then|when|while)\s+" + _PRONOUN + r"\b)"
    r"|\s+[-–—]+\s+)",
    re.IGNORECASE,
)
_MIN_WORDS = 3


def clauses(cleaned: str) -> list[Span]:
    """Clauses of the cleaned answer, in order, as trimmed spans."""
    out: list[Span] = []
    for sentence in sentences(cleaned):
        out.extend(_split(cleaned, sentence))
    return out


def _split(text: str, sentence: Span) -> list[Span]:
    if len(sentence.words) < 2 * _MIN_WORDS:
        return [sentence]
    # Where each word of the sentence ends, to count the words on each side of a break by offset.
    ends = [m.end() for m in WORD.finditer(text, sentence.start, sentence.end)]
    pieces: list[Span] = []
    start = sentence.start
    for match in _BREAK.finditer(text, sentence.start, sentence.end):
        head_words = bisect_right(ends, match.start()) - bisect_right(ends, start)
        tail_words = len(ends) - bisect_left(ends, match.end() + 1)
        if head_words < _MIN_WORDS or tail_words < _MIN_WORDS:
            continue
        head = trimmed(text, start, match.start())
        if head is not None:
            pieces.append(head)
            start = match.end() if text[match.start()] in ",-–—" or match.group(0).strip() else match.start()
    last = trimmed(text, start, sentence.end)
    if last is not None:
        pieces.append(last)
    return pieces
