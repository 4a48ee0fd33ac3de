"""The offline STAR reader: grader instructions out, clauses in, learned roles, the guide's rules.

1. Text that instructs the grader is found and blanked, so it is never judged.
2. The rest is split into clauses; a linear model trained on the labelled corpus gives each
   clause a role (scene, own action, outcome, ...).
3. The roles add up to slot statuses, ownership and flags by docs/labelling.md, and the one
   scoring function turns those labels into the 1-5 score. Every quote is verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from agent.brains.offline.clauses import clauses as split_clauses
from agent.brains.offline.features import (
    clause_features,
    is_filler,
    phrase_hits,
    reply_ends,
    subject_of,
)
from agent.brains.offline.injection import blank, injected_spans
from agent.brains.offline.judgement import answer_model, judge
from agent.brains.offline.model import best_role, role_probabilities
from agent.brains.offline.reading import Clause, Reading, read
from agent.brains.offline.relevance import Fit, fit
from agent.brains.offline.resources import Lexicon, lexicon, weights
from agent.brains.offline.text import Span, clean, without_headings, without_markup, words
from agent.domain.roles import ClauseRole
from agent.domain.rubric import Topic
from agent.domain.scoring import AnswerLabels, structural_score
from agent.domain.star import STAR_SLOTS, STATUS_RANK, SlotFinding, StarAnalysis, StarFindings

BRAIN = "offline"
NOT_ENGLISH = (
    "This answer does not look like English; the offline reader reads English only, so it is not scored."
)
_EVIDENCE_CHARS = 300
_DECLINE_MAX_WORDS = 45


def analyze_answer(question: str, replies: Sequence[str] | str, topic: Topic | None = None) -> StarAnalysis:
    """Analyse a candidate's story for one question: every reply so far, oldest first.

    `topic` is the rubric's declaration of what the competency is about; without one, relevance
    is not judged.
    """
    parts = [replies] if isinstance(replies, str) else list(replies)
    found = draft(question, parts, topic)
    if isinstance(found, Unreadable):
        return _not_assessed(found.judged, found.injected, _provenance())
    reading = _story(question, parts, topic, found)
    return _analysis(reading, found.source, declined=found.declined, provenance=_provenance())


def _story(question: str, parts: Sequence[str], topic: Topic | None, found: Draft) -> Reading:
    """The final reading of every reply so far, which never takes back what earlier replies gave.

    An interview hears a story in parts: a part the earlier replies showed stays shown whatever
    the next reply says ("I always put the customer first" after a probe does not undo the
    setting already given). A declined reply is left as it is: the interview moves on from it.
    """
    reading = judge(found.reading, found.clauses, found.fit, declined=found.declined, model=answer_model())
    if len(parts) < 2 or found.declined:
        return reading
    earlier = draft(question, parts[:-1], topic)
    if isinstance(earlier, Unreadable) or earlier.declined:
        return reading
    return held(_story(question, parts[:-1], topic, earlier), reading)


def held(earlier: Reading, now: Reading) -> Reading:
    """`now`, with every slot, ownership and sign of a specific example at least as `earlier` had them.

    Evidence goes with the status it shows; quotes from earlier replies keep their offsets, since
    the replies so far are the start of the text the later reading judged.
    """
    star = dict(now.star)
    evidence = dict(now.evidence)
    for slot in STAR_SLOTS:
        if STATUS_RANK[earlier.star[slot]] > STATUS_RANK[now.star[slot]]:
            star[slot] = earlier.star[slot]
            evidence[slot] = earlier.evidence[slot]
    specific = now.specific_example or earlier.specific_example
    flags = now.red_flags
    if specific and not now.specific_example:
        flags = [flag for flag in flags if flag != "vague_generalities"]
    return replace(
        now,
        star=star,
        evidence=evidence,
        ownership="clear" if "clear" in (earlier.ownership, now.ownership) else now.ownership,
        specific_example=specific,
        quantified_result=now.quantified_result or earlier.quantified_result,
        reflection=now.reflection or earlier.reflection,
        red_flags=flags,
    )


@dataclass(frozen=True, slots=True)
class Draft:
    """The rules' reading of an answer, before the answer model's final call."""

    reading: Reading
    clauses: list[Clause]
    fit: Fit | None
    declined: bool
    source: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An answer the reader cannot read (not English): what is left of it once injected text is out."""

    judged: str
    injected: bool


def draft(question: str, replies: Sequence[str] | str, topic: Topic | None = None) -> Draft | Unreadable:
    """The clauses, their roles and the rules' reading of an answer."""
    parts = [replies] if isinstance(replies, str) else list(replies)
    answer = "\n\n".join(parts)
    cleaned = clean(answer)
    source = answer[: len(cleaned)]
    injections = injected_spans(cleaned)
    judged = judged_text(cleaned, injections)
    every = split_clauses(judged)
    if not looks_english([w for span in every for w in span.words]):
        return Unreadable(judged, bool(injections))
    spans = [span for span in every if not is_filler(span.words)]
    probabilities = role_probabilities(clause_features(spans, reply_ends(spans, parts)))
    found = attributed(spans, probabilities)
    kept = [c for c in found if c.role != "injection"]
    injected = bool(injections) or len(kept) < len(found)
    tokens = [w for c in kept for w in c.span.words]
    counted = sum(len(s.words) for s in every) - sum(
        len(c.span.words) for c in found if c.role == "injection"
    )
    latest_start = max(0, len(judged) - len(parts[-1])) if parts else len(judged)
    latest = [span for span in every if span.start >= latest_start]
    declined = _declined(latest, [c for c in kept if c.span.start >= latest_start])
    if tokens and _gibberish(tokens):
        # Keyboard mashing is a non-answer: nothing in it is a clause of a story.
        kept, tokens = [], []
    found_fit = fit(tokens, topic) if tokens and topic is not None else None
    reading = read(
        kept,
        word_count=counted,
        content_words=len(tokens),
        injected=injected,
        relevance=None if found_fit is None else found_fit.relevance,
        declined=declined,
    )
    return Draft(reading=reading, clauses=kept, fit=found_fit, declined=declined, source=source)


def judged_text(cleaned: str, injections: list[tuple[int, int]]) -> str:
    """What the reader judges of a cleaned answer (same length): grader instructions, formatting
    markup and STAR headings blanked."""
    return without_headings(without_markup(blank(cleaned, injections)))


def _provenance() -> str:
    return f"offline-reader/{weights().digest}+{answer_model().digest}"


_FIRST_SINGULAR = frozenset({"i", "i'm", "i've", "i'd", "i'll", "im", "ive", "me", "my", "myself", "mine"})


def attributed(spans: Sequence[Span], probabilities: Sequence[dict[ClauseRole, float]]) -> list[Clause]:
    """Each clause with its most likely role, except that an own action must be the candidate's
    and a duty the candidate states is their task.

    The guide's own action is a step the candidate personally took: a clause with no "I" (or
    "me", "my") that does not carry on from the candidate's previous step takes its next most
    likely role instead. A clause that says what the candidate was responsible for ("so making
    sure she got her order was my responsibility", often the whole reply to a task probe) is a
    goal, however much its words look like a story's last line or like filler.
    """
    out: list[Clause] = []
    lex = lexicon()
    for span, found in zip(spans, probabilities, strict=True):
        role = best_role(found)
        sure = found[role]
        if role == "own_action" and _FIRST_SINGULAR.isdisjoint(span.words):
            carries_on = bool(out) and out[-1].role == role and subject_of(span.words, lex) == "none"
            if not carries_on:
                role = max((r for r in found if r != "own_action"), key=found.__getitem__)
                sure = found[role]
        elif role in _NOT_A_DUTY and phrase_hits(span.words, lex, "responsibility"):
            # As sure a goal as the model was of the role it had read: the words settle the job.
            role = "goal"
        out.append(Clause(span, role, sure))
    return out


# Roles a clause stating the candidate's duty is never given; a standing duty ("my job was the
# front desk") stays a scene and a creed ("it's my job to dig deeper") a generality.
_NOT_A_DUTY = frozenset({"outcome", "vague_outcome", "filler"})


def _analysis(reading: Reading, source: str, *, declined: bool, provenance: str) -> StarAnalysis:
    star = StarFindings(
        **{slot: _finding(reading.star[slot], reading.evidence[slot], source) for slot in STAR_SLOTS}
    )
    labels = AnswerLabels(
        star=dict(reading.star),
        ownership=reading.ownership,
        specific_example=reading.specific_example,
        quantified_result=reading.quantified_result,
        reflection=reading.reflection,
        red_flags=tuple(reading.red_flags),
        declined=declined,
    )
    score, reasons = structural_score(labels)
    return StarAnalysis(
        star=star,
        ownership=reading.ownership,
        specific_example=reading.specific_example,
        quantified_result=reading.quantified_result,
        reflection=reading.reflection,
        red_flags=reading.red_flags,
        declined=declined,
        score=score,
        rationale=_rationale(reading, reasons),
        word_count=reading.word_count,
        brain=BRAIN,
        model=provenance,
    )


def _not_assessed(judged: str, injected: bool, provenance: str) -> StarAnalysis:
    count = len(words(judged))
    flags = [flag for flag, on in (("prompt_injection", injected), ("too_short", count < 40)) if on]
    missing = SlotFinding(status="missing")
    return StarAnalysis(
        star=StarFindings(situation=missing, task=missing, action=missing, result=missing),
        ownership="unclear",
        specific_example=False,
        quantified_result=False,
        red_flags=flags,
        score=None,
        not_assessed=True,
        rationale=NOT_ENGLISH,
        word_count=count,
        brain=BRAIN,
        notes=[NOT_ENGLISH],
        model=provenance,
    )


def _rationale(reading: Reading, reasons: list[str]) -> str:
    covered = [slot for slot in STAR_SLOTS if reading.star[slot] == "present"]
    text = f"Covers {', '.join(covered) if covered else 'none of the STAR slots'} fully"
    text += (
        "; the candidate's own actions are clear"
        if reading.ownership == "clear"
        else "; the candidate's own part is unclear"
    )
    if reading.quantified_result:
        text += "; the result is measured"
    if reasons:
        text += "; limited by: " + ", ".join(reasons)
    return text + "."


def _finding(status: str, spans: list[Span], source: str) -> SlotFinding:
    if status == "missing":
        return SlotFinding(status="missing")
    quotes: list[str] = []
    for span in spans:
        quote = _quote(source, span)
        if quote and quote not in quotes:
            quotes.append(quote)
        if len(quotes) == 3:
            break
    return SlotFinding(status=status, evidence=quotes)


def _quote(source: str, span: Span) -> str:
    end = span.end
    if end - span.start > _EVIDENCE_CHARS:
        cut = source.rfind(" ", span.start, span.start + _EVIDENCE_CHARS)
        end = cut if cut > span.start else span.start + _EVIDENCE_CHARS
    return source[span.start : end].strip()


def _declined(latest: Sequence[Span], kept: Sequence[Clause]) -> bool:
    """The candidate says they cannot recall an example or will not answer, and tells no story."""
    lex = lexicon()
    # "I can't really think of one" is "I can't think of one": hedges are read past.
    hedges = lex.words["hedge"]
    if not any(_declines(span, hedges, lex) for span in latest):
        return False
    story = sum(1 for c in kept if c.role in ("own_action", "outcome"))
    return sum(len(span.words) for span in latest) <= _DECLINE_MAX_WORDS and story <= 1


def _declines(span: Span, hedges: frozenset[str], lex: Lexicon) -> bool:
    """A clause that says the candidate has no example, hedges read past. "We haven't had a
    complaint since" is no decline: a "never" or "not" told as lasting after the story is a result."""
    found = lex.categories(tuple(w for w in span.words if w not in hedges))
    return bool(found.get("decline")) and not found.get("since")


_VOWEL = re.compile(r"[aeiouy]")
_CONSONANT_RUN = re.compile(r"[^aeiouy]{5,}")


def _gibberish(tokens: Sequence[str]) -> bool:
    alpha = list(filter(str.isalpha, tokens))
    if not alpha:
        return bool(tokens)
    odd = sum(map(_odd, alpha))
    function = sum(map(lexicon().words["english_function"].__contains__, alpha))
    return odd / len(alpha) > 0.4 or (len(alpha) >= 4 and function == 0 and odd >= 2)


@lru_cache(maxsize=1 << 16)
def _odd(word: str) -> bool:
    """A longer word with no vowel or a run of five consonants: keyboard mashing, not English."""
    return len(word) > 3 and (not _VOWEL.search(word) or _CONSONANT_RUN.search(word) is not None)


def looks_english(tokens: Sequence[str]) -> bool:
    """Whether the reader can judge the answer: enough English function words, or so few real
    words that it is gibberish (judged as a non-answer), not another language."""
    if len(tokens) < 8:
        return True
    function_words = lexicon().words["english_function"]
    if sum(map(function_words.__contains__, tokens)) / len(tokens) >= 0.12:
        return True
    wordlike = sum(1 for t in tokens if len(t) > 1 and t.isalpha() and _VOWEL.search(t))
    return wordlike < 0.6 * len(tokens)
