"""Evidence quotes found in place in a candidate's words, for highlighting in the reviewer's transcript.

The evaluation keeps a quote when it appears in the answers up to white space, so it is found here
the same way. The candidate's text is never parsed as markup: it is cut at the quotes and each
piece is shown literally, controls made visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content

from agent.domain.evaluation import Evaluation, EvidenceClaim
from agent.domain.transcript import Transcript
from agent.ui.literal import literal

HIGHLIGHT = "bold underline $text-warning on $warning-muted"
TAG = "italic $text-muted"


@dataclass(frozen=True)
class Quote:
    question_id: str
    claim: EvidenceClaim
    text: str


@dataclass(frozen=True)
class Span:
    """Characters `start:end` of a turn that the evaluation quotes, and what for."""

    start: int
    end: int
    claims: tuple[EvidenceClaim, ...]


def quotes(evaluation: Evaluation) -> list[Quote]:
    return [
        Quote(question.question_id, item.claim, item.quote)
        for question in evaluation.questions
        for item in question.evidence
    ]


def pattern(quote: str) -> re.Pattern[str] | None:
    """A pattern for the quote's words with any white space between them; None for a blank quote."""
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words)) if words else None


def find_spans(text: str, found: Iterable[Quote]) -> list[Span]:
    """Where the quotes occur in `text`, overlapping ones merged, in order."""
    raw: list[Span] = []
    for quote in found:
        compiled = pattern(quote.text)
        if compiled is None:
            continue
        for match in compiled.finditer(text):
            raw.append(Span(match.start(), match.end(), (quote.claim,)))
    raw.sort(key=lambda span: (span.start, span.end))
    merged: list[Span] = []
    for span in raw:
        last = merged[-1] if merged else None
        if last is not None and span.start <= last.end:
            claims = last.claims + tuple(c for c in span.claims if c not in last.claims)
            merged[-1] = Span(last.start, max(last.end, span.end), claims)
        else:
            merged.append(span)
    return merged


def highlighted(text: str, spans: list[Span], *, tags: bool = True) -> Content:
    """The text shown literally, quoted spans highlighted and followed by what they evidence."""
    parts: list[Content] = []
    position = 0
    for span in spans:
        start, end = max(span.start, position), min(span.end, len(text))
        if start >= end:
            continue
        parts.append(literal(text[position:start]))
        parts.append(literal(text[start:end], HIGHLIGHT))
        if tags:
            parts.append(Content.styled(f" ‹{', '.join(span.claims)}›", TAG))
        position = end
    parts.append(literal(text[position:]))
    return Content.assemble(*parts)


def turn_spans(transcript: Transcript) -> dict[int, list[Span]]:
    """For each candidate turn (by seq), the evidence spans found in it.

    A quote is looked for in the answers to its own question; one found nowhere there is looked
    for in every answer, as the evaluation's grounding check does.
    """
    evaluation = transcript.evaluation
    answers = [t for t in transcript.turns if t.role == "candidate"]
    if evaluation is None:
        return {}
    all_quotes = quotes(evaluation)
    own: dict[int, list[Quote]] = {}
    placed: set[Quote] = set()
    for turn in answers:
        mine = [q for q in all_quotes if q.question_id == turn.question_id]
        own[turn.seq] = mine
        placed.update(q for q in mine if find_spans(turn.text, [q]))
    strays = [q for q in all_quotes if q not in placed]
    return {turn.seq: find_spans(turn.text, own[turn.seq] + strays) for turn in answers}
