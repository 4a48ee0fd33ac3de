"""The pure interview flow: planning, follow-up choice, gap priority, and properties over any run."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.domain.followup_choice import FollowUpChoice, choose_followup
from agent.domain.policy import (
    Analyze,
    AnswerAnalyzed,
    AnswerSubmitted,
    Ask,
    EndRequested,
    Evaluate,
    InterviewConfig,
    InterviewState,
    InvalidEvent,
    Mode,
    QuestionSkipped,
    Started,
    Transition,
    new_interview,
    plan_questions,
    step,
)
from agent.domain.rubric import Rubric
from agent.domain.star import (
    STAR_SLOTS,
    FollowUpTarget,
    Gap,
    Ownership,
    RedFlag,
    SlotStatus,
    StarAnalysis,
    StarSlot,
    primary_gap,
    ranked_gaps,
)
from agent.rubrics import load_rubric
from tests.conftest import analysis, complete, declined

RUBRIC = load_rubric("customer-focus")

# A question with its own follow-ups for situation, action, ownership and result, but not for
# task or specificity (those fall back to the rubric's generic follow-ups).
UPSET = "upset-customer"
# A question with its own specificity follow-up.
EXPECTATIONS = "different-expectations"


def started(rubric: Rubric, plan: list[str], max_followups: int = 2) -> Transition:
    state = new_interview(rubric, config=InterviewConfig(max_followups=max_followups), plan=plan)
    return step(state, Started())


def answer(state: InterviewState, text: str, result: StarAnalysis) -> Transition:
    submitted = step(state, AnswerSubmitted(text=text))
    return step(submitted.state, AnswerAnalyzed(analysis=result))


def only_ask(transition: Transition) -> Ask:
    assert len(transition.actions) == 1
    action = transition.actions[0]
    assert isinstance(action, Ask)
    return action


# Planning


def test_plan_is_reproducible_for_a_seed(rubric: Rubric) -> None:
    for seed in (0, 1, 7, 12345):
        assert plan_questions(rubric, 5, seed) == plan_questions(rubric, 5, seed)
    plans = {tuple(plan_questions(rubric, 5, seed)) for seed in range(20)}
    assert len(plans) > 1, "different seeds should give different plans"


@pytest.mark.parametrize("count", [1, 2, 4, 6])
def test_plan_spreads_over_distinct_dimensions(rubric: Rubric, count: int) -> None:
    for seed in range(10):
        plan = plan_questions(rubric, count, seed)
        assert len(plan) == count
        dimensions = [rubric.question(qid).dimension for qid in plan]
        assert len(set(dimensions)) == count


def test_plan_uses_every_dimension_evenly_when_asking_for_more(rubric: Rubric) -> None:
    plan = plan_questions(rubric, 12, seed=3)
    assert len(plan) == len(set(plan)) == 12
    per_dimension = Counter(rubric.question(qid).dimension for qid in plan)
    assert set(per_dimension.values()) == {2}
    assert len(per_dimension) == len(rubric.dimensions)


def test_plan_never_exceeds_the_question_bank(rubric: Rubric) -> None:
    plan = plan_questions(rubric, 100, seed=0)
    assert sorted(plan) == sorted(q.id for q in rubric.questions)


def test_new_interview_uses_the_configured_count(rubric: Rubric) -> None:
    state = new_interview(rubric, config=InterviewConfig(question_count=3, seed=9))
    assert [q.question_id for q in state.questions] == plan_questions(rubric, 3, 9)
    assert all(q.status == "pending" for q in state.questions)


def test_new_interview_rejects_an_unknown_question(rubric: Rubric) -> None:
    with pytest.raises(KeyError):
        new_interview(rubric, plan=["no-such-question"])


# The flow, step by step


def test_started_gives_opening_then_first_question(rubric: Rubric) -> None:
    transition = started(rubric, [UPSET, EXPECTATIONS])
    opening, first = transition.actions
    assert isinstance(opening, Ask) and isinstance(first, Ask)
    assert opening.ask == "opening" and opening.text == rubric.opening
    assert first.ask == "question"
    assert first.question_id == UPSET
    assert first.text == rubric.question(UPSET).text
    assert first.question_number == 1
    assert transition.state.phase == "awaiting_answer"
    assert transition.state.questions[0].status == "active"


def test_answer_submitted_asks_for_analysis_of_every_reply_so_far(rubric: Rubric) -> None:
    state = started(rubric, [UPSET]).state
    first = step(state, AnswerSubmitted(text="first reply"))
    (action,) = first.actions
    assert isinstance(action, Analyze)
    assert action.question_id == UPSET
    assert action.question == rubric.question(UPSET).text
    assert action.replies == ("first reply",)
    assert action.probes == ()
    assert first.state.phase == "awaiting_analysis"

    followup = step(first.state, AnswerAnalyzed(analysis=analysis("++-+")))
    second = step(followup.state, AnswerSubmitted(text="second reply"))
    (action,) = second.actions
    assert isinstance(action, Analyze)
    assert action.replies == ("first reply", "second reply")
    assert action.probes == (rubric.followup(UPSET, "action"),)


def test_gap_gives_followup_on_the_top_ranked_gap_with_the_questions_own_text(rubric: Rubric) -> None:
    state = started(rubric, [UPSET]).state
    result = analysis("+--~", ownership="unclear")
    transition = answer(state, "we fixed it", result)
    ask = only_ask(transition)
    own = rubric.question(UPSET).followup_for("action")
    assert own is not None
    assert ask.ask == "followup"
    assert ask.target == ranked_gaps(result)[0].target == "action"
    assert ask.text == own.text
    assert ask.reason == ranked_gaps(result)[0].reason
    assert ask.question_id == UPSET
    assert ask.question_number == 1
    assert ask.followup_number == 1
    assert transition.state.phase == "awaiting_answer"


def test_followup_falls_back_to_generic_text(rubric: Rubric) -> None:
    assert rubric.question(UPSET).followup_for("specificity") is None
    state = started(rubric, [UPSET]).state
    ask = only_ask(answer(state, "I always listen", analysis("++++", specific=False)))
    assert ask.target == "specificity"
    assert ask.text == rubric.generic_followups.specificity


def test_followup_prefers_the_questions_own_specificity_probe(rubric: Rubric) -> None:
    own = rubric.question(EXPECTATIONS).followup_for("specificity")
    assert own is not None
    state = started(rubric, [EXPECTATIONS]).state
    ask = only_ask(answer(state, "I generally adapt", analysis("++++", specific=False)))
    assert ask.target == "specificity"
    assert ask.text == own.text
    assert ask.text != rubric.generic_followups.specificity


def test_the_same_target_is_never_probed_twice_for_one_question(rubric: Rubric) -> None:
    state = started(rubric, [UPSET], max_followups=4).state
    gaps = analysis("+-+~", ownership="unclear")  # ownership unclear, task missing, result partial
    targets: list[FollowUpTarget | None] = []
    transition = answer(state, "reply 1", gaps)
    for n in range(2, 10):
        ask = transition.actions[0]
        assert isinstance(ask, Ask)
        if ask.ask != "followup":
            break
        targets.append(ask.target)
        transition = answer(transition.state, f"reply {n}", gaps)
    # The same gaps every time: each target once, in ranked order, then move on although
    # the follow-up budget (4) is not used up.
    assert targets == ["ownership", "result", "task"]
    assert transition.state.finished
    assert transition.state.questions[0].probed == ("ownership", "result", "task")


def test_at_most_max_followups_per_question(rubric: Rubric) -> None:
    for limit in (0, 1, 2):
        transition = started(rubric, [UPSET, EXPECTATIONS], max_followups=limit)
        gaps = analysis("----", ownership="unclear", specific=False)
        followups = 0
        transition = answer(transition.state, "reply", gaps)
        while only_ask(transition).ask == "followup":
            followups += 1
            transition = answer(transition.state, "more", gaps)
        assert followups == limit
        nxt = only_ask(transition)
        assert nxt.ask == "question" and nxt.question_id == EXPECTATIONS
        assert transition.state.questions[0].status == "done"


def test_complete_answer_moves_to_the_next_question(rubric: Rubric) -> None:
    state = started(rubric, [UPSET, EXPECTATIONS]).state
    transition = answer(state, "a full story", complete())
    ask = only_ask(transition)
    assert ask.ask == "question"
    assert ask.question_id == EXPECTATIONS
    assert ask.question_number == 2
    assert transition.state.questions[0].status == "done"
    assert transition.state.questions[1].status == "active"


def test_declined_main_question_is_marked_declined_and_moves_on(rubric: Rubric) -> None:
    state = started(rubric, [UPSET, EXPECTATIONS]).state
    transition = answer(state, "I can't recall one", declined())
    ask = only_ask(transition)
    assert ask.ask == "question" and ask.question_id == EXPECTATIONS
    first = transition.state.questions[0]
    assert first.status == "declined"
    assert set(first.not_evidenced) == {"situation", "task", "action", "result"}
    assert first.probed == ()


def test_declined_followup_marks_that_target_not_evidenced(rubric: Rubric) -> None:
    state = started(rubric, [UPSET, EXPECTATIONS]).state
    probing = answer(state, "we sorted it out", analysis("+++-"))
    assert only_ask(probing).target == "result"
    transition = answer(probing.state, "I honestly don't remember how it ended", declined())
    first = transition.state.questions[0]
    assert first.not_evidenced == ("result",)
    assert first.status == "done"
    assert only_ask(transition).question_id == EXPECTATIONS


def test_declined_followup_keeps_the_story_told_so_far(rubric: Rubric) -> None:
    """The question is scored on the story before the declined follow-up, not on the refusal."""
    state = started(rubric, [UPSET]).state
    story = analysis("+++-", score=3)
    probing = answer(state, "a story without an ending", story)
    after = answer(probing.state, "I can't remember how it ended", declined())
    progress = after.state.questions[0]
    assert progress.latest_analysis == story
    assert progress.not_evidenced == ("result",)


def test_declined_question_has_only_the_declined_analysis(rubric: Rubric) -> None:
    state = started(rubric, [UPSET, EXPECTATIONS]).state
    after = answer(state, "nothing comes to mind", declined())
    latest = after.state.questions[0].latest_analysis
    assert latest is not None and latest.declined
    assert after.state.questions[1].latest_analysis is None


def test_skip_marks_question_skipped_and_asks_the_next(rubric: Rubric) -> None:
    state = started(rubric, [UPSET, EXPECTATIONS]).state
    transition = step(state, QuestionSkipped())
    ask = only_ask(transition)
    assert ask.question_id == EXPECTATIONS
    assert transition.state.questions[0].status == "skipped"


def test_skipping_the_last_question_closes(rubric: Rubric) -> None:
    state = started(rubric, [UPSET]).state
    transition = step(state, QuestionSkipped())
    closing, evaluate = transition.actions
    assert isinstance(closing, Ask) and closing.ask == "closing"
    assert isinstance(evaluate, Evaluate)
    assert transition.state.finished


def test_end_requested_closes_with_closing_and_evaluate(rubric: Rubric) -> None:
    state = started(rubric, [UPSET, EXPECTATIONS]).state
    transition = step(state, EndRequested())
    closing, evaluate = transition.actions
    assert isinstance(closing, Ask)
    assert closing.ask == "closing" and closing.text == rubric.closing_for("practice")
    assert isinstance(evaluate, Evaluate)
    assert transition.state.finished
    assert transition.state.ended_early
    assert transition.state.questions[1].status == "pending"


@pytest.mark.parametrize("mode", ["practice", "assessment"])
def test_the_closing_speaks_to_the_mode(rubric: Rubric, mode: Mode) -> None:
    state = new_interview(rubric, config=InterviewConfig(), plan=[UPSET], mode=mode)
    closing, _evaluate = step(step(state, Started()).state, QuestionSkipped()).actions
    assert isinstance(closing, Ask) and closing.ask == "closing"
    if mode == "assessment":
        assert closing.text == rubric.closing and "hiring team" in closing.text
    else:
        assert "hiring team" not in closing.text and "practice" in closing.text


def test_a_rubric_without_a_practice_closing_has_a_default_and_hashes_as_before(rubric: Rubric) -> None:
    plain = rubric.model_copy(update={"practice_closing": None})
    assert "hiring team" not in plain.closing_for("practice")
    assert "practice_closing" not in plain.model_dump(mode="json"), "absent fields leave the hash alone"


def test_last_complete_answer_closes(rubric: Rubric) -> None:
    state = started(rubric, [UPSET]).state
    transition = answer(state, "a full story", complete())
    assert [type(a).__name__ for a in transition.actions] == ["Ask", "Evaluate"]
    assert transition.state.finished and not transition.state.ended_early


def test_invalid_events_raise(rubric: Rubric) -> None:
    fresh = new_interview(rubric, plan=[UPSET])
    with pytest.raises(InvalidEvent):
        step(fresh, AnswerSubmitted(text="too early"))
    with pytest.raises(InvalidEvent):
        step(fresh, QuestionSkipped())

    waiting = step(fresh, Started()).state
    with pytest.raises(InvalidEvent):
        step(waiting, Started())
    with pytest.raises(InvalidEvent):
        step(waiting, AnswerAnalyzed(analysis=complete()))

    analysing = step(waiting, AnswerSubmitted(text="reply")).state
    with pytest.raises(InvalidEvent):
        step(analysing, AnswerSubmitted(text="another"))
    with pytest.raises(InvalidEvent):
        step(analysing, QuestionSkipped())

    closed = step(waiting, EndRequested()).state
    for event in (
        Started(),
        AnswerSubmitted(text="late"),
        AnswerAnalyzed(analysis=complete()),
        QuestionSkipped(),
        EndRequested(),
    ):
        with pytest.raises(InvalidEvent):
            step(closed, event)


def test_step_does_not_mutate_its_input(rubric: Rubric) -> None:
    state = started(rubric, [UPSET]).state
    before = state.model_dump()
    step(state, AnswerSubmitted(text="reply"))
    assert state.model_dump() == before


# Gap priority

PRIORITY: list[tuple[str, StarAnalysis]] = [
    ("specificity", analysis("----", ownership="unclear", specific=False)),
    ("action", analysis("----", ownership="unclear")),
    ("ownership", analysis("--+-", ownership="unclear")),
    ("result", analysis("--~-")),
    ("situation", analysis("-~~~")),
    ("action", analysis("~-~~")),
    ("action", analysis("~~~~")),
    ("result", analysis("~~+~")),
    ("situation", analysis("~~++")),
    ("task", analysis("+~++")),
    ("task", analysis("+-++")),
    ("specificity", analysis("++++", flags=["off_topic"])),
    ("none", analysis("++++")),
]


@pytest.mark.parametrize(
    ("expected", "subject"), PRIORITY, ids=[f"{i}-{t}" for i, (t, _) in enumerate(PRIORITY)]
)
def test_primary_gap_priority(expected: str, subject: StarAnalysis) -> None:
    assert primary_gap(subject).target == expected


def test_ranked_gaps_full_order() -> None:
    everything = analysis("----", ownership="unclear", specific=False)
    # No action at all: there is nothing whose ownership could be asked about.
    assert [g.target for g in ranked_gaps(everything)] == [
        "specificity",
        "action",
        "result",
        "situation",
        "task",
    ]
    partial = analysis("~~~~", ownership="unclear", specific=False)
    assert [g.target for g in ranked_gaps(partial)] == [
        "specificity",
        "ownership",
        "action",
        "result",
        "situation",
        "task",
    ]
    some = analysis("+-~-", ownership="unclear")
    assert [g.target for g in ranked_gaps(some)] == ["ownership", "result", "action", "task"]


def test_declined_has_no_gaps() -> None:
    subject = analysis("----", ownership="unclear", specific=False, declined=True)
    assert ranked_gaps(subject) == []
    assert primary_gap(subject).target == "none"


def test_specificity_reason_names_hypotheticals() -> None:
    gap = primary_gap(analysis("++++", specific=False, flags=["hypothetical"]))
    assert gap.target == "specificity"
    assert "would do" in gap.reason


# The labelling guide's follow-up priority, read from docs/labelling.md. The policy's stated
# reasons are checked against it, not against the code that makes the choice.

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "labelling.md"
GuideItem = tuple[FollowUpTarget, Callable[[StarAnalysis], bool]]


def guide_priority() -> list[GuideItem]:
    """Each gap the guide can probe, most important first, with the test of when it is open.

    The words of each rule are checked as well as their order, so changing the guide without
    the code (or the code without the guide) fails here.
    """
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Follow-up priority, as the code applies it", 1)[1].split("\n## ", 1)[0]
    rules = [" ".join(r.split()) for r in re.split(r"^\d+\. ", section.strip(), flags=re.M) if r.strip()]
    assert rules[0].startswith("No follow-up (`none`) for a declined or not-assessed answer")
    assert rules[1] == "`specificity` when `specific_example` is false or `off_topic` is raised."
    assert rules[2] == "`ownership` when ownership is unclear and the action is not missing."
    assert rules[3].startswith("The first of: ") and rules[4] == "`none` otherwise."
    items: list[GuideItem] = [
        ("specificity", lambda a: not a.specific_example or "off_topic" in a.red_flags),
        ("ownership", lambda a: a.ownership == "unclear" and a.star.status("action") != "missing"),
    ]
    named: dict[str, tuple[StarSlot, SlotStatus]] = {
        f"{slot} {status}": (slot, status) for slot in STAR_SLOTS for status in get_args(SlotStatus)
    }
    for words in rules[3].removeprefix("The first of: ").rstrip(".").split(", "):
        slot, status = named[words]  # a KeyError: the guide names a slot or status the code lacks
        items.append((slot, _slot_is(slot, status)))
    return items


def _slot_is(slot: StarSlot, status: SlotStatus) -> Callable[[StarAnalysis], bool]:
    return lambda subject: subject.star.status(slot) == status


PRIORITY_RULE = guide_priority()


def assert_choice_follows_the_guide(
    choice: FollowUpChoice,
    analysis: StarAnalysis,
    ruled_out: Collection[str],
    asked: int,
    max_followups: int,
) -> None:
    """The policy's stated reason holds for this analysis, by the guide's rules and priority."""
    if analysis.declined or analysis.not_assessed:
        assert choice.why == ("declined" if analysis.declined else "not_assessed")
        return
    open_rules = [
        i for i, (target, holds) in enumerate(PRIORITY_RULE) if holds(analysis) and target not in ruled_out
    ]
    if choice.why == "covered":
        assert not any(holds(analysis) for _, holds in PRIORITY_RULE), "covered, but the guide finds a gap"
        return
    if choice.why == "already_asked":
        assert not open_rules, "the policy says every gap was asked about, but one is still open"
        holding = [target for target, holds in PRIORITY_RULE if holds(analysis)]
        assert choice.gap is not None and choice.gap.target == holding[0], "it names the top gap left"
        return
    assert choice.why in {"open_gap", "followups_spent"} and choice.gap is not None
    named = choice.gap.target
    rule = next((i for i in open_rules if PRIORITY_RULE[i][0] == named), None)
    assert rule is not None, f"{named} is not an open gap by the guide"
    assert rule == open_rules[0], f"the guide ranks {PRIORITY_RULE[open_rules[0]][0]} above {named}"
    if choice.why == "open_gap":
        assert asked < max_followups, "a follow-up beyond the question's budget"
    else:
        assert asked >= max_followups, "the policy says the follow-ups are spent, but some are left"


def recorded_choice(state: InterviewState, question_id: str) -> FollowUpChoice:
    """The choice the policy kept with the question's latest reply."""
    progress = next(q for q in state.questions if q.question_id == question_id)
    choice = progress.attempts[-1].choice
    assert choice is not None, "the policy did not record why it moved as it did"
    return choice


def every_labelling() -> list[StarAnalysis]:
    """Every combination of the labels that the priority rule reads."""
    owners: tuple[Ownership, ...] = ("clear", "unclear")
    flag_sets: tuple[tuple[RedFlag, ...], ...] = ((), ("off_topic",))
    return [
        analysis("".join(code), ownership=owner, specific=specific, flags=flags)
        for code in itertools.product("+~-", repeat=4)
        for owner, specific, flags in itertools.product(owners, (True, False), flag_sets)
    ]


def test_ranked_gaps_follow_the_guide_for_every_labelling() -> None:
    for subject in every_labelling():
        expected = [target for target, holds in PRIORITY_RULE if holds(subject)]
        assert [g.target for g in ranked_gaps(subject)] == expected, subject.star


@pytest.mark.parametrize("max_followups", [0, 1, 2])
@pytest.mark.parametrize(
    "ruled_out", [(), ("specificity",), ("action", "result"), ("ownership", "situation", "task")]
)
def test_every_choice_states_a_reason_the_guide_agrees_with(
    max_followups: int, ruled_out: tuple[str, ...]
) -> None:
    for asked in range(max_followups + 1):
        for subject in every_labelling():
            choice = choose_followup(
                subject, ruled_out=ruled_out, followups_asked=asked, max_followups=max_followups
            )
            assert_choice_follows_the_guide(choice, subject, ruled_out, asked, max_followups)


def test_choices_name_why_the_interview_moves_on() -> None:
    def why(subject: StarAnalysis, *, ruled_out: tuple[str, ...] = (), asked: int = 0) -> FollowUpChoice:
        return choose_followup(subject, ruled_out=ruled_out, followups_asked=asked, max_followups=2)

    gappy = analysis("+++-")
    assert why(gappy).why == "open_gap"
    assert why(gappy).probe == Gap(target="result", reason=ranked_gaps(gappy)[0].reason)
    spent = why(gappy, asked=2)
    assert spent.why == "followups_spent" and spent.probe is None
    assert spent.gap is not None and spent.gap.target == "result", "it says which gap was left open"
    asked_once = why(gappy, ruled_out=("result",))
    assert asked_once.why == "already_asked" and asked_once.probe is None
    assert asked_once.gap is not None and asked_once.gap.target == "result", "it says what is still open"
    assert why(complete()).why == "covered"
    assert why(declined()).why == "declined"
    unread = gappy.model_copy(update={"not_assessed": True, "score": None})
    assert why(unread).why == "not_assessed"


def test_a_choice_names_a_gap_exactly_when_its_reason_is_about_one() -> None:
    gap = Gap(target="result", reason="the answer does not say how it ended")
    with pytest.raises(ValueError, match="needs"):
        FollowUpChoice(why="open_gap")
    with pytest.raises(ValueError, match="has no"):
        FollowUpChoice(why="covered", gap=gap)
    assert FollowUpChoice(why="followups_spent", gap=gap).probe is None


def test_the_policy_keeps_its_choice_with_the_reply(rubric: Rubric) -> None:
    state = started(rubric, [UPSET, EXPECTATIONS], max_followups=1).state
    probing = answer(state, "we sorted it out", analysis("+++-"))
    first = recorded_choice(probing.state, UPSET)
    assert first.why == "open_gap" and first.probe is not None
    assert only_ask(probing).reason == first.probe.reason
    moved = answer(probing.state, "it ended, more or less", analysis("+-+~"))
    assert recorded_choice(moved.state, UPSET).why == "followups_spent"
    assert only_ask(moved).question_id == EXPECTATIONS
    declining = answer(moved.state, "I can't recall one", declined())
    assert recorded_choice(declining.state, EXPECTATIONS).why == "declined"
    assert [a.choice.why for a in declining.state.questions[0].attempts if a.choice] == [
        "open_gap",
        "followups_spent",
    ]


# Properties over arbitrary runs

STATUSES: tuple[SlotStatus, ...] = ("present", "partial", "missing")
CODE_FOR = {"present": "+", "partial": "~", "missing": "-"}


FLAGS: tuple[RedFlag, ...] = ("off_topic", "hypothetical", "vague_generalities", "blames_customer")


@st.composite
def analyses(draw: st.DrawFn) -> StarAnalysis:
    slots = draw(st.lists(st.sampled_from(STATUSES), min_size=4, max_size=4))
    owner: Ownership = draw(st.sampled_from(("clear", "unclear")))
    drawn = analysis(
        "".join(CODE_FOR[s] for s in slots),
        ownership=owner,
        specific=draw(st.booleans()),
        quantified=draw(st.booleans()),
        declined=draw(st.integers(0, 5)) == 0,
        score=draw(st.integers(1, 5)),
        flags=draw(st.lists(st.sampled_from(FLAGS), max_size=2, unique=True)),
    )
    if draw(st.integers(0, 9)) == 0:  # now and then an answer the reader could not read
        drawn = drawn.model_copy(update={"not_assessed": True, "score": None})
    return drawn


MOVES = st.sampled_from(("answer",) * 8 + ("skip", "end"))


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    question_count=st.integers(1, 6),
    max_followups=st.integers(0, 4),
    seed=st.integers(0, 10_000),
)
def test_any_run_terminates_within_bounds(
    data: st.DataObject, question_count: int, max_followups: int, seed: int
) -> None:
    rubric = RUBRIC
    config = InterviewConfig(question_count=question_count, max_followups=max_followups, seed=seed)
    first = step(new_interview(rubric, config=config), Started())
    actions: list[Ask | Analyze | Evaluate] = list(first.actions)
    state = first.state
    bound = question_count * (1 + max_followups)
    candidate_turns = 0
    followups: Counter[str] = Counter()
    probed: dict[str, list[str]] = {}

    for _ in range(bound + 2):
        if state.finished:
            break
        move = data.draw(MOVES)
        if move == "skip":
            transition = step(state, QuestionSkipped())
        elif move == "end":
            transition = step(state, EndRequested())
        else:
            candidate_turns += 1
            submitted = step(state, AnswerSubmitted(text=f"reply {candidate_turns}"))
            actions.extend(submitted.actions)
            result = data.draw(analyses())
            current = submitted.state.current
            assert current is not None
            ruled_out = (*current.probed, *current.not_evidenced)
            transition = step(submitted.state, AnswerAnalyzed(analysis=result))
            choice = recorded_choice(transition.state, current.question_id)
            # The policy says why it moved as it did; the guide must agree with what it says.
            assert_choice_follows_the_guide(choice, result, ruled_out, len(current.probed), max_followups)
            followup = [a for a in transition.actions if isinstance(a, Ask) and a.ask == "followup"]
            if choice.probe is None:
                assert not followup, f"moved on ({choice.why}) but asked a follow-up"
            else:
                (probe,) = followup
                assert (probe.target, probe.reason) == (choice.probe.target, choice.probe.reason)
                assert probe.question_id is not None and probe.target is not None
                assert probe.text == rubric.followup(probe.question_id, probe.target)
        actions.extend(transition.actions)
        state = transition.state
        for action in transition.actions:
            if isinstance(action, Ask) and action.ask == "followup":
                assert action.question_id is not None and action.target is not None
                followups[action.question_id] += 1
                probed.setdefault(action.question_id, []).append(action.target)

    assert state.finished, "the interview did not terminate"
    assert candidate_turns <= bound
    assert all(count <= max_followups for count in followups.values())
    for targets in probed.values():
        assert len(targets) == len(set(targets))
    closings = [a for a in actions if isinstance(a, Ask) and a.ask == "closing"]
    evaluates = [a for a in actions if isinstance(a, Evaluate)]
    assert len(closings) == 1 and len(evaluates) == 1
    assert isinstance(actions[-1], Evaluate) and actions[-2] is closings[0]
    assert isinstance(actions[0], Ask) and actions[0].ask == "opening"
    if not state.ended_early:
        assert all(q.status in {"done", "skipped", "declined"} for q in state.questions)


@settings(max_examples=200, deadline=None)
@given(results=st.lists(analyses(), min_size=1, max_size=40), max_followups=st.integers(0, 4))
def test_answering_only_never_exceeds_followup_budget(
    results: list[StarAnalysis], max_followups: int
) -> None:
    """Feeding analyses alone (no skips or ends) still ends the interview in bounded turns."""
    rubric = RUBRIC
    config = InterviewConfig(question_count=3, max_followups=max_followups, seed=1)
    state = step(new_interview(rubric, config=config), Started()).state
    queue = list(results)
    turns = 0
    while not state.finished:
        turns += 1
        assert turns <= 3 * (1 + max_followups)
        state = step(state, AnswerSubmitted(text=f"r{turns}")).state
        result = queue.pop(0) if queue else complete()
        state = step(state, AnswerAnalyzed(analysis=result)).state
        for progress in state.questions:
            assert len(progress.probed) <= max_followups
            assert len(set(progress.probed)) == len(progress.probed)
