"""Declarative clause features for the role model: words, lexicon hits, subject, tense, position.

Everything the model knows about language comes from `data/lexicon.json`; this module only says
which properties of a clause are looked at.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence, Set
from functools import cache
from itertools import pairwise

from agent.brains.offline.resources import Lexicon, lexicon
from agent.brains.offline.text import Span

_NUMBER = re.compile(r"\d")
_PERCENT = re.compile(r"\d\s*%|\bper ?cent\b")
_CATEGORIES = (
    "modal",
    "habit",
    "time_anchor",
    "setting",
    "trigger",
    "goal",
    "constraint",
    "own_action_verbs",
    "vague_action",
    "outcome",
    "vague_outcome",
    "reflection",
    "filler",
    "decline",
    "blame",
    "injection",
    "measure",
    "non_result_number",
    "subject_we",
    "subject_other",
    "explicit_goal",
    "vague_goal",
    "handoff",
    "reported_speech",
    "stative",
    "share",
)
_NEGATION = frozenset(
    {"not", "never", "no", "didn't", "don't", "couldn't", "wasn't", "weren't", "won't", "can't"}
)


def phrase_hits(tokens: Sequence[str], lex: Lexicon, category: str) -> int:
    """How many entries of a lexicon category occur in the word sequence."""
    return lex.categories(tuple(tokens)).get(category, 0)


def subject_class(tokens: Sequence[str], lex: Lexicon) -> str:
    """Who acts in the clause, from its first subject-like word: i, we, other, passive or none."""
    subject_i = lex.words["subject_i"]
    for i, token in enumerate(tokens[:8]):
        if token not in _OPENERS and token not in subject_i:
            continue
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "i" or token in subject_i:
            return "i"
        if token in _WE or (after == "team" and token in ("the", "our")):
            return "we"
        if token in _OTHERS or (token in _DETERMINERS and after in _PEOPLE):
            return "other"
        if token in _PASSIVE and after and _past(after, lex):
            return "passive"
    return "none"


_WE = frozenset({"we", "we're", "we've", "we'd", "we'll"})
_OTHERS = frozenset({"he", "she", "they", "someone", "everyone", "nobody"})
_DETERMINERS = frozenset({"my", "the", "our", "her", "his"})
_PASSIVE = frozenset({"was", "were", "got", "been"})
# The words a subject can start with, besides the lexicon's first-person ones.
_OPENERS = frozenset({"i"}) | _WE | _OTHERS | _DETERMINERS | _PASSIVE
_PEOPLE = frozenset(
    [
        "manager",
        "boss",
        "supervisor",
        "colleague",
        "lead",
        "engineer",
        "technician",
        "team",
        "customer",
        "client",
        "guest",
        "patient",
        "caller",
        "owner",
        "director",
        "rep",
        "agent",
        "nurse",
        "doctor",
        "driver",
        "company",
        "store",
        "bank",
    ]
)


class _PastTense(dict[str, bool]):
    """Whether a word reads as a past-tense verb, worked out once per word."""

    def __init__(self, lex: Lexicon) -> None:
        super().__init__()
        self.irregular = lex.words["irregular_past"]
        self.not_past = lex.words["not_past_ed"]

    def __missing__(self, token: str) -> bool:
        past = token in self.irregular or (
            len(token) > 4 and token.endswith("ed") and token not in self.not_past
        )
        if len(self) < 1 << 16:  # the words of everyday English; a flood of new words is not kept
            self[token] = past
        return past


@cache
def _past_tense(lex: Lexicon) -> _PastTense:
    return _PastTense(lex)


def _past(token: str, lex: Lexicon) -> bool:
    return _past_tense(lex)[token]


_JOINS = frozenset({"and", "then", "also", "but"})


def subject_of(tokens: Sequence[str], lex: Lexicon) -> str:
    """Who acts in a clause as the reader sees it: a clause that opens with its verb ("and checked
    she was fine") names no subject of its own, whatever pronouns come after the verb."""
    return "none" if _verb_first(tokens, lex) else subject_class(tokens, lex)


def _verb_first(tokens: Sequence[str], lex: Lexicon) -> bool:
    """Whether a clause opens (after its joining words) with a past-tense verb."""
    rest = [t for t in tokens[:3] if t not in _JOINS]
    return bool(rest) and _past(rest[0], lex)


def clause_features(spans: Sequence[Span], reply_ends: Set[int] = frozenset()) -> list[list[str]]:
    """The active features of every clause of one answer, in order.

    `reply_ends` holds the indices of clauses that end a reply followed by another (the answer
    to a follow-up). A clause is placed as it stood when it was said: its position counts the
    clauses up to the end of its reply, and the last clause of a reply has no next neighbour. A
    later reply therefore never changes how an earlier one reads.
    """
    lex = lexicon()
    tokens = [span.words for span in spans]
    # A clause that opens with its verb ("and emailed the client") names no subject: the words
    # after the verb are its object (as `subject_of`).
    verb_first = [_verb_first(t, lex) for t in tokens]
    subjects = [
        "none" if first else subject_class(t, lex) for t, first in zip(tokens, verb_first, strict=True)
    ]
    # A clause with no subject of its own continues the last one that had one: in "I rang the
    # depot, pulled the order, and re-sent it", the third clause is still the candidate's.
    carried = list(subjects)
    for index in range(1, len(carried)):
        if carried[index] == "none":
            carried[index] = carried[index - 1]
    found = [lex.categories(t) for t in tokens]
    # What a neighbour sees of a clause: its lexicon hits, and (behind it) its subject.
    hits = [_lexicon_features(f) for f in found]
    count = len(spans)
    out: list[list[str]] = []
    ends = sorted(reply_ends)
    for index, span in enumerate(spans):
        subject = subjects[index]
        row = _own_features(tokens[index], span.text, subject, found[index], hits[index], lex)
        said = next((end + 1 for end in ends if end >= index), count)  # clauses said by then
        row.append(_POSITIONS[min(3, index * 4 // said)])
        if index == 0:
            row.append("pos:first")
        else:
            before = subjects[index - 1]
            if subject == "none":
                row.append("cont:" + carried[index - 1])
                if verb_first[index]:
                    # "and re-sent it": a step whose doer is the last one named.
                    row.append("vp:" + carried[index - 1])
            row.append("p:subj:" + before)
            row.extend(["p:" + f for f in hits[index - 1]])
        if index == said - 1:  # the last clause of the answer, or of its reply
            row.append("pos:last")
        else:
            row.extend(["n:" + f for f in hits[index + 1]])
        out.append(row)
    return out


def reply_ends(spans: Sequence[Span], parts: Sequence[str]) -> frozenset[int]:
    """The indices of the clauses that end a reply another reply follows (joined by a blank line)."""
    starts = [span.start for span in spans]
    ends, boundary = set(), 0
    for part in parts[:-1]:
        boundary += len(part) + 2
        before = bisect_left(starts, boundary)  # the clauses that start in this reply or earlier
        if 0 < before < len(spans):
            ends.add(before - 1)
    return frozenset(ends)


_POSITIONS = ("pos:0", "pos:1", "pos:2", "pos:3")
_LEXICON_FEATURES = {category: ("lx:" + category, "lx:" + category + ":2") for category in _CATEGORIES}


def _lexicon_features(found: dict[str, int]) -> list[str]:
    """A clause's lexicon hits as features: each category it has, and whether it has several."""
    feats: list[str] = []
    for category, hits in found.items():
        named = _LEXICON_FEATURES.get(category)  # only the categories the model looks at
        if named is not None:
            feats.append(named[0])
            if hits > 1:
                feats.append(named[1])
    return feats


def _own_features(
    tokens: Sequence[str], text: str, subject: str, found: dict[str, int], hits: list[str], lex: Lexicon
) -> list[str]:
    # A word token holds a digit only if it starts with one (see text.WORD), so a clause with no
    # digit has nothing to normalise.
    numeric = _NUMBER.search(text) is not None
    norm: Sequence[str] = ["<num>" if t[0].isdecimal() else t for t in tokens] if numeric else tokens
    feats = ["bias"]
    feats.extend(["w:" + t for t in set(norm)])
    feats.extend(map(" ".join, set(pairwise(norm))))  # word pairs: the only features with a space
    if norm:
        feats.append("f:" + norm[0])
        feats.append("f2:" + "_".join(norm[:2]))
    feats.append("subj:" + subject)
    if subject == "i" and (found.get("explicit_goal") or found.get("share")):
        feats.append("i+goal")  # the candidate's own aim, commitment or share of the work
    past = sum(map(_past_tense(lex).__getitem__, tokens))
    if past:
        feats.append("tense:past")
        if past >= 2:
            feats.append("tense:past2")
    elif lex.words["narrative_present"].isdisjoint(tokens):
        feats.append("tense:none")
    else:
        feats.append("tense:narrative")
    feats.extend(hits)
    if not _NEGATION.isdisjoint(tokens):
        feats.append("neg")
    if numeric:
        feats.append("num")
        if found.get("outcome"):
            feats.append("num+outcome")
        if found.get("non_result_number"):
            feats.append("num+context")
    # Every match of _PERCENT holds "%" or "per", and looking for those is much quicker.
    if ("%" in text or "per" in text) and _PERCENT.search(text):
        feats.append("percent")
    if "i" in tokens or "my" in tokens or "me" in tokens:
        feats.append("has:i")
    if "we" in tokens or "our" in tokens or "us" in tokens:
        feats.append("has:we")
    size = len(tokens)
    feats.append("len:short" if size < 5 else ("len:mid" if size < 16 else "len:long"))
    if text.endswith("?"):
        feats.append("question")
    if text[:1] in "[({<" or "{" in text:
        feats.append("bracket")
    if ":" in text[:24]:
        feats.append("heading")
    return feats


def is_filler(tokens: Sequence[str], lex: Lexicon | None = None) -> bool:
    """A clause that carries nothing once hesitations and small talk are taken out.

    Such clauses are set aside before the role model sees the answer, so padding an answer with
    "um, so, you know" changes neither the positions nor the neighbours of the clauses that count.
    """
    lex = lex or lexicon()
    table = lex.phrases["filler"]
    function = lex.words["english_function"]
    i = 0
    while i < len(tokens):
        matched = next((len(p) for p in table.get(tokens[i], ()) if tuple(tokens[i : i + len(p)]) == p), 0)
        if matched:
            i += matched
            continue
        if tokens[i] not in function:
            return False
        i += 1
    return True
