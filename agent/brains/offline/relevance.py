"""Relevance judged against the rubric in use: does the story touch the competency's topic?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from agent.brains.offline.text import words
from agent.domain.rubric import Topic

Relevance = Literal["on_topic", "elsewhere", "served_someone", "nobody_served"]
_ENDINGS = ("", "s", "es", "'s", "s'", "ed", "d", "ing", "er", "ers")


@lru_cache(maxsize=16)
def _compiled(terms: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[str, str, str], ...]]:
    """The single-word terms with their inflections, and each longer term as its first word, its
    last word and " its words "."""
    singles: set[str] = set()
    phrases: list[tuple[str, str, str]] = []
    for term in terms:
        parts = words(term)  # split as the answer is: "co-workers" is "co workers"
        if not parts:
            continue  # punctuation only: no answer word can match it
        if len(parts) == 1:
            singles.update(parts[0] + ending for ending in _ENDINGS)
        else:
            phrases.append((parts[0], parts[-1], " " + " ".join(parts) + " "))
    return frozenset(singles), tuple(phrases)


_PEOPLE = frozenset({"he", "she", "him", "her", "they", "them", "someone", "somebody", "everyone"})


def hits(tokens: Sequence[str], terms: Sequence[str]) -> int:
    """How many words or phrases of the answer are among `terms` (with their inflections)."""
    joined = _joined(tokens)
    return _hits(tokens, joined, frozenset(joined.split()), terms)


def _joined(tokens: Sequence[str]) -> str:
    # A phrase matches its possessive too: "my sister's wedding" has "my sister" in it. Every
    # token is followed by a space here and holds none, so "'s " only ever ends a token.
    return (" " + " ".join(tokens) + " ").replace("'s ", " ")


def _hits(tokens: Sequence[str], joined: str, present: frozenset[str], terms: Sequence[str]) -> int:
    """`present` holds the words of `joined`: a phrase is only counted where its first and last
    words are ("my" starts dozens of them)."""
    singles, phrases = _compiled(tuple(terms))
    found = sum(map(singles.__contains__, tokens))
    return found + sum(
        joined.count(phrase) for first, last, phrase in phrases if first in present and last in present
    )


@dataclass(frozen=True, slots=True)
class Fit:
    """How the answer stands to the rubric's topic, and the counts that decided it."""

    relevance: Relevance
    on_topic_terms: int
    elsewhere_terms: int


def fit(tokens: Sequence[str], topic: Topic) -> Fit:
    """How the answer stands to the rubric's topic (see `Topic`).

    A story whose signs of another subject outnumber its topic terms is about that subject: a
    five-a-side team "bought" a kit, but the story is about the team.
    """
    joined = _joined(tokens)
    present = frozenset(joined.split())
    on = _hits(tokens, joined, present, topic.terms)
    elsewhere = _hits(tokens, joined, present, topic.elsewhere)
    found: Relevance
    if elsewhere > on:
        found = "elsewhere"
    elif on:
        found = "on_topic"
    elif not topic.needs_people or any(token in _PEOPLE for token in tokens):
        # No term, but someone else in the story, or a competency a story alone can show.
        found = "served_someone"
    else:
        found = "nobody_served"
    return Fit(found, on, elsewhere)
