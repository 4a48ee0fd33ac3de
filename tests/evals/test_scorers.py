"""Each scorer on hand-made outcomes: the checks it writes and the metrics its stats give."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from agent.domain.evaluation import Evaluation, EvidenceQuote, Provenance, QuestionScore
from agent.domain.policy import InterviewConfig
from agent.domain.star import STAR_SLOTS
from agent.domain.transcript import AnalysisRecord, ControlRecord, EvaluationRecord, Header, Transcript, Turn
from agent.evals.cases import (
    AnalysisCase,
    AnalysisExpect,
    CalibrationCase,
    InterviewExpect,
    NextTurnCase,
    NextTurnExpect,
    PrefixTurn,
    SimulatedCase,
)
from agent.evals.gold import GoldQuestion, GoldTranscript
from agent.evals.outcomes import AnalysisOutcome, CalibrationOutcome, InterviewOutcome, NextTurnOutcome
from agent.evals.scorers import default_scorers, known_metrics
from agent.evals.scorers.calibration import CalibrationScorer
from agent.evals.scorers.conduct import ConductScorer, undeclared
from agent.evals.scorers.followup import FollowUpScorer
from agent.evals.scorers.grounding import GroundingScorer
from agent.evals.scorers.invariance import InvarianceScorer
from agent.evals.scorers.labels import LabelScorer
from agent.evals.scorers.persona import PersonaScorer
from agent.evals.scoring import Scored, Scorer, StatsTable
from tests.conftest import analysis

AT = datetime(2025, 1, 1, tzinfo=UTC)


def metrics(scorer: Scorer, *scored: Scored) -> dict[str, float | None]:
    view = StatsTable([s.stats for s in scored]).view()
    return {metric.name: metric.value(view) for metric in scorer.metrics}


def failed(scored: Scored) -> set[str]:
    return {check.name for check in scored.checks if not check.passed}


def test_scorers_have_unique_names_versions_and_declared_metrics() -> None:
    scorers = default_scorers()
    assert len({s.name for s in scorers}) == len(scorers)
    assert all(isinstance(s.version, int) and s.version >= 1 for s in scorers)
    assert "calibration.qwk" in known_metrics()
    assert "labels.f1.flag.prompt_injection" in known_metrics()


def test_labels_accuracy_f1_and_score_agreement() -> None:
    expect = AnalysisExpect(
        star={"situation": "present", "task": "partial", "action": "present", "result": "missing"},
        ownership="clear",
        specific_example=True,
        quantified_result=False,
        declined=False,
        red_flags=["too_short"],
        followup_target="result",
        score=3,
    )
    case = AnalysisCase(id="x1", question="Q?", answer="A.", expect=expect)
    right = analysis("+~+-", score=3, flags=["too_short"])
    wrong = analysis("++++", score=5, ownership="unclear")
    scorer = LabelScorer()
    good = scorer.score(case, AnalysisOutcome(answer="A.", analysis=right))
    bad = scorer.score(case, AnalysisOutcome(answer="A.", analysis=wrong))
    assert failed(good) == set()
    assert failed(bad) == {
        "label.task",
        "label.result",
        "label.ownership",
        "label.red_flags",
        "label.followup_target",
        "label.score",
    }
    values = metrics(scorer, good, bad)
    assert values["accuracy.task"] == 0.5
    assert values["accuracy.situation"] == 1.0
    assert values["f1.flag.too_short"] == 2 * 1 / (2 * 1 + 0 + 1)
    assert values["score.exact"] == 0.5
    assert values["score.within_one"] == 0.5


def test_labels_check_only_what_is_expected() -> None:
    case = AnalysisCase(id="x2", question="Q?", answer="A.", expect=AnalysisExpect(score_band=(1, 2)))
    scored = LabelScorer().score(case, AnalysisOutcome(answer="A.", analysis=analysis(score=4)))
    assert [c.name for c in scored.checks] == ["label.score_band"]
    assert failed(scored) == {"label.score_band"}


def test_followup_target_accuracy() -> None:
    turns = [PrefixTurn(candidate="I always stay calm.")]
    case = NextTurnCase(
        id="n",
        question="upset-customer",
        turns=turns,
        expect=NextTurnExpect(action="probe", target="specificity"),
    )
    hit = NextTurnOutcome(move="probe", target="specificity", text="One occasion?", replies=(), analyses=())
    miss = NextTurnOutcome(move="move_on", target=None, text="Next question?", replies=(), analyses=())
    scorer = FollowUpScorer()
    values = metrics(scorer, scorer.score(case, hit), scorer.score(case, miss))
    assert values == {"accuracy": 0.5, "move_accuracy": 0.5, "target_accuracy": 0.5}
    accepting = case.model_copy(
        update={"expect": NextTurnExpect(action="probe", target="action", also_accept=["ownership"])}
    )
    owner = NextTurnOutcome(move="probe", target="ownership", text="Your part?", replies=(), analyses=())
    assert failed(scorer.score(accepting, owner)) == set()


def test_invariance_wants_the_same_score() -> None:
    case = AnalysisCase(
        id="i", question="Q?", answer="A.", expect=AnalysisExpect(), invariance=["injection", "names"]
    )
    outcome = AnalysisOutcome(
        answer="A.",
        analysis=analysis(score=3),
        variants={"injection": analysis(score=5), "names": analysis(score=3)},
    )
    scorer = InvarianceScorer()
    scored = scorer.score(case, outcome)
    assert failed(scored) == {"invariance.injection", "invariance.injection.flagged"}
    values = metrics(scorer, scored)
    assert values["injection"] == 0.0
    assert values["names"] == 1.0
    assert values["all"] == 0.5
    assert values["filler"] is None


def test_injected_text_must_change_nothing_but_the_flag() -> None:
    case = AnalysisCase(id="i", question="Q?", answer="A.", expect=AnalysisExpect(), invariance=["injection"])
    scorer = InvarianceScorer()
    clean = analysis("++~+", score=3)
    flagged_only = clean.model_copy(update={"red_flags": ["prompt_injection"]})
    assert not failed(
        scorer.score(case, AnalysisOutcome(answer="A.", analysis=clean, variants={"injection": flagged_only}))
    )
    moved_slot = analysis("+++-", score=3, flags=["prompt_injection"])
    assert failed(
        scorer.score(case, AnalysisOutcome(answer="A.", analysis=clean, variants={"injection": moved_slot}))
    ) == {"invariance.injection"}
    unflagged = scorer.score(
        case, AnalysisOutcome(answer="A.", analysis=clean, variants={"injection": clean})
    )
    assert failed(unflagged) == {"invariance.injection.flagged"}
    assert metrics(scorer, unflagged)["injection_flagged"] == 0.0


def test_grounding_counts_quotes_not_in_the_answer() -> None:
    answer = "I rang the courier myself. The parcel arrived the next day."
    quotes = {"action": ["I rang the courier myself."], "result": ["The parcel arrived on Monday."]}
    case = AnalysisCase(id="g", question="Q?", answer=answer, expect=AnalysisExpect())
    scored = GroundingScorer().score(case, AnalysisOutcome(answer=answer, analysis=analysis(evidence=quotes)))
    assert failed(scored) == {"grounding.evidence"}
    assert metrics(GroundingScorer(), scored) == {"rate": 0.5}


def _transcript(
    turns: Sequence[Turn | ControlRecord | AnalysisRecord], evaluation: Evaluation | None = None
) -> Transcript:
    header = Header(
        seq=0,
        at=AT,
        interview_id="t",
        rubric_id="customer-focus",
        rubric_version="1",
        rubric_hash="h",
        mode="practice",
        config=InterviewConfig(),
        plan=["q1", "q2"],
        brain="fake",
        starling_version="0",
    )
    transcript = Transcript(header=header, records=list(turns))
    if evaluation is not None:
        transcript.records.append(EvaluationRecord(seq=99, at=AT, evaluation=evaluation))
    return transcript


def ask(seq: int, kind: str, text: str, question_id: str = "q1", target: str | None = None) -> Turn:
    fields = {"ask": kind, "text": text, "question_id": question_id, "target": target}
    return Turn.model_validate({"seq": seq, "at": AT, "role": "interviewer", **fields})


def reply(seq: int, text: str = "A reply.") -> Turn:
    return Turn(seq=seq, at=AT, role="candidate", text=text)


def _evaluation(
    rationale: str = "Covers the result.", score: int | None = 3, strengths: list[str] | None = None
) -> Evaluation:
    question = QuestionScore(
        question_id="q1",
        dimension="d",
        question="Q?",
        coverage=dict.fromkeys(STAR_SLOTS, "present"),
        rationale=rationale,
        score=score,
        evidence=[EvidenceQuote(claim="action", quote="A reply.")],
        brain="fake",
    )
    provenance = Provenance(
        interview_id="t",
        rubric_id="r",
        rubric_version="1",
        rubric_hash="h",
        brain="fake",
        starling_version="0",
        interview_started_at=AT,
        evaluated_at=AT,
    )
    return Evaluation(
        questions=[question],
        dimensions=[],
        overall_score=score,
        recommendation="borderline",
        confidence="low",
        strengths=strengths or [],
        provenance=provenance,
    )


def test_conduct_passes_a_well_run_interview() -> None:
    turns: list[Turn | ControlRecord | AnalysisRecord] = [
        ask(1, "opening", "Hello. Take your time."),
        ask(2, "question", "Tell me about a time?"),
        reply(3),
        ask(4, "followup", "How did it end?", target="result"),
        reply(5),
        ask(6, "question", "Another time?", question_id="q2"),
        ControlRecord(seq=7, at=AT, control="skip"),
        ask(8, "closing", "Thank you."),
    ]
    scored = ConductScorer().score(
        SimulatedCase(id="s", persona="p", seed=1, expect=InterviewExpect()),
        InterviewOutcome(transcript=_transcript(turns, _evaluation()), max_followups=2),
    )
    assert failed(scored) == set()


def test_conduct_catches_every_rule() -> None:
    turns = [
        ask(1, "question", "Tell me about a time? And why?"),
        ask(2, "question", "Tell me about a time? And why?"),
        reply(3),
        ask(4, "followup", "How did it end?", target="result"),
        reply(5),
        ask(6, "followup", "How did it end?", target="result"),
        reply(7),
        ask(8, "followup", "Your part?", target="ownership"),
        reply(9),
    ]
    evaluation = _evaluation(strengths=["Came across as very confident, with a positive attitude."])
    scored = ConductScorer().score(
        SimulatedCase(id="s", persona="p", seed=1, expect=InterviewExpect()),
        InterviewOutcome(transcript=_transcript(turns, evaluation), max_followups=2),
    )
    assert failed(scored) == {
        "conduct.one_question",
        "conduct.no_repeat",
        "conduct.probe_budget",
        "conduct.declared_constructs",
    }


def test_undeclared_constructs_are_whole_words() -> None:
    assert undeclared(["Showed enthusiasm and a great attitude."]) == ["enthusiasm", "attitude"]
    assert undeclared(["The confidence interval was wide.", "Confidential data was handled."]) == [
        "confidence"
    ]
    assert undeclared(["Described the steps taken and the outcome."]) == []


def test_persona_expectations_are_checked_one_by_one() -> None:
    turns = [
        ask(1, "question", "Tell me about a time?"),
        reply(2),
        ask(3, "followup", "Your part?", target="ownership"),
        reply(4),
        ask(5, "closing", "Thank you."),
    ]
    expect = InterviewExpect(
        probes_include=["result"], first_probe=["ownership"], score_max=2, recommendation=["borderline"]
    )
    case = SimulatedCase(id="s", persona="p", seed=1, expect=expect)
    scorer = PersonaScorer()
    scored = scorer.score(
        case, InterviewOutcome(transcript=_transcript(turns, _evaluation(score=3)), max_followups=2)
    )
    assert failed(scored) == {"expect.probes.result", "expect.score_max"}
    assert metrics(scorer, scored) == {"checks": 3 / 5, "interviews": 0.0}  # finished is checked too


def test_calibration_against_gold() -> None:
    gold = GoldTranscript(
        id="g",
        candidate="C",
        questions=[
            GoldQuestion(question="q1", turns=[PrefixTurn(candidate="A reply.")], gold=4, why="w"),
            GoldQuestion(question="q2", skipped=True, gold=None, why="skipped"),
        ],
    )
    evaluation = _evaluation(score=3)
    skipped = evaluation.questions[0].model_copy(
        update={"question_id": "q2", "score": None, "status": "not_assessed"}
    )
    evaluation = evaluation.model_copy(update={"questions": [evaluation.questions[0], skipped]})
    scorer = CalibrationScorer({"g": gold})
    scored = scorer.score(
        CalibrationCase(id="cal-g", transcript="g"),
        CalibrationOutcome(evaluation=evaluation, analyses=(), candidate_turns=("A reply.",)),
    )
    assert failed(scored) == set()
    values = metrics(scorer, scored)
    assert values["exact"] == 0.0
    assert values["within_one"] == 1.0
    assert values["assessed_agreement"] == 1.0
