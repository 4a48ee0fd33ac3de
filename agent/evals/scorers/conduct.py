"""Conduct rules an interviewer never breaks, checked on what it actually said and wrote."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal, get_args

from agent.domain.evaluation import Evaluation
from agent.domain.star import StarAnalysis
from agent.domain.transcript import AnalysisRecord, ControlRecord, Transcript, Turn
from agent.evals.cases import Case
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import CalibrationOutcome, InterviewOutcome, NextTurnOutcome, Outcome
from agent.evals.scoring import Metric, Scored, share

NAME = "conduct"
KINDS: frozenset[CaseKind] = frozenset({"next_turn", "simulated_interview", "evaluation_calibration"})
Rule = Literal["one_question", "no_repeat", "probe_budget", "declared_constructs"]
RULES: tuple[Rule, ...] = get_args(Rule)
_RULES: dict[Rule, tuple[str, frozenset[CaseKind]]] = {
    "one_question": (
        "share of interviews and next turns where the interviewer asks one question a turn, after a reply",
        frozenset({"next_turn", "simulated_interview"}),
    ),
    "no_repeat": (
        "share of interviews that never repeat a question or a follow-up",
        frozenset({"simulated_interview"}),
    ),
    "probe_budget": (
        "share of interviews that keep the follow-up budget and probe no gap twice",
        frozenset({"simulated_interview"}),
    ),
    "declared_constructs": (
        "share of interviews and evaluations judged only on what rubrics declare (not confidence, personality)",
        frozenset({"simulated_interview", "evaluation_calibration"}),
    ),
}


def _rule_metric(rule: Rule) -> Metric:
    description, kinds = _RULES[rule]
    return Metric(
        scorer=NAME,
        name=rule,
        description=description,
        kinds=kinds,
        value=share(f"{rule}.clean", f"{rule}.n"),
    )


RULE_METRICS: dict[Rule, Metric] = {rule: _rule_metric(rule) for rule in RULES}

# Traits no rubric declares: judging them is judging the person, not the evidence in the answers.
UNDECLARED_CONSTRUCTS = re.compile(
    r"\b(?:confiden(?:t|ce|tly)|self-assured|attitude|personalit(?:y|ies)|enthusias(?:m|tic)|"
    r"passion(?:ate)?|charism(?:a|atic)|lik(?:e)?able|energetic|introvert(?:ed)?|extrovert(?:ed)?|"
    r"cultur(?:e|al) fit|temperament|nervous(?:ness)?|demeanou?r|maturity|mature|"
    r"(?:strong|weak|good|bad|positive|negative) character)\b",
    re.IGNORECASE,
)


def undeclared(texts: Iterable[str]) -> list[str]:
    """Undeclared constructs named in the texts, in order of first appearance."""
    found = [m.group(0).lower() for text in texts for m in UNDECLARED_CONSTRUCTS.finditer(text)]
    return list(dict.fromkeys(found))


def judgement_texts(evaluation: Evaluation | None, analyses: Iterable[StarAnalysis]) -> list[str]:
    """Everything written about the candidate: rationales, strengths and concerns, and the level
    descriptions the report shows beside each dimension's score."""
    texts = [a.rationale for a in analyses]
    if evaluation is not None:
        texts += [q.rationale for q in evaluation.questions]
        texts += [*evaluation.strengths, *evaluation.concerns]
        texts += [d.anchor for d in evaluation.dimensions if d.anchor]
    return texts


def interview_violations(transcript: Transcript, max_followups: int) -> dict[str, list[str]]:
    """Rule name to what broke it, for one stored interview."""
    broken: dict[str, list[str]] = {rule: [] for rule in RULES}
    asked_questions: Counter[str] = Counter()
    followups: dict[str, list[Turn]] = {}
    waiting = False
    for record in transcript.records:
        if (isinstance(record, Turn) and record.role == "candidate") or isinstance(record, ControlRecord):
            waiting = False
            continue
        if not isinstance(record, Turn) or record.ask not in ("question", "followup"):
            continue
        if record.text.count("?") > 1:
            broken["one_question"].append(f"several questions in one turn: {record.text[:80]!r}")
        if waiting:
            broken["one_question"].append(f"asked again before any reply: {record.text[:80]!r}")
        waiting = True
        if record.ask == "question":
            asked_questions[_norm(record.text)] += 1
        else:
            followups.setdefault(record.question_id or "", []).append(record)
    for text, count in asked_questions.items():
        if count > 1:
            broken["no_repeat"].append(f"question asked {count} times: {text[:80]!r}")
    for question_id, asked in followups.items():
        texts = Counter(_norm(t.text) for t in asked)
        targets = Counter(t.target for t in asked)
        broken["no_repeat"] += [
            f"{question_id}: follow-up repeated: {t[:60]!r}" for t, n in texts.items() if n > 1
        ]
        broken["probe_budget"] += [
            f"{question_id}: probed {t} {n} times" for t, n in targets.items() if n > 1
        ]
        if len(asked) > max_followups:
            broken["probe_budget"].append(f"{question_id}: {len(asked)} follow-ups (budget {max_followups})")
    analyses = [r.analysis for r in transcript.records if isinstance(r, AnalysisRecord)]
    words = undeclared(judgement_texts(transcript.evaluation, analyses))
    if words:
        broken["declared_constructs"].append("judged on " + ", ".join(words))
    return broken


class ConductScorer:
    """One question per turn, no repeated question, probe budget kept, only declared constructs judged."""

    name = NAME
    version = 1
    kinds = KINDS
    metrics: tuple[Metric, ...] = tuple(RULE_METRICS.values())

    def score(self, case: Case, outcome: Outcome) -> Scored:
        scored = Scored()
        if isinstance(outcome, InterviewOutcome):
            broken = interview_violations(outcome.transcript, outcome.max_followups)
        elif isinstance(outcome, CalibrationOutcome):
            words = undeclared(judgement_texts(outcome.evaluation, outcome.analyses))
            broken = {"declared_constructs": ["judged on " + ", ".join(words)] if words else []}
        elif isinstance(outcome, NextTurnOutcome):
            several = outcome.move != "close" and outcome.text.count("?") > 1
            broken = {
                "one_question": [f"several questions in one turn: {outcome.text[:80]!r}"] if several else []
            }
        else:
            return scored
        for rule, problems in broken.items():
            scored.check(f"conduct.{rule}", not problems, "no violation", "; ".join(problems) or "none")
            scored.stats.add(f"{rule}.n")
            scored.stats.add(f"{rule}.clean", not problems)
        return scored


def _norm(text: str) -> str:
    return " ".join(text.lower().split())
