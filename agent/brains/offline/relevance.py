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
def _compiled(terms: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    singles: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for term in terms:
        parts = tuple(words(term))  # split as the answer is: "co-workers" is "co workers"
        if len(parts) == 1:
            singles.update(parts[0] + ending for ending in _ENDINGS)
        else:
            phrases.append(parts)
    return frozenset(singles), tuple(phrases)


_PEOPLE = frozenset({"he", "she", "him", "her", "they", "them", "someone", "somebody", "everyone"})


def hits(tokens: Sequence[str], terms: Sequence[str]) -> int:
    """How many words or phrases of the answer are among `terms` (with their inflections)."""
    singles, phrases = _compiled(tuple(terms))
    found = sum(1 for token in tokens if token in singles)
    # A phrase matches its possessive too: "my sister's wedding" has "my sister" in it.
    joined = " " + " ".join(t[:-2] if t.endswith("'s") else t for t in tokens) + " "
    return found + sum(joined.count(" " + " ".join(p) + " ") for p in phrases)


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
    on, elsewhere = hits(tokens, topic.terms), hits(tokens, topic.elsewhere)
    found: Relevance
    if elsewhere > on:
        found = "elsewhere"
    elif on:
        found = "on_topic"
    else:
        found = "served_someone" if any(token in _PEOPLE for token in tokens) else "nobody_served"
    return Fit(found, on, elsewhere)
