"""Declarative clause features for the role model: words, lexicon hits, subject, tense, position.

Everything the model knows about language comes from `data/lexicon.json`; this module only says
which properties of a clause are looked at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
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
)
_NEGATION = frozenset(
    {"not", "never", "no", "didn't", "don't", "couldn't", "wasn't", "weren't", "won't", "can't"}
)


def phrase_hits(tokens: Sequence[str], lex: Lexicon, category: str) -> int:
    """How many entries of a lexicon category occur in the word sequence."""
    return lex.categories(tuple(tokens)).get(category, 0)


def subject_class(tokens: Sequence[str], lex: Lexicon) -> str:
    """Who acts in the clause, from its first subject-like word: i, we, other, passive or none."""
    for i, token in enumerate(tokens[:8]):
        if token in lex.words["subject_i"] or token == "i":
            return "i"
        if token in ("we", "we're", "we've", "we'd", "we'll") or tokens[i : i + 2] in (
            ["the", "team"],
            ["our", "team"],
        ):
            return "we"
        if token in ("he", "she", "they", "someone", "everyone", "nobody") or (
            token in ("my", "the", "our", "her", "his") and i + 1 < len(tokens) and tokens[i + 1] in _PEOPLE
        ):
            return "other"
        if token in ("was", "were", "got", "been") and i + 1 < len(tokens) and _past(tokens[i + 1], lex):
            return "passive"
    return "none"


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


def _past(token: str, lex: Lexicon) -> bool:
    if token in lex.words["irregular_past"]:
        return True
    return len(token) > 4 and token.endswith("ed") and token not in lex.words["not_past_ed"]


def clause_features(spans: Sequence[Span], reply_ends: Set[int] = frozenset()) -> list[list[str]]:
    """The active features of every clause of one answer, in order.

    `reply_ends` holds the indices of clauses that end a reply followed by another (the answer
    to a follow-up). A clause is placed as it stood when it was said: its position counts the
    clauses up to the end of its reply, and the last clause of a reply has no next neighbour. A
    later reply therefore never changes how an earlier one reads.
    """
    lex = lexicon()
    tokens = [span.words for span in spans]
    subjects = [subject_class(t, lex) for t in tokens]
    base = [
        _own_features(t, span.text, subject, lex)
        for t, span, subject in zip(tokens, spans, subjects, strict=True)
    ]
    # What a neighbour sees of a clause: its lexicon hits, and (behind it) its subject.
    hits = [[f for f in feats if f.startswith("lx:")] for feats in base]
    count = len(spans)
    out: list[list[str]] = []
    ends = sorted(reply_ends)
    for index, feats in enumerate(base):
        row = feats.copy()
        said = next((end + 1 for end in ends if end >= index), count)  # clauses said by then
        row.append(f"pos:{min(3, index * 4 // said)}")
        if index == 0:
            row.append("pos:first")
        last = index == said - 1  # the last clause of the answer, or of its reply
        if last:
            row.append("pos:last")
        subject = subjects[index]
        if subject == "none" and index > 0:
            row.append(f"cont:{subjects[index - 1]}")
        if index > 0:
            row.append("p:subj:" + subjects[index - 1])
            row.extend(["p:" + f for f in hits[index - 1]])
        if not last:
            row.extend(["n:" + f for f in hits[index + 1]])
        out.append(row)
    return out


def _own_features(tokens: Sequence[str], text: str, subject: str, lex: Lexicon) -> list[str]:
    # A word token holds a digit only if it starts with one (see text.WORD).
    norm = ["<num>" if t[0].isdecimal() else t for t in tokens]
    feats = ["bias"]
    feats.extend(["w:" + t for t in set(norm)])
    feats.extend(["b:" + a + "_" + b for a, b in set(pairwise(norm))])
    if norm:
        feats.append("f:" + norm[0])
        feats.append("f2:" + "_".join(norm[:2]))
    feats.append("subj:" + subject)
    irregular, not_past, narrative_words = (
        lex.words["irregular_past"],
        lex.words["not_past_ed"],
        lex.words["narrative_present"],
    )
    past = sum(1 for t in tokens if t in irregular or (len(t) > 4 and t.endswith("ed") and t not in not_past))
    narrative = not past and not narrative_words.isdisjoint(tokens)
    feats.append("tense:past" if past else ("tense:narrative" if narrative else "tense:none"))
    if past >= 2:
        feats.append("tense:past2")
    found = lex.categories(tuple(tokens))
    for category in _CATEGORIES:
        hits = found.get(category, 0)
        if hits:
            feats.append("lx:" + category)
            if hits > 1:
                feats.append("lx:" + category + ":2")
    if not _NEGATION.isdisjoint(tokens):
        feats.append("neg")
    if _NUMBER.search(text):
        feats.append("num")
        if found.get("outcome"):
            feats.append("num+outcome")
        if found.get("non_result_number"):
            feats.append("num+context")
    if _PERCENT.search(text):
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
