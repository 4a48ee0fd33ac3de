"""The answer model: the labels a careful reader gives, learned from the clauses and the rules.

The guide's rules (reading.py) turn clause roles into labels one threshold at a time. Labellers
weigh the whole answer: how many steps, how sure each one reads, what the rules concluded, how
much of the story touches the rubric's topic. A small linear model per label, trained by
`scripts/train_reader.py` on out-of-fold clause roles of the training split, makes that final
call for the four slots and ownership, and adds off_topic. Its weights are data (`data/answer.json`).

It only ever chooses among what the answer supports: a slot with no clause that could be its
evidence stays `missing`, a situation without its setting is at most `partial`, ownership is `clear` only when the candidate took a step, and the model
may add off_topic (only when relevance was judged and the candidate did not decline) but never
takes away the rules' plain signs of another subject.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from agent.brains.offline.features import phrase_hits
from agent.brains.offline.reading import Clause, Reading
from agent.brains.offline.relevance import Fit
from agent.brains.offline.resources import ReaderDataError, lexicon, read_data
from agent.domain.roles import CLAUSE_ROLES, ClauseRole
from agent.domain.star import STAR_SLOTS, RedFlag, SlotStatus

# What the model decides, and the values each may take.
DECIDED: dict[str, tuple[str, ...]] = {
    "situation": ("missing", "partial", "present"),
    "task": ("missing", "partial", "present"),
    "action": ("missing", "partial", "present"),
    "result": ("missing", "partial", "present"),
    "ownership": ("clear", "unclear"),
    "off_topic": ("no", "yes"),
}
# Roles the model looks at. Filler and injected text are never evidence, so more of them can
# never move a label.
_COUNTED: tuple[ClauseRole, ...] = tuple(r for r in CLAUSE_ROLES if r not in ("injection", "filler"))
# Each counted role's feature names: how many clauses have it (0 to 3 or more), their summed and
# their highest confidence.
_ROLE_FEATURES = {
    role: (tuple(f"n:{role}:{n}" for n in range(4)), f"sum:{role}", f"max:{role}") for role in _COUNTED
}
_SLOT_ROLES: dict[str, tuple[ClauseRole, ...]] = {
    "situation": ("scene", "trigger"),
    "task": ("goal",),
    "action": ("own_action", "team_action", "other_action", "hypothetical"),
    "result": ("outcome", "vague_outcome"),
}


@dataclass(frozen=True, slots=True)
class LinearLabel:
    values: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def decide(self, features: Mapping[str, float], allowed: Sequence[str]) -> str:
        get = self.weights.get
        rows = [(row, value) for name, value in features.items() if (row := get(name)) is not None]
        # Each score adds up its terms in the features' order, as it always has.
        scores: list[float] = []
        for index, score in enumerate(self.bias):
            for row, value in rows:
                score += row[index] * value
            scores.append(score)
        best = max((s, v) for s, v in zip(scores, self.values, strict=True) if v in allowed)
        return best[1]


@dataclass(frozen=True, slots=True)
class AnswerModel:
    labels: Mapping[str, LinearLabel]
    digest: str


def answer_features(clauses: Sequence[Clause], reading: Reading, fit: Fit | None) -> dict[str, float]:
    """What the answer model sees of one answer (training and inference share this function)."""
    features: dict[str, float] = {"bias": 1.0}
    confidences: dict[str, list[float]] = {}
    for clause in clauses:
        confidences.setdefault(clause.role, []).append(clause.confidence)
    for role, (counts, total, most) in _ROLE_FEATURES.items():
        sure = confidences.get(role, [])
        features[counts[min(len(sure), 3)]] = 1.0
        features[total] = min(3.0, sum(sure))
        features[most] = max(sure, default=0.0)
    for slot in STAR_SLOTS:
        features[f"rule:{slot}:{reading.star[slot]}"] = 1.0
    features[f"specific:{reading.specific_example}"] = 1.0
    features[f"ownership:{reading.ownership}"] = 1.0
    if fit is None:
        features["relevance:none"] = 1.0
    else:
        features[f"relevance:{fit.relevance}"] = 1.0
        features[f"on:{min(fit.on_topic_terms, 4)}"] = 1.0
        features[f"elsewhere:{min(fit.elsewhere_terms, 3)}"] = 1.0
        features["on-elsewhere"] = float(max(-3, min(3, fit.on_topic_terms - fit.elsewhere_terms)))
    return features


def judge(
    reading: Reading, clauses: Sequence[Clause], fit: Fit | None, *, declined: bool, model: AnswerModel
) -> Reading:
    """The rules' reading with the answer model's final call on the slots, ownership and off_topic."""
    features = answer_features(clauses, reading, fit)
    roles = {c.role for c in clauses}
    star: dict[str, SlotStatus] = {}
    # The guide's situation is `present` only with its setting named: a scene, or a trigger told
    # with its setting ("a builder came back to the returns desk").
    lex = lexicon()
    situated = "scene" in roles or any(
        c.role == "trigger" and phrase_hits(c.span.words, lex, "setting") for c in clauses
    )
    decidable = open_labels(roles)
    for slot in STAR_SLOTS:
        allowed = DECIDED[slot] if slot in decidable else ("missing",)
        if slot == "situation" and not situated:
            allowed = allowed[:2]
        star[slot] = model.labels[slot].decide(features, allowed)  # type: ignore[assignment]
    own = "ownership" in decidable
    ownership = model.labels["ownership"].decide(features, DECIDED["ownership"] if own else ("unclear",))
    flags: list[RedFlag] = list(reading.red_flags)
    # The rules raise off_topic only on plain signs (a story about something else, nobody served);
    # the model adds the stories that touch the topic in words but not in substance.
    if (
        "off_topic" not in flags
        and fit is not None
        and not declined
        and model.labels["off_topic"].decide(features, ("no", "yes")) == "yes"
    ):
        # Flags keep the rules' order, where off_topic comes just before too_short.
        flags.insert(len(flags) - ("too_short" in flags), "off_topic")
    return replace(
        reading,
        star=star,  # type: ignore[arg-type]
        ownership=ownership,  # type: ignore[arg-type]
        quantified_result=reading.quantified_result and star["result"] != "missing",
        red_flags=flags,
    )


def open_labels(roles: set[ClauseRole]) -> set[str]:
    """The slots and ownership the model may decide, given the roles of an answer's clauses: a slot
    with no clause that could be its evidence is `missing`, and ownership is `unclear` when the
    candidate took no step, whatever the model says. It is trained only where it decides."""
    found: set[str] = {slot for slot in STAR_SLOTS if not roles.isdisjoint(_SLOT_ROLES[slot])}
    if "own_action" in roles:
        found.add("ownership")
    return found


@cache
def answer_model() -> AnswerModel:
    return parse_answer_model(read_data("answer.json"))


def parse_answer_model(data: bytes) -> AnswerModel:
    """The answer model from the bytes of its file, as `scripts/train_reader.py` writes it."""
    try:
        raw: Any = json.loads(data)
        labels: dict[str, LinearLabel] = {}
        for name, values in DECIDED.items():
            entry = raw["labels"][name]
            if tuple(entry["values"]) != values:
                raise ValueError(f"{name} decides {entry['values']}, not {list(values)}")
            bias = tuple(float(b) for b in entry["bias"])
            weights = {str(f): tuple(float(w) for w in row) for f, row in entry["weights"].items()}
            if len(bias) != len(values) or any(len(row) != len(values) for row in weights.values()):
                raise ValueError(f"{name} has weights of the wrong width")
            labels[name] = LinearLabel(values=values, bias=bias, weights=weights)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReaderDataError(f"agent/brains/offline/data/answer.json is invalid ({error}).") from error
    return AnswerModel(labels=labels, digest=hashlib.sha256(data).hexdigest()[:16])
