"""`starling rubrics lint`: the quality of a valid rubric, beyond what its schema can check.

A structured interview stands on its question bank: each question asks about one past occasion,
without suggesting the answer or asking two things at once; each gap the interviewer may probe has
a follow-up; each level of each dimension has an anchor to rate against; the topic is declared.
The wording lists live in `lint_words.yaml`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from agent.domain.kit import Kit
from agent.domain.rubric import FollowUp, Question, Rubric
from agent.rubrics import RubricIssue, compose_kit, field_lines, parse_file
from agent.yaml_fields import Location, issue_at

_WORD = re.compile(r"[a-z0-9']+")
# Words that carry no content, left out when questions are compared for near-duplicates.
_FUNCTION = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "about",
        "and",
        "or",
        "but",
        "when",
        "where",
        "what",
        "how",
        "why",
        "who",
        "which",
        "that",
        "this",
        "you",
        "your",
        "yours",
        "me",
        "i",
        "my",
        "we",
        "our",
        "it",
        "its",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "did",
        "do",
        "does",
        "had",
        "has",
        "have",
        "can",
        "could",
        "would",
        "tell",
        "describe",
        "time",
        "times",
        "specific",
        "particular",
        "one",
        "once",
    ]
)
NEAR_DUPLICATE = 0.75  # the share of content words two questions have in common
MIN_QUESTIONS = 12
MIN_PER_DIMENSION = 2


class LintWords(BaseModel):
    """The phrases lint looks for (see lint_words.yaml for what each list means)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    past_occasion: tuple[str, ...] = Field(min_length=1)
    singular: tuple[str, ...] = Field(min_length=1)
    past_verbs: frozenset[str] = Field(min_length=1)
    hypothetical: tuple[str, ...] = Field(min_length=1)
    general: tuple[str, ...] = Field(min_length=1)
    leading: tuple[str, ...] = Field(min_length=1)
    closed_openings: tuple[str, ...] = Field(min_length=1)
    placeholders: tuple[str, ...] = Field(min_length=1)


@cache
def lint_words() -> LintWords:
    path = Path(__file__).with_name("lint_words.yaml")
    return LintWords.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: where it is in the rubric, and what to change."""

    loc: Location
    message: str


def lint(rubric: Rubric, words: LintWords | None = None) -> list[Finding]:
    """Every quality problem of a rubric, in the order of the file."""
    words = words or lint_words()
    found: list[Finding] = []
    found.extend(_placeholders(rubric.model_dump(), (), words))
    if len(rubric.questions) < MIN_QUESTIONS:
        found.append(
            Finding(
                ("questions",),
                f"has {len(rubric.questions)} questions; a bank needs at least {MIN_QUESTIONS}, so that "
                "interviews can vary and no candidate hears the same set twice",
            )
        )
    found.extend(_dimensions(rubric))
    seen: list[tuple[int, frozenset[str], str]] = []
    for index, question in enumerate(rubric.questions):
        loc: Location = ("questions", index)
        found.extend(Finding((*loc, "text"), m) for m in _question_problems(question.text, words))
        found.extend(_repeats(question, index, seen))
        found.extend(_followups(question, loc, words))
    for target, text in rubric.generic_followups.model_dump().items():
        problems = _followup_problems(text, target, words)
        found.extend(Finding(("generic_followups", target), m) for m in problems)
    found.extend(_topic(rubric))
    return found


def _phrase(text: str, phrases: Sequence[str]) -> str | None:
    """The first of `phrases` found in `text` as whole words."""
    padded = " " + " ".join(_WORD.findall(text.lower())) + " "
    return next((p for p in phrases if f" {p} " in padded), None)


def _opens_with(text: str, phrases: Sequence[str]) -> str | None:
    start = " ".join(_WORD.findall(text.lower())) + " "
    return next((p for p in phrases if start.startswith(p + " ")), None)


def _question_problems(text: str, words: LintWords) -> Iterator[str]:
    if (found := _phrase(text, words.hypothetical)) is not None:
        yield f"asks what the candidate would do ('{found}'); ask what they did on one occasion"
    elif (found := _phrase(text, words.general)) is not None:
        yield f"asks about habits or views ('{found}'); ask about one occasion"
    elif _phrase(text, words.past_occasion) is None and not _names_one_past_thing(text, words):
        yield "asks about no particular occasion; ask about one, as in 'Tell me about a time when…'"
    yield from _shared_problems(text, words)


def _names_one_past_thing(text: str, words: LintWords) -> bool:
    tokens = _WORD.findall(text.lower())
    past = any(t in words.past_verbs or (len(t) > 4 and t.endswith("ed")) for t in tokens)
    return past and _phrase(text, words.singular) is not None


def _followup_problems(text: str, probes: str, words: LintWords) -> Iterator[str]:
    # Hindsight ("what would you do differently?") is what a reflection probe asks for.
    if probes != "reflection" and (found := _phrase(text, words.hypothetical)) is not None:
        yield f"asks what the candidate would do ('{found}'); ask about what happened"
    if not text.rstrip().endswith("?"):
        yield "is not a question: end it with a question mark"
    yield from _shared_problems(text, words)


def _shared_problems(text: str, words: LintWords) -> Iterator[str]:
    if text.count("?") > 1:
        yield "asks more than one question; ask one at a time"
    if (found := _opens_with(text, words.closed_openings)) is not None:
        yield f"can be answered yes or no ('{found}…'); ask an open question"
    if (found := _phrase(text, words.leading)) is not None:
        yield f"leads the candidate ('{found}' suggests the answer wanted)"


def _content(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _FUNCTION)


def _repeats(
    question: Question, index: int, seen: list[tuple[int, frozenset[str], str]]
) -> Iterator[Finding]:
    content = _content(question.text)
    for other, other_content, other_id in seen:
        union = content | other_content
        overlap = len(content & other_content) / len(union) if union else 1.0
        if overlap >= NEAR_DUPLICATE:
            same = "repeats" if overlap == 1.0 else "nearly repeats"
            yield Finding(("questions", index, "text"), f"{same} question '{other_id}' (number {other + 1})")
            break
    seen.append((index, content, question.id))


def _followups(question: Question, loc: Location, words: LintWords) -> Iterator[Finding]:
    first: dict[str, int] = {}
    texts: dict[str, int] = {}
    for k, followup in enumerate(question.followups):
        where = (*loc, "followups", k)
        yield from (
            Finding((*where, "text"), m) for m in _followup_problems(followup.text, followup.probes, words)
        )
        if followup.probes in first:
            yield Finding(
                (*where, "probes"),
                f"probes {followup.probes} again; only follow-up {first[followup.probes] + 1} is ever asked",
            )
        first.setdefault(followup.probes, k)
        key = " ".join(_WORD.findall(followup.text.lower()))
        if key in texts:
            yield Finding((*where, "text"), f"repeats follow-up {texts[key] + 1}")
        texts.setdefault(key, k)
    if not _probes_own_step(question.followups):
        yield Finding((*loc, "followups"), "has no follow-up of its own probing action or result")


def _probes_own_step(followups: Sequence[FollowUp]) -> bool:
    return any(f.probes in {"action", "result"} for f in followups)


def _dimensions(rubric: Rubric) -> Iterator[Finding]:
    asked = Counter(q.dimension for q in rubric.questions)
    for index, dimension in enumerate(rubric.dimensions):
        loc: Location = ("dimensions", index)
        count = asked[dimension.id]
        if count < MIN_PER_DIMENSION:
            yield Finding(
                (*loc, "id"),
                f"{count} question(s) gather evidence for dimension '{dimension.id}'; "
                f"give it at least {MIN_PER_DIMENSION}",
            )
        by_text: dict[str, int] = {}
        for level in sorted(dimension.anchors):
            anchor = dimension.anchors[level]
            if len(_WORD.findall(anchor.lower())) < 6:
                yield Finding((*loc, "anchors", level), "is too short to rate an answer against")
            key = " ".join(_WORD.findall(anchor.lower()))
            if key in by_text:
                yield Finding((*loc, "anchors", level), f"reads the same as level {by_text[key]}")
            by_text.setdefault(key, level)


def _topic(rubric: Rubric) -> Iterator[Finding]:
    topic = rubric.topic
    if len(topic.terms) < 10:
        yield Finding(("topic", "terms"), "has fewer than 10 terms: on-topic stories will be missed")
    both = sorted(set(topic.terms) & set(topic.elsewhere))
    for term in both:
        index = topic.elsewhere.index(term)
        yield Finding(("topic", "elsewhere", index), f"'{term}' is also a topic term")


def _placeholders(data: Any, loc: Location, words: LintWords) -> Iterator[Finding]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _placeholders(value, (*loc, key), words)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _placeholders(value, (*loc, index), words)
    elif isinstance(data, str) and (found := _phrase(data, words.placeholders)) is not None:
        yield Finding(loc, f"still holds placeholder text ('{found}')")


def lint_kit(kit: Kit, words: LintWords | None = None) -> list[Finding]:
    """Quality problems of a kit's own text (its rubrics are linted on their own)."""
    words = words or lint_words()
    found = list(_placeholders(kit.model_dump(), (), words))
    said = {int(n) for n in re.findall(r"\b(\d{1,2}) questions\b", kit.opening)}
    if said and said != {kit.question_count}:
        found.append(
            Finding(
                ("opening",),
                f"speaks of {', '.join(map(str, sorted(said)))} questions; the kit asks {kit.question_count}",
            )
        )
    if kit.practice_closing is None:
        found.append(
            Finding(
                ("closing",),
                "there is no practice_closing, so practice ends with the closing's words about a review "
                "by the hiring team; add one",
            )
        )
    return found


def lint_file(path: Path, home: Path | None = None) -> tuple[Rubric | None, list[RubricIssue]]:
    """Validate one rubric or kit file, then lint it: every issue, each at its file and line."""
    parsed, issues = parse_file(path)
    if parsed is None:
        return None, issues
    rubric, issues = compose_kit(parsed, path, home) if isinstance(parsed, Kit) else (parsed, [])
    if rubric is None:
        return None, issues
    findings = lint_kit(parsed) if isinstance(parsed, Kit) else lint(rubric)
    lines = field_lines(path.read_text(encoding="utf-8"))
    return rubric, [issue_at(path, f.loc, f.message, lines) for f in findings]
