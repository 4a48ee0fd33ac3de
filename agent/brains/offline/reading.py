"""From clause roles to the answer's labels, by the rules of docs/labelling.md.

The role model says what each clause does; these rules say what that adds up to: slot statuses,
ownership, specificity, a measured result, reflection and red flags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from agent.brains.offline.features import phrase_hits
from agent.brains.offline.relevance import Relevance
from agent.brains.offline.resources import Lexicon, lexicon
from agent.brains.offline.text import Span
from agent.domain.roles import ClauseRole
from agent.domain.star import Ownership, RedFlag, SlotStatus, StarSlot

TOO_SHORT_WORDS = 40
# A slot is `present` only on clauses the role model is sure of: a step or an outcome it reads
# with less confidence than this (or, for outcomes, less than TOGETHER between them) is evidence
# for `partial`. Chosen by cross-validation on the training split (scripts/reader_cv.py).
SURE = 0.6
TOGETHER = 1.0
_DIGIT = re.compile(r"\d")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i'd|i'll|i've|my|me|mine)\b")


@dataclass(frozen=True, slots=True)
class Clause:
    span: Span
    role: ClauseRole
    confidence: float


@dataclass(frozen=True, slots=True)
class Reading:
    """What the clauses of one answer add up to."""

    star: dict[StarSlot, SlotStatus]
    evidence: dict[StarSlot, list[Span]]
    ownership: Ownership
    specific_example: bool
    quantified_result: bool
    reflection: bool
    red_flags: list[RedFlag]
    word_count: int


def read(
    clauses: Sequence[Clause],
    *,
    word_count: int,
    content_words: int,
    injected: bool,
    relevance: Relevance | None,
    declined: bool,
) -> Reading:
    lex = lexicon()
    roles = Counter(c.role for c in clauses)
    on_topic = relevance is None or relevance in ("on_topic", "served_someone")
    by_role: dict[ClauseRole, list[Clause]] = {}
    for clause in clauses:
        by_role.setdefault(clause.role, []).append(clause)
    narrative = sum(
        roles[r] for r in ("scene", "trigger", "own_action", "team_action", "other_action", "outcome")
    )
    speculative = roles["hypothetical"] + roles["generality"]
    specific = (
        narrative >= 2
        and roles["own_action"]
        + roles["team_action"]
        + roles["other_action"]
        + roles["outcome"]
        + roles["trigger"]
        >= 1
        and narrative > speculative
    )
    if declined and not (roles["own_action"] and roles["outcome"]):
        specific = False

    star: dict[StarSlot, SlotStatus] = {}
    evidence: dict[StarSlot, list[Span]] = {}
    scene = by_role.get("scene", []) + by_role.get("trigger", [])
    # A trigger told with its setting ("a lady came into the shop upset") sets the whole scene.
    placed = any(phrase_hits(c.span.words, lex, "setting") for c in by_role.get("trigger", []))
    if roles["trigger"] and (roles["scene"] or placed):
        star["situation"] = "present" if specific else "partial"
    elif scene:
        star["situation"] = "partial"
    else:
        star["situation"] = "missing"
    evidence["situation"] = [c.span for c in scene]

    goals = by_role.get("goal", [])
    explicit = [c for c in goals if _explicit_goal(c.span, lex)]
    star["task"] = "present" if explicit and specific else ("partial" if goals else "missing")
    evidence["task"] = [c.span for c in explicit + [g for g in goals if g not in explicit]]

    own = by_role.get("own_action", [])
    others = by_role.get("team_action", []) + by_role.get("other_action", [])
    own_concrete = [
        c
        for c in own
        if (not phrase_hits(c.span.words, lex, "vague_action") or len(c.span.words) > 12)
        and c.confidence >= SURE
    ]
    if specific and (len(own_concrete) >= 2 or any(len(c.span.words) >= 14 for c in own_concrete)):
        star["action"] = "present"
    elif own or others or roles["hypothetical"]:
        star["action"] = "partial"
    else:
        star["action"] = "missing"
    evidence["action"] = [c.span for c in own + others]

    outcomes = by_role.get("outcome", [])
    vague = by_role.get("vague_outcome", [])
    if specific and _confident(outcomes):
        star["result"] = "present"
    elif outcomes or vague:
        star["result"] = "partial"
    else:
        star["result"] = "missing"
    evidence["result"] = [c.span for c in outcomes + vague]

    # Passing the problem on ("I said I'd get my manager") is not taking it on.
    handled = [c for c in own if not phrase_hits(c.span.words, lex, "handoff")]
    ownership: Ownership = "clear" if handled else "unclear"
    quantified = star["result"] != "missing" and any(_measured(c.span, lex) for c in outcomes)
    reflection = bool(roles["reflection"])

    flags: list[RedFlag] = []
    if any(_blames(c.span, lex) for c in clauses):
        flags.append("blames_customer")
    if not specific and not declined and content_words >= 8:
        flags.append(
            "hypothetical" if roles["hypothetical"] >= max(1, roles["generality"]) else "vague_generalities"
        )
    if specific and not own and not roles["team_action"] and not declined and on_topic:
        flags.append("no_personal_action")
    if injected:
        flags.append("prompt_injection")
    # A real story about something else is off topic; a generic answer only when it shows signs
    # of another subject, since it already falls short on specificity.
    if not on_topic and not declined and (specific or relevance == "elsewhere"):
        flags.append("off_topic")
    if word_count < TOO_SHORT_WORDS:
        flags.append("too_short")
    return Reading(
        star=star,
        evidence=evidence,
        ownership=ownership,
        specific_example=specific,
        quantified_result=quantified,
        reflection=reflection,
        red_flags=flags,
        word_count=word_count,
    )


def _confident(outcomes: Sequence[Clause]) -> bool:
    """Whether the outcomes clearly tell a result: one the model is sure of, or several together."""
    return any(c.confidence >= SURE for c in outcomes) or sum(c.confidence for c in outcomes) >= TOGETHER


def _explicit_goal(span: Span, lex: Lexicon) -> bool:
    """The candidate's own aim or commitment, as opposed to a team goal, a rule or a vague hope."""
    tokens = span.words
    if not _FIRST_PERSON.search(span.text) or not phrase_hits(tokens, lex, "explicit_goal"):
        return False
    # A share of the work or a problem handed over ("it was mine to fix") names the candidate's
    # responsibility, however vague the verb after it.
    return not (
        phrase_hits(tokens, lex, "vague_goal") and len(tokens) < 9 and not phrase_hits(tokens, lex, "share")
    )


def _measured(span: Span, lex: Lexicon) -> bool:
    tokens = span.words
    if _DIGIT.search(span.text):
        return not (phrase_hits(tokens, lex, "non_result_number") and not phrase_hits(tokens, lex, "outcome"))
    return bool(phrase_hits(tokens, lex, "measure") and phrase_hits(tokens, lex, "outcome"))


def _blames(span: Span, lex: Lexicon) -> bool:
    """Contempt in the candidate's own voice; a customer's words reported or quoted are not blame."""
    if not phrase_hits(span.words, lex, "blame") or _negated(span):
        return False
    return not (phrase_hits(span.words, lex, "reported_speech") or '"' in span.text or "' " in span.text)


def _negated(span: Span) -> bool:
    return bool(
        re.search(
            r"\b(?:not|n't|never|wasn't|weren't)\s+(?:being\s+)?(?:\w+\s+)?(?:stupid|unreasonable|"
            r"difficult|ridiculous|their fault|his fault|her fault|clueless|lazy)",
            span.text,
        )
    )
