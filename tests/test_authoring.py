"""Rubric authoring: `starling rubrics new`, `show` and `lint`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from agent.authoring.lint import lint_file
from agent.cli import main
from agent.rubrics import check_rubric_file, load_rubric, rubric_files
from tests.conftest import RUBRIC_FILE

Edit = Callable[[dict[str, Any]], None]


def test_every_shipped_rubric_passes_lint() -> None:
    for path in rubric_files():
        rubric, issues = lint_file(path)
        assert rubric is not None
        assert issues == [], "\n".join(map(str, issues))


def edited(tmp_path: Path, edit: Edit) -> Path:
    data = yaml.safe_load(RUBRIC_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    return path


def question_text(index: int, text: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["questions"][index]["text"] = text

    return edit


def followup_text(index: int, text: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["questions"][0]["followups"][index]["text"] = text

    return edit


def set_in(path: tuple[str | int, ...], value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def drop_questions_after(count: int) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        del data["questions"][count:]

    return edit


def second_result_probe(data: dict[str, Any]) -> None:
    data["questions"][0]["followups"][1]["probes"] = "result"


def first_question_repeated(data: dict[str, Any]) -> None:
    data["questions"][5]["text"] = data["questions"][0]["text"]


def term_also_elsewhere(data: dict[str, Any]) -> None:
    data["topic"]["elsewhere"].append("customer")


def dimension_unasked(data: dict[str, Any]) -> None:
    data["questions"] = [q for q in data["questions"] if q["dimension"] != "learning"]


@pytest.mark.parametrize(
    ("edit", "field", "says"),
    [
        (question_text(0, "What would you do if a customer was very angry?"), "questions.0.text", "would do"),
        (question_text(0, "How do you usually deal with angry customers?"), "questions.0.text", "habits"),
        (question_text(0, "Why do customers get angry?"), "questions.0.text", "no particular occasion"),
        (
            question_text(0, "Tell me about a time you successfully calmed an angry customer."),
            "questions.0.text",
            "leads",
        ),
        (followup_text(2, "Tell me what you said first."), "questions.0.followups.2.text", "question mark"),
        (
            question_text(0, "Have you ever had a time when a customer was angry?"),
            "questions.0.text",
            "yes or no",
        ),
        (
            question_text(0, "Tell me about a time a customer was angry? What did your manager say?"),
            "questions.0.text",
            "more than one question",
        ),
        (first_question_repeated, "questions.5.text", "repeats question 'upset-customer'"),
        (
            question_text(
                5, "Can you tell me about a specific time when you dealt with a customer who was very upset?"
            ),
            "questions.5.text",
            "nearly repeats",
        ),
        (followup_text(2, "Did you apologise to them?"), "questions.0.followups.2.text", "yes or no"),
        (
            followup_text(2, "What would you say to a customer like that?"),
            "questions.0.followups.2.text",
            "would do",
        ),
        (second_result_probe, "questions.0.followups.4.probes", "only follow-up 2"),
        (dimension_unasked, "dimensions.5.id", "0 question(s) gather evidence"),
        (drop_questions_after(6), "questions", "at least 12"),
        (set_in(("dimensions", 0, "anchors", 2), "Limited empathy."), "dimensions.0.anchors.2", "too short"),
        (
            set_in(
                ("dimensions", 0, "anchors", 3), "Takes the request at face value, without asking anything."
            ),
            "dimensions.0.anchors.3",
            "",
        ),
        (term_also_elsewhere, "topic.elsewhere", "also a topic term"),
        (set_in(("summary",), "TODO: write the summary"), "summary", "placeholder"),
    ],
)
def test_lint_names_the_problem_at_its_line(tmp_path: Path, edit: Edit, field: str, says: str) -> None:
    path = edited(tmp_path, edit)
    rubric, issues = lint_file(path)
    assert rubric is not None, "an edit for lint keeps the rubric valid"
    if not says:  # a plain but sound edit: nothing to report
        assert issues == []
        return
    lines = path.read_text(encoding="utf-8").splitlines()
    matching = [i for i in issues if i.field.startswith(field) and says in i.message]
    assert matching, "\n".join(map(str, issues))
    issue = matching[0]
    assert issue.line is not None
    key = field.rsplit(".", 1)[-1]
    assert key in lines[issue.line - 1] or lines[issue.line - 1].lstrip().startswith("-")


def test_lint_command_reports_file_and_line_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = edited(tmp_path, question_text(0, "What would you do with an angry customer?"))
    assert main(["rubrics", "lint", str(bad), str(RUBRIC_FILE)]) == 2
    captured = capsys.readouterr()
    assert f"{bad}:" in captured.err and "questions.0.text" in captured.err
    assert f"{RUBRIC_FILE}: ok" in captured.out
    assert main(["rubrics", "lint", str(RUBRIC_FILE)]) == 0


def test_lint_of_an_invalid_file_gives_the_schema_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\n", encoding="utf-8")
    assert main(["rubrics", "lint", str(broken)]) == 2
    assert "broken.yaml" in capsys.readouterr().err


def test_new_writes_a_valid_commented_scaffold_that_lint_sends_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STARLING_HOME", str(tmp_path / "home"))
    assert main(["rubrics", "new", "team-work", "--title", 'Teamwork: "with" others']) == 0
    out = capsys.readouterr().out
    path = tmp_path / "home" / "rubrics" / "team-work.yaml"
    assert str(path) in out
    text = path.read_text(encoding="utf-8")
    assert text.count("#") > 10, "the scaffold explains its fields"
    rubric, issues = check_rubric_file(path)
    assert rubric is not None and issues == []
    assert rubric.id == "team-work" and rubric.title == 'Teamwork: "with" others'
    assert load_rubric("team-work", tmp_path / "home").id == "team-work"
    _, lint_issues = lint_file(path)
    assert any("placeholder" in i.message for i in lint_issues)
    assert main(["rubrics", "lint", str(path)]) == 2


def test_new_never_overwrites_and_refuses_a_bad_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("kept\n", encoding="utf-8")
    assert main(["rubrics", "new", "mine", "--out", str(path)]) == 2
    assert path.read_text(encoding="utf-8") == "kept\n"
    assert "already exists" in capsys.readouterr().err
    assert main(["rubrics", "new", "Not An Id", "--out", str(tmp_path / "x.yaml")]) == 2
    assert "cannot be a rubric id" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


def test_show_renders_every_question_and_follow_up(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubrics", "show", "customer-focus"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    rubric = load_rubric("customer-focus")
    assert rubric.title in out and rubric.content_hash() in out
    for question in rubric.questions:
        assert " ".join(question.text.split()) in out
        for followup in question.followups:
            assert " ".join(followup.text.split()) in out
    for dimension in rubric.dimensions:
        for anchor in dimension.anchors.values():
            assert " ".join(anchor.split()) in out


def test_show_of_an_unknown_rubric_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rubrics", "show", "no-such-rubric"]) == 2
    assert "No rubric or kit called 'no-such-rubric'" in capsys.readouterr().err


SHIPPED = [path.stem for path in rubric_files()]
REPLIES = [
    "Last spring my colleague and I disagreed about how to split a release between our two teams.",
    "I set up a meeting, listed both plans side by side and asked each person what worried them.",
    "We agreed a plan by Friday, shipped on time, and the two teams have planned together since.",
    "Looking back, I would bring the data to the first conversation instead of the second.",
]


@pytest.mark.parametrize("rubric_id", SHIPPED)
def test_a_scripted_interview_on_each_shipped_rubric_completes(
    rubric_id: str, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rubric = load_rubric(rubric_id)
    answers = tmp_path / "answers.txt"
    answers.write_text("\n---\n".join(REPLIES * 6) + "\n", encoding="utf-8")
    code = main(["interview", "--rubric", rubric_id, "--answers", str(answers), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    document = json.loads(captured.out)
    assert document["finished"] is True
    plan = document["plan"]
    assert plan and {q.id for q in rubric.questions} >= set(plan)
    asked = [t for t in document["turns"] if t["role"] == "interviewer" and t["kind"] == "followup"]
    for turn in asked:
        assert turn["text"] == rubric.followup(turn["question_id"], turn["target"])
    evaluation = document["evaluation"]
    assert [q["question_id"] for q in evaluation["questions"]] == plan
    assert document["rubric"]["id"] == rubric_id
