"""Role kits: composing competencies into one interview, planning, relevance, evaluation and commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from agent.authoring.lint import lint_file
from agent.brains.offline import OfflineBrain
from agent.cli import main
from agent.domain.kit import Kit, compose
from agent.domain.policy import InterviewConfig, new_interview, plan_questions
from agent.domain.rubric import Rubric, RubricFieldError
from agent.domain.star import FollowUpTarget
from agent.reports.markdown import evaluation_markdown
from agent.rubrics import check_file, kit_files, load_rubric
from agent.session import InterviewSession
from agent.storage import TranscriptStore
from agent.ui.comparison import comparison_lines

KITS = [path.stem for path in kit_files()]
TEAMWORK_STORY = (
    "Last March I was one of four developers on our payroll team when our release slipped because two "
    "of us had built the same screen. My job was to get the release back on track by Friday. I set up "
    "a short daily call with my teammates, split the remaining work with them by who knew which part "
    "best, and paired with our newest colleague on the export so she was not left alone with it. We "
    "shipped on the Friday, and the team has kept the daily call since."
)


def kit(**changes: object) -> Kit:
    data: dict[str, object] = {
        "id": "helpdesk",
        "version": "1.0.0",
        "title": "Helpdesk",
        "summary": "A helpdesk role.",
        "opening": "Hello.",
        "closing": "Goodbye.",
        "practice_closing": "Goodbye, practice.",
        "competencies": [
            {"rubric": "customer-focus", "questions": 2},
            {"rubric": "teamwork", "questions": 1},
        ],
    }
    data.update(changes)
    return Kit.model_validate(data)


@pytest.fixture(scope="module")
def rubrics() -> dict[str, Rubric]:
    return {rid: load_rubric(rid) for rid in ("customer-focus", "teamwork", "conflict")}


@pytest.fixture(scope="module")
def composed(rubrics: dict[str, Rubric]) -> Rubric:
    return compose(kit(), rubrics)


def test_a_composed_rubric_qualifies_every_id_and_keeps_each_competency_apart(
    composed: Rubric, rubrics: dict[str, Rubric]
) -> None:
    assert composed.id == "helpdesk" and [p.id for p in composed.parts] == ["customer-focus", "teamwork"]
    assert len(composed.questions) == len(rubrics["customer-focus"].questions) + len(
        rubrics["teamwork"].questions
    )
    assert all(q.id.split(".")[0] == q.dimension.split(".")[0] for q in composed.questions)
    teamwork_question = next(q.id for q in composed.questions if q.id.startswith("teamwork."))
    assert composed.topic_for(teamwork_question) == rubrics["teamwork"].topic
    assert composed.topic_for("customer-focus.upset-customer") == rubrics["customer-focus"].topic
    # A gap the question has no follow-up of its own for gets the competency's own generic one.
    plain = teamwork_question.split(".", 1)[1]
    question = rubrics["teamwork"].question(plain)
    gaps: tuple[FollowUpTarget, ...] = ("situation", "task", "action", "result", "ownership")
    missing = next(t for t in gaps if question.followup_for(t) is None)
    assert getattr(rubrics["teamwork"].generic_followups, missing) != getattr(
        rubrics["customer-focus"].generic_followups, missing
    )
    assert composed.followup(teamwork_question, missing) == getattr(
        rubrics["teamwork"].generic_followups, missing
    )
    assert composed.part_for("teamwork.x") is composed.parts[1]
    assert composed.content_hash() != compose(kit(version="1.0.1"), rubrics).content_hash()


def test_a_kit_plans_each_competency_s_own_count_in_order(composed: Rubric) -> None:
    for seed in range(20):
        plan = plan_questions(composed, 99, seed)
        assert [q.split(".")[0] for q in plan] == ["customer-focus", "customer-focus", "teamwork"]
        # Spread over the competency's dimensions, as a single rubric's plan is.
        dims = {composed.question(q).dimension for q in plan[:2]}
        assert len(dims) == 2
    state = new_interview(composed, config=InterviewConfig(question_count=7, seed=3))
    assert state.config.question_count == 3 and len(state.questions) == 3


def test_a_single_rubric_plans_as_before(rubrics: dict[str, Rubric]) -> None:
    rubric = rubrics["customer-focus"]
    assert plan_questions(rubric, 4, 0) == plan_questions(rubric, 4, 0)
    assert len(set(plan_questions(rubric, 6, 5))) == 6
    assert all("." not in q for q in plan_questions(rubric, 6, 5))


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"competencies": [{"rubric": "customer-focus", "questions": 1}] * 2}, "listed twice"),
        (
            {
                "competencies": [
                    {"rubric": "customer-focus", "questions": 7},
                    {"rubric": "teamwork", "questions": 6},
                ]
            },
            "at most 12",
        ),
        ({"competencies": []}, "at least 1"),
    ],
)
def test_a_kit_s_own_fields_are_checked(changes: dict[str, object], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        kit(**changes)


def test_a_kit_cannot_ask_more_than_a_rubric_has_or_name_an_unknown_rubric(
    rubrics: dict[str, Rubric],
) -> None:
    with pytest.raises(RubricFieldError, match="has only") as too_many:
        small = rubrics["teamwork"].model_copy(update={"questions": rubrics["teamwork"].questions[:2]})
        compose(kit(competencies=[{"rubric": "teamwork", "questions": 3}]), {"teamwork": small})
    assert too_many.value.loc == ("competencies", 0, "questions")
    with pytest.raises(RubricFieldError, match="no rubric called 'ownership'"):
        compose(kit(competencies=[{"rubric": "ownership", "questions": 1}]), rubrics)
    renamed = rubrics["conflict"].model_copy(
        update={"levels": {**rubrics["conflict"].levels, 5: "Outstanding"}}
    )
    with pytest.raises(RubricFieldError, match="names its levels differently"):
        compose(
            kit(
                competencies=[{"rubric": "teamwork", "questions": 1}, {"rubric": "conflict", "questions": 1}]
            ),
            {**rubrics, "conflict": renamed},
        )


def test_a_hand_written_rubric_may_not_use_qualified_ids(tmp_path: Path) -> None:
    data = yaml.safe_load(
        (Path(__file__).parent.parent / "rubrics" / "teamwork.yaml").read_text(encoding="utf-8")
    )
    data["questions"][0]["id"] = "teamwork.dividing-work"
    path = tmp_path / "dotted.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    rubric, issues = check_file(path)
    assert rubric is None and any("may not contain '.'" in str(i) for i in issues)


def write_kit(folder: Path, name: str, competencies: list[dict[str, object]], **extra: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "schema_version": 1,
        "id": name,
        "version": "1",
        "title": name.title(),
        "summary": "s",
        "opening": "Hello, I'm going to ask you 3 questions.",
        "closing": "Bye.",
        "practice_closing": "Bye.",
        "competencies": competencies,
        **extra,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_kit_file_problems_are_named_at_their_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = write_kit(
        home / "rubrics" / "kits",
        "desk",
        [{"rubric": "teamwork", "questions": 1}, {"rubric": "nope", "questions": 1}],
    )
    rubric, issues = check_file(path, home)
    assert rubric is None
    line = path.read_text(encoding="utf-8").splitlines().index("- rubric: nope") + 1
    assert [(i.line, i.field) for i in issues] == [(line, "competencies.1.rubric")]
    assert "No rubric called 'nope'" in issues[0].message
    clash = write_kit(home / "rubrics" / "kits", "teamwork", [{"rubric": "conflict", "questions": 1}])
    rubric, issues = check_file(clash, home)
    assert rubric is None and "a rubric is called 'teamwork' too" in str(issues[0])


def test_kit_lint_checks_its_own_words(tmp_path: Path) -> None:
    path = write_kit(tmp_path, "desk", [{"rubric": "teamwork", "questions": 2}], practice_closing=None)
    rubric, issues = lint_file(path)
    assert rubric is not None
    messages = [f"{i.field}: {i.message}" for i in issues]
    assert any(m.startswith("opening: speaks of 3 questions; the kit asks 2") for m in messages)
    assert any(m.startswith("closing: there is no practice_closing") for m in messages)


@pytest.mark.parametrize("kit_id", KITS)
def test_every_shipped_kit_validates_and_passes_lint(kit_id: str) -> None:
    (path,) = [p for p in kit_files() if p.stem == kit_id]
    rubric, issues = lint_file(path)
    assert rubric is not None and rubric.parts
    assert issues == [], "\n".join(map(str, issues))


def test_relevance_is_judged_against_the_competency_of_the_question_asked(
    tmp_path: Path, composed: Rubric
) -> None:
    teamwork_q = next(q.id for q in composed.questions if q.id.startswith("teamwork."))
    state_plan = ["customer-focus.upset-customer", teamwork_q]
    session, _ = InterviewSession.start(
        rubric=composed,
        brain=OfflineBrain(),
        store=TranscriptStore(tmp_path),
        config=InterviewConfig(question_count=2, max_followups=0),
        plan=state_plan,
    )
    session.submit(TEAMWORK_STORY)
    session.submit(TEAMWORK_STORY)
    analyses = [q.latest_analysis for q in session.state.questions]
    assert analyses[0] is not None and "off_topic" in analyses[0].red_flags  # no customer in it
    assert analyses[1] is not None and "off_topic" not in analyses[1].red_flags
    evaluation = session.transcript.evaluation
    assert evaluation is not None
    assert [(c.competency, c.status) for c in evaluation.competencies] == [
        ("customer-focus", "assessed"),
        ("teamwork", "assessed"),
    ]
    by_id = {c.competency: c for c in evaluation.competencies}
    assert by_id["customer-focus"].score == 1.0 and (by_id["teamwork"].score or 0) >= 3
    assert by_id["teamwork"].question_ids == [teamwork_q]
    report = evaluation_markdown(evaluation, coaching=False)
    assert "### Competencies" in report and "| Teamwork and collaboration |" in report


def test_a_single_rubric_s_evaluation_has_no_competency_section(tmp_path: Path) -> None:
    session, _ = InterviewSession.start(
        rubric=load_rubric("teamwork"),
        brain=OfflineBrain(),
        store=TranscriptStore(tmp_path),
        config=InterviewConfig(question_count=1, max_followups=0),
    )
    session.submit(TEAMWORK_STORY)
    evaluation = session.transcript.evaluation
    assert evaluation is not None and evaluation.competencies == []
    assert "competencies" not in evaluation.model_dump(mode="json")
    assert "### Competencies" not in evaluation_markdown(evaluation, coaching=False)


REPLIES = [TEAMWORK_STORY, "I can't recall one.", "We sorted it out in the end.", "It went fine."]


@pytest.mark.parametrize("kit_id", KITS)
def test_a_scripted_interview_on_each_shipped_kit_completes(
    kit_id: str, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric = load_rubric(kit_id)
    answers = tmp_path / "answers.txt"
    answers.write_text("\n---\n".join(REPLIES * 8) + "\n", encoding="utf-8")
    code = main(
        ["interview", "--kit", kit_id, "--answers", str(answers), "--format", "json", "--mode", "assessment"]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    document = json.loads(captured.out)
    assert document["finished"] is True and document["rubric"]["id"] == kit_id
    wanted = [part.id for part in rubric.parts for _ in range(part.questions)]
    assert [q.split(".")[0] for q in document["plan"]] == wanted
    competencies = document["evaluation"]["competencies"]
    assert [c["competency"] for c in competencies] == [part.id for part in rubric.parts]


def test_interview_and_analyze_refuse_what_a_kit_cannot_do(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["interview", "--kit", "graduate", "--questions", "2"]) == 2
    assert "asks 4 questions; --questions cannot change that" in capsys.readouterr().err
    assert main(["interview", "--kit", "customer-focus"]) == 2
    assert "No kit called 'customer-focus'" in capsys.readouterr().err
    answer = home / "answer.txt"
    answer.write_text("I did it.", encoding="utf-8")
    assert (
        main(["analyze", "--rubric", "graduate", "--question", "Tell me", "--answer-file", str(answer)]) == 2
    )
    assert "--rubric teamwork" in capsys.readouterr().err


def test_a_comparison_of_kit_interviews_lines_up_competencies(tmp_path: Path, composed: Rubric) -> None:
    from agent.reviews import ReviewStore
    from agent.ui.review_rows import load_rows

    store = TranscriptStore(tmp_path / "transcripts")
    for reply in (TEAMWORK_STORY, "I can't recall one."):
        session, _ = InterviewSession.start(
            rubric=composed,
            brain=OfflineBrain(),
            store=store,
            config=InterviewConfig(max_followups=0, seed=1),
        )
        for _ in range(3):
            session.submit(reply)
    rows = load_rows(store, ReviewStore(tmp_path / "reviews")).rows
    lines = comparison_lines(rows)
    labels = [line.label for line in lines]
    assert labels[:3] == ["Competencies (1-5)", "Customer focus", "Teamwork and collaboration"]


def test_an_invitation_can_be_for_a_kit(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "--kit", "team-lead", "--candidate", "Ada"]) == 0
    out = capsys.readouterr().out
    assert "(Team lead, 4 questions)" in out
    (saved,) = (home / "invitations").glob("*.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["rubric_id"] == "team-lead" and data["question_count"] == 4


def test_the_chat_says_which_competency_a_kit_question_is_about(tmp_path: Path, composed: Rubric) -> None:
    from agent.ui.session_view import where

    session, _ = InterviewSession.start(
        rubric=composed, brain=OfflineBrain(), store=TranscriptStore(tmp_path), config=InterviewConfig(seed=2)
    )
    assert where(session).text == "Question 1 of 3 · Customer focus"
    session.submit("I can't recall one.")
    session.submit("I can't recall one.")
    assert where(session).text == "Question 3 of 3 · Teamwork and collaboration"


def test_a_customer_story_with_no_teamwork_is_off_topic_for_a_teamwork_question() -> None:
    story = (
        "I work on a hotel front desk. Last winter a guest complained that her room was cold and the "
        "heating was broken. I apologised to the customer, moved her to another room myself and gave her "
        "a voucher for breakfast. She thanked me and left a five star review."
    )
    question = (
        "Tell me about a time when you and some colleagues had to divide a piece of work up between you."
    )
    brain = OfflineBrain()
    assert "off_topic" in brain.analyze(question, [story], topic=load_rubric("teamwork").topic).red_flags
    customer = "Tell me about a time you dealt with an unhappy customer."
    assert (
        "off_topic"
        not in brain.analyze(customer, [story], topic=load_rubric("customer-focus").topic).red_flags
    )
