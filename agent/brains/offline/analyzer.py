"""The offline STAR analyser: deterministic reading of how a candidate told their story.

Each sentence (or clause of a run-on) is read for who acts, in which tense and mood, and what
kind of statement it makes: context, goal, action, outcome, reflection, generality or
hypothesis. Slot statuses, ownership, specificity and flags follow from those readings, and
every evidence quote is a verbatim span of the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from agent.brains.offline import lexicon as lx
from agent.brains.offline.text import Span, clean, sentences, words
from agent.domain.star import (
    RedFlag,
    SlotFinding,
    SlotStatus,
    StarAnalysis,
    StarFindings,
)

BRAIN = "offline"
TOO_SHORT_WORDS = 25
_EVIDENCE_CHARS = 300

_AGENT_VERB = re.compile(
    rf"\b(?P<subject>{lx.SUBJECT}){lx.VERB_GAP}\s+(?P<verb>[a-z]+(?:'[a-z]+)?)(?P<rest>(?:\s+\S+){{0,3}})"
)
# A further verb in the same clause: "I called her, apologised and then offered a refund".
_COORDINATED = re.compile(
    r"(?:,\s*|\band\s+|\bthen\s+|\bso\s+)(?:(?:then|also|just|finally|quickly|\w+ly)\s+)?(?P<verb>[a-z]+)\b"
)
# Someone else acting, or something done in the passive voice: evidence that things were done,
# but not by the candidate. "The team found them a room", "a refund was raised".
_OTHERS_ACT = re.compile(
    r"\b(?:the \w+|they|he|she|[a-z]+ team|management|my (?:manager|boss|colleague|supervisor|lead)|"
    r"(?:was|were|got|been|being))\s+(?:\w+ly\s+|then\s+|also\s+)?(?P<verb>[a-z]+)\b"
)
_NEGATED = re.compile(r"\b(?:didn't|did not|never|couldn't|could not|wasn't|weren't|won't|not)\b")
_WE_ONLY = re.compile(r"^(?:we|us|our|ours|ourselves|the team|my team)$")


@dataclass(slots=True, eq=False)
class Reading:
    """What one sentence does in the story."""

    span: Span
    own_actions: int = 0
    team_actions: int = 0
    other_actions: int = 0
    vague_action: bool = False
    hypothetical: bool = False
    habitual: bool = False
    narrative: bool = False
    anchored: bool = False
    context: int = 0
    task: int = 0
    outcome: int = 0
    vague_outcome: bool = False
    measured: bool = False
    reflection: bool = False
    intention: bool = False
    role: bool = False
    problem: bool = False
    unknown_outcome: bool = False

    @property
    def speculative(self) -> bool:
        return self.hypothetical or self.habitual


@dataclass(slots=True)
class Profile:
    """The readings of a whole answer and the totals the decisions use."""

    readings: list[Reading] = field(default_factory=list)
    word_count: int = 0

    def count(self, predicate: str) -> int:
        return sum(1 for r in self.readings if getattr(r, predicate))


def analyze_answer(question: str, replies: Sequence[str] | str) -> StarAnalysis:
    """Analyse a candidate's story for one question: every reply so far, oldest first."""
    parts = [replies] if isinstance(replies, str) else list(replies)
    latest = parts[-1] if parts else ""
    answer = "\n\n".join(parts)
    cleaned = clean(answer)
    source = answer[: len(cleaned)]  # quotes come from what the candidate wrote, byte for byte
    profile = _read(cleaned)
    declined = _declined(clean(latest), len(parts) > 1)

    specific = _specific(profile)
    situation = _situation(profile, source, specific)
    task = _task(profile, source, specific)
    action = _action(profile, source, specific)
    result = _result(profile, source, specific)
    own = sum(r.own_actions for r in profile.readings if not r.speculative)
    ownership = "clear" if own > 0 else "unclear"
    quantified = result.status != "missing" and any(
        r.measured and (r.outcome or r.vague_outcome) and not r.hypothetical for r in profile.readings
    )
    reflection = profile.count("reflection") > 0
    english = _looks_english(cleaned)
    flags = _flags(question, profile, cleaned, specific=specific, own=own, declined=declined)
    if not english:
        # Judgements about tense, ownership or topic would be guesses on a language it cannot read.
        flags = [flag for flag in flags if flag in ("prompt_injection", "too_short")]
    if declined and not _substantive(action, result):
        specific = False
    notes = (
        [] if english else ["The answer does not look like English; the offline analyser reads English only."]
    )
    star = StarFindings(situation=situation, task=task, action=action, result=result)
    score, rationale = _score(
        star,
        ownership=ownership,
        specific=specific,
        quantified=quantified,
        reflection=reflection,
        flags=flags,
        declined=declined,
    )
    return StarAnalysis(
        star=star,
        ownership=ownership,
        specific_example=specific,
        quantified_result=quantified,
        reflection=reflection,
        red_flags=flags,
        declined=declined,
        score=score,
        rationale=rationale,
        word_count=profile.word_count,
        brain=BRAIN,
        notes=notes,
    )


_CONTINUED = re.compile(
    r"^(?:and |then |so |and then |but |before |after )?(?:\w+ly |then |also |just )?(?P<verb>[a-z]+)\b"
)


def _read(cleaned: str) -> Profile:
    profile = Profile(word_count=len(words(cleaned)))
    previous: Reading | None = None
    for span in sentences(cleaned):
        reading = _read_sentence(span)
        if previous is not None and not (reading.own_actions or reading.team_actions):
            _continue_subject(reading, previous)
        profile.readings.append(reading)
        previous = reading
    return profile


def _continue_subject(reading: Reading, previous: Reading) -> None:
    """A clause that starts with a verb ("...and took the steak back") keeps the earlier subject."""
    match = _CONTINUED.match(reading.span.text)
    if match is None:
        return
    verb = match.group("verb")
    if not _is_past(verb) or verb in lx.STATIVE:
        return
    if previous.own_actions:
        reading.own_actions += 1
    elif previous.team_actions:
        reading.team_actions += 1


def _read_sentence(span: Span) -> Reading:
    text = span.text
    reading = Reading(span=span)
    reading.hypothetical = bool(lx.HYPOTHETICAL.search(text))
    reading.habitual = bool(lx.HABITUAL.search(text)) and not lx.TIME_ANCHOR.search(text)
    reading.anchored = bool(lx.TIME_ANCHOR.search(text))
    tokens = span.words
    past = any(_is_past(token) for token in tokens)
    for match in _AGENT_VERB.finditer(text):
        verb = match.group("verb")
        rest = match.group("rest") or ""
        if verb in lx.STATIVE or verb in {"to", "and", "or", "the", "a"}:
            continue
        if _NEGATED.search(text[max(0, match.start() - 12) : match.start("verb")]):
            continue
        is_past = _is_past(verb)
        is_narrative = verb in lx.NARRATIVE_PRESENT or (
            verb.endswith("s") and verb[:-1] in lx.NARRATIVE_PRESENT
        )
        if not (is_past or is_narrative):
            continue
        if verb.startswith("had") and rest.strip().startswith("to"):
            continue
        subject = match.group("subject")
        if _WE_ONLY.match(subject):
            reading.team_actions += 1
        else:
            reading.own_actions += 1
    if reading.own_actions or reading.team_actions:
        more = sum(
            1
            for m in _COORDINATED.finditer(text)
            if _is_past(m.group("verb")) and m.group("verb") not in lx.STATIVE
        )
        if reading.own_actions:
            reading.own_actions += more
        else:
            reading.team_actions += more
    reading.other_actions = sum(
        1
        for m in _OTHERS_ACT.finditer(text)
        if _is_past(m.group("verb"))
        and m.group("verb") not in lx.STATIVE
        and m.group("verb") not in lx.OUTCOME_VERBS
    )
    reading.vague_action = bool(lx.VAGUE_ACTION.search(text))
    reading.narrative = (past or reading.own_actions + reading.team_actions > 0) and not reading.hypothetical
    reading.context = _count(lx.CONTEXT_SETTING, text) * 2 + (1 if lx.PROBLEM.search(text) and past else 0)
    reading.task = _count(lx.TASK, text)
    reading.intention = bool(lx.INTENTION.search(text))
    reading.role = bool(lx.ROLE.search(text))
    reading.problem = bool(lx.PROBLEM.search(text))
    reading.unknown_outcome = bool(lx.UNKNOWN_OUTCOME.search(text))
    reading.outcome = 0 if reading.unknown_outcome else _count(lx.OUTCOME, text)
    reading.vague_outcome = bool(lx.VAGUE_OUTCOME.search(text))
    reading.measured = any(not lx.NOT_A_MEASURE.match(m.group(0).strip()) for m in lx.NUMBER.finditer(text))
    reading.reflection = bool(lx.REFLECTION.search(text))
    return reading


def _is_past(token: str) -> bool:
    if token in lx.IRREGULAR_PAST:
        return True
    return len(token) > 4 and token.endswith("ed") and token not in lx.PAST_PARTICIPLE_NOT_VERB


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def _specific(profile: Profile) -> bool:
    """A real, particular past occasion rather than habits or what the candidate would do."""
    readings = profile.readings
    if not readings:
        return False
    narrative = sum(1 for r in readings if r.narrative and not r.habitual)
    anchored = profile.count("anchored")
    speculative = sum(1 for r in readings if r.speculative and not r.narrative)
    hypothetical = profile.count("hypothetical")
    actions = sum(r.own_actions + r.team_actions for r in readings if not r.speculative)
    evidence = narrative + 1.5 * anchored + 0.5 * actions
    if narrative == 0 and anchored == 0:
        return False
    if hypothetical >= 2 and hypothetical >= narrative and anchored == 0:
        return False
    return evidence >= 2.5 and evidence > speculative * 1.2


def _situation(profile: Profile, cleaned: str, specific: bool) -> SlotFinding:
    """Context: where the candidate was, who the customer was, what was going on.

    In a told story, what comes before the candidate's first action is usually the scene.
    """
    readings = [r for r in profile.readings if not r.hypothetical]
    cued = [r for r in readings if r.context or r.anchored or r.role]
    scene: list[Reading] = []
    for reading in readings:
        if reading.own_actions or reading.team_actions:
            break
        if reading.narrative and not reading.habitual:
            scene.append(reading)
    evidence = list(dict.fromkeys([*cued, *scene]))
    if specific and (cued or len(scene) >= 1):
        return _finding("present", evidence or readings[:1], cleaned)
    if cued or scene:
        return _finding("partial", evidence, cleaned)
    return SlotFinding(status="missing")


def _task(profile: Profile, cleaned: str, specific: bool) -> SlotFinding:
    """The goal or responsibility, which people mostly imply: their role, what they had to do,
    what they would not let happen, and the problem in front of them."""
    readings = [r for r in profile.readings if not r.hypothetical]
    explicit = [r for r in readings if r.task and not r.habitual]
    intent = [r for r in readings if r.intention and not r.habitual]
    role = [r for r in readings if r.role]
    problem = [r for r in readings if r.problem]
    acted = any(r.own_actions or r.team_actions for r in readings if not r.habitual)
    points = 2 * min(1, len(explicit)) + min(2, len(intent)) + min(1, len(role)) + min(1, len(problem))
    points += 1 if specific and acted else 0
    evidence = list(dict.fromkeys([*explicit, *intent, *role, *problem]))
    if specific and points >= 2:
        return _finding("present", evidence, cleaned)
    if points >= 1:
        return _finding("partial", evidence, cleaned)
    return SlotFinding(status="missing")


def _action(profile: Profile, cleaned: str, specific: bool) -> SlotFinding:
    """What was done: the candidate's own steps first, then the team's or others'."""
    readings = [r for r in profile.readings if not r.speculative]
    done = [r for r in readings if r.own_actions or r.team_actions or r.other_actions]
    concrete = [r for r in done if not r.vague_action or r.own_actions + r.team_actions > 1]
    verbs = sum(r.own_actions + r.team_actions + r.other_actions for r in concrete)
    detailed = any(len(r.span.words) >= 14 and (r.own_actions or r.team_actions) for r in concrete)
    if concrete and (verbs >= 2 or detailed) and specific:
        mine = [r for r in concrete if r.own_actions] + [r for r in concrete if not r.own_actions]
        return _finding("present", mine, cleaned)
    if done:
        return _finding("partial", done, cleaned)
    imagined = [r for r in profile.readings if r.speculative and re.search(r"\b(?:i|we)\b", r.span.text)]
    if imagined:
        return _finding("partial", imagined, cleaned)
    return SlotFinding(status="missing")


_THIRD_PARTY = re.compile(
    r"^(?:\W*(?:and |so |then |in the end,? |eventually,? |after that,? )?)(?:she|he|they|the \w+|his|her|their|"
    r"everything|everyone)\b"
)
_FEELING = re.compile(
    r"\b(?:felt|feel|difficult|hard|stayed with me|cried|upset|stressed|frustrat\w*|worried)\b"
)


def _result(profile: Profile, cleaned: str, specific: bool) -> SlotFinding:
    """How it ended: an explicit outcome, or a closing sentence about what others did next."""
    readings = [r for r in profile.readings if not r.hypothetical and not r.habitual]
    concrete = [r for r in readings if r.outcome]
    if specific and not concrete:
        concrete = [
            r
            for r in readings[-2:]
            if _THIRD_PARTY.match(r.span.text)
            and r.narrative
            and not r.unknown_outcome
            and not (r.own_actions or r.team_actions)
        ]
    if concrete and specific:
        return _finding("present", concrete, cleaned)
    vague = [r for r in profile.readings if (r.vague_outcome or r.outcome) and not r.hypothetical]
    if concrete or vague:
        return _finding("partial", concrete + vague, cleaned)
    return SlotFinding(status="missing")


def _finding(status: SlotStatus, readings: list[Reading], cleaned: str) -> SlotFinding:
    seen: set[int] = set()
    quotes: list[str] = []
    for reading in readings:
        if reading.span.start in seen:
            continue
        seen.add(reading.span.start)
        quotes.append(_quote(cleaned, reading.span))
        if len(quotes) == 3:
            break
    return SlotFinding(status=status, evidence=quotes)


def _quote(cleaned: str, span: Span) -> str:
    """A verbatim quote of a span, cut at a word boundary when it is long."""
    end = span.end
    if end - span.start > _EVIDENCE_CHARS:
        end = cleaned.rfind(" ", span.start, span.start + _EVIDENCE_CHARS)
        end = end if end > span.start else span.start + _EVIDENCE_CHARS
    return cleaned[span.start : end].strip()


def _declined(latest: str, is_followup: bool) -> bool:
    """The candidate says they cannot recall an example, or will not answer."""
    lowered = latest.lower().replace("’", "'")
    if not lx.DECLINE.search(lowered.strip()):
        return False
    profile = _read(lowered)
    story = sum(r.own_actions + r.team_actions for r in profile.readings) + sum(
        1 for r in profile.readings if r.outcome
    )
    limit = 25 if is_followup else 45
    return profile.word_count <= limit or story == 0


def _substantive(action: SlotFinding, result: SlotFinding) -> bool:
    return action.status == "present" or result.status == "present"


def _flags(
    question: str,
    profile: Profile,
    cleaned: str,
    *,
    specific: bool,
    own: int,
    declined: bool,
) -> list[RedFlag]:
    lowered = cleaned.lower().replace("’", "'")
    flags: list[RedFlag] = []
    hypothetical = profile.count("hypothetical")
    habitual = sum(1 for r in profile.readings if r.habitual and not r.hypothetical)
    if any(_blames(r.span.text) for r in profile.readings):
        flags.append("blames_customer")
    if not specific and not declined and hypothetical >= max(1, habitual):
        flags.append("hypothetical")
    elif not specific and not declined and profile.word_count >= 8:
        flags.append("vague_generalities")
    off_topic = _off_topic(question, lowered, profile)
    if own == 0 and specific and not declined and not off_topic:
        flags.append("no_personal_action")
    if lx.INJECTION.search(lowered):
        flags.append("prompt_injection")
    if off_topic and not declined:
        flags.append("off_topic")
    if profile.word_count <= TOO_SHORT_WORDS:
        flags.append("too_short")
    return flags


def _blames(text: str) -> bool:
    for match in lx.BLAME.finditer(text):
        before = text[max(0, match.start() - 20) : match.end()]
        if not re.search(
            r"\b(?:not|n't|never|wasn't|weren't)\s+(?:being\s+)?(?:\w+\s+)?(?:stupid|"
            r"unreasonable|difficult|impossible|ridiculous|their fault|clueless)",
            before,
        ):
            return True
    return False


def _off_topic(question: str, lowered: str, profile: Profile) -> bool:
    """Says nothing about the question's subject: no customers, service or work at all."""
    if profile.word_count < 6:
        return _gibberish(lowered)
    if _gibberish(lowered):
        return True
    if not _looks_english(lowered):
        return False
    hits = len(lx.CUSTOMER_WORDS.findall(lowered))
    question_words = {w for w in words(question.lower()) if len(w) > 4} - {
        "about",
        "there",
        "would",
        "could",
        "describe",
        "example",
        "tell",
    }
    overlap = sum(1 for w in words(lowered) if w in question_words)
    if lx.OFF_TOPIC.search(lowered):
        return hits + overlap <= 1
    return hits + overlap == 0 and profile.word_count >= 12


def _gibberish(lowered: str) -> bool:
    tokens = [w for w in words(lowered) if w.isalpha()]
    if not tokens:
        return bool(lowered.strip())
    odd = sum(
        1 for w in tokens if len(w) > 3 and (not re.search(r"[aeiouy]", w) or re.search(r"[^aeiouy]{5,}", w))
    )
    function = sum(1 for w in tokens if w in lx.ENGLISH_FUNCTION_WORDS)
    return odd / len(tokens) > 0.4 or (len(tokens) >= 4 and function == 0 and odd >= 2)


def _looks_english(cleaned: str) -> bool:
    tokens = words(cleaned.lower())
    if len(tokens) < 8:
        return True
    function = sum(1 for w in tokens if w in lx.ENGLISH_FUNCTION_WORDS)
    return function / len(tokens) >= 0.12


def _score(
    star: StarFindings,
    *,
    ownership: str,
    specific: bool,
    quantified: bool,
    reflection: bool,
    flags: list[RedFlag],
    declined: bool,
) -> tuple[int, str]:
    """A 1-5 estimate of the answer as evidence, with the reasons written first."""
    if declined:
        return 1, "The candidate could not give an example, so there is nothing to assess."
    if "off_topic" in flags:
        return 1, "The answer does not address the question."
    sit, task, act, res = (star.status(slot) for slot in ("situation", "task", "action", "result"))
    reasons: list[str] = []
    if not specific:
        reasons.append("no specific past example")
        score = 2 if act != "missing" or "too_short" not in flags else 1
    elif "blames_customer" in flags:
        reasons.append("the customer is blamed")
        score = 2
    elif act == "missing":
        reasons.append("no actions described")
        score = 2
    elif res == "missing":
        reasons.append("no outcome")
        score = 3 if act == "present" and sit == "present" and ownership == "clear" else 2
    elif ownership == "unclear":
        reasons.append("the candidate's own part is unclear")
        score = 3
    elif "partial" in (act, res):
        reasons.append(
            "vague " + " and ".join(s for s, v in (("actions", act), ("outcome", res)) if v == "partial")
        )
        score = 3
    elif sit == "present" and task == "present" and (quantified or reflection or task == "present"):
        score = 5
    else:
        reasons.append("thin context")
        score = 4
    if "too_short" in flags and score > 2 and not (sit == act == res == "present"):
        reasons.append("too short to judge")
        score = 2
    covered = [slot for slot in ("situation", "task", "action", "result") if star.status(slot) == "present"]
    summary = f"Covers {', '.join(covered) if covered else 'none of the STAR slots'} fully"
    if ownership == "clear":
        summary += "; the candidate's own actions are clear"
    else:
        summary += "; the candidate's own part is unclear"
    if quantified:
        summary += "; the result is measured"
    if reasons:
        summary += "; limited by: " + ", ".join(reasons)
    return score, summary + "."
