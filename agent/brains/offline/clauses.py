"""Splitting an answer into clauses: sentences, then the joins inside them where the job changes."""

from __future__ import annotations

import re
from functools import cache

from agent.brains.offline.resources import lexicon
from agent.brains.offline.text import Span, Words, sentences, trimmed, words_of

_PRONOUN = r"(?:i|we|she|he|they|it|my|our|her|his|their|the|that|this|you|everyone|nobody)"
# A break is a comma before a joining word, a pronoun or a past-tense verb ("-ed", or, after an
# aim, one of the lexicon's irregular past verbs that is not a state of mind: "I said I would have
# it by four, rang the depot"); or a space before a joining phrase, or before "and", "so" or
# "then" and a pronoun; or a dash. The two openings are tried once each, so the engine does not
# retry the same run of spaces for every branch.
_BREAK_SOURCE = (
    r"(?=[,\s])(?:,\s++(?=(?:(?:and|but|so|then|because|which|when|while|until|after|before|although|"
    r"though|since|otherwise|plus|meaning)\b)"
    r"|" + _PRONOUN + r"\b"
    r"|(?:then\s+)?(?:[a-z]{3,}ed|(?P<irregular>{irregular}))\b)"
    r"|\s++(?:(?=(?:and then|but then|so then|which meant|because|until|although|so that|after that|"
    r"and so|but|when|whereupon)\b"
    r"|(?:and|so|then|when|while)\s+" + _PRONOUN + r"\b)"
    r"|[-–—]+\s++))"
)


@cache
def _breaks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The break pattern for the lowered text, where case need not be ignored (much quicker), and
    for the text itself, when lowering would move its offsets (a few letters lower to two)."""
    words = lexicon().words
    verbs = sorted(words["irregular_past"] - words["stative"], key=lambda verb: (-len(verb), verb))
    source = _BREAK_SOURCE.replace("{irregular}", "|".join(map(re.escape, verbs)))
    return re.compile(source), re.compile(source, re.IGNORECASE)


_MIN_WORDS = 3
_AIMS = frozenset({"goal", "explicit_goal"})


def clauses(cleaned: str) -> list[Span]:
    """Clauses of the cleaned answer, in order, as trimmed spans."""
    found = words_of(cleaned)
    out: list[Span] = []
    for sentence in sentences(cleaned, found):
        out.extend(_split(cleaned, sentence, found))
    return out


def _split(text: str, sentence: Span, found: Words | None) -> list[Span]:
    total = len(sentence.words)
    if total < 2 * _MIN_WORDS:
        return [sentence]
    lowered, any_case = _breaks()
    pattern, searched = (any_case, text) if found is None else (lowered, found.lowered)
    pieces: list[Span] = []
    start = sentence.start
    said = 0  # the words of the pieces already cut off; no word spans a break
    for match in pattern.finditer(searched, sentence.start, sentence.end):
        head = trimmed(text, start, match.start(), found)
        head_words = 0 if head is None else len(head.words)
        if head is None or head_words < _MIN_WORDS or total - said - head_words < _MIN_WORDS:
            continue
        if match.group("irregular") is not None and not _AIMS.intersection(lexicon().categories(head.words)):
            continue  # "I rang the depot, found the pallet": one run of steps
        pieces.append(head)
        said += head_words
        start = match.end() if text[match.start()] in ",-–—" or match.group(0).strip() else match.start()
    last = trimmed(text, start, sentence.end, found)
    if last is not None:
        pieces.append(last)
    return pieces
