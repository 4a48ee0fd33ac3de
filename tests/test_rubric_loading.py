"""Rubric files: the bundled rubric validates, and broken copies are reported by file, line and field."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.cli import main
from agent.domain.rubric import Rubric
from agent.errors import RubricError
from agent.rubrics import check_rubric_file, find_rubric, load_rubric
from tests.conftest import REPO, RUBRIC_FILE

ORIGINAL = RUBRIC_FILE.read_text(encoding="utf-8").splitlines()


def line_of(text: str, start: int = 0) -> int:
    """0-based index of the first line at or after `start` that equals `text` once stripped."""
    for index in range(start, len(ORIGINAL)):
        if ORIGINAL[index].strip() == text:
            return index
    raise AssertionError(f"{text!r} is not in the rubric any more")


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["rubrics", "validate", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def report_line(err: str, path: Path) -> tuple[int | None, str]:
    """The line number and the rest of the first issue printed for `path`."""
    first = err.strip().splitlines()[0]
    prefix = f"{path}:"
    assert first.startswith(prefix), first
    rest = first[len(prefix) :]
    number, _, remainder = rest.partition(": ")
    return (int(number) if number.isdigit() else None), remainder


def test_bundled_rubric_validates(rubric: Rubric) -> None:
    loaded, issues = check_rubric_file(RUBRIC_FILE)
    assert issues == []
    assert loaded == rubric
    assert rubric.id == "customer-focus"
    assert len(rubric.dimensions) == 6
    assert {q.dimension for q in rubric.questions} == {d.id for d in rubric.dimensions}
    assert rubric.content_hash().startswith("sha256:")
    assert rubric.content_hash() == load_rubric("customer-focus").content_hash()


def test_validate_command_accepts_the_bundled_rubric(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(RUBRIC_FILE, capsys)
    assert code == 0
    assert "ok (customer-focus" in out
    assert err == ""


def test_every_followup_resolves_for_every_target(rubric: Rubric) -> None:
    for question in rubric.questions:
        for target in ("situation", "task", "action", "result", "ownership", "specificity"):
            assert rubric.followup(question.id, target)


def test_unknown_key_points_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at = line_of("- id: proactivity")
    lines = [*ORIGINAL[: at + 1], "    colour: blue", *ORIGINAL[at + 1 :]]
    path = write(tmp_path, "unknown-key.yaml", lines)
    code, out, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == at + 2  # the inserted line, 1-based
    assert rest.startswith("dimensions.1.colour: ")
    assert "Extra inputs are not permitted" in rest
    assert "Traceback" not in err and out == ""


def test_missing_anchor_level_points_at_anchors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    anchors = line_of("anchors:")
    level_five = next(i for i in range(anchors, len(ORIGINAL)) if ORIGINAL[i].strip().startswith("5:"))
    lines = ORIGINAL[:level_five] + ORIGINAL[level_five + 1 :]
    path = write(tmp_path, "anchors.yaml", lines)
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == anchors + 1
    assert rest.startswith("dimensions.0.anchors: ")
    assert "[5]" in rest


def test_bad_probe_points_at_the_probe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at = line_of("- probes: ownership")
    lines = list(ORIGINAL)
    lines[at] = lines[at].replace("probes: ownership", "probes: owner")
    path = write(tmp_path, "probe.yaml", lines)
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == at + 1
    assert rest.startswith("questions.0.followups.3.probes: ")
    assert "'owner' is not a probe target" in rest


def test_unknown_area_points_at_the_followup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at = line_of("- probes: area:source-of-upset")
    lines = list(ORIGINAL)
    lines[at] = lines[at].replace("area:source-of-upset", "area:no-such-area")
    path = write(tmp_path, "area.yaml", lines)
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == at + 1
    assert rest.startswith("questions.0.followups.1.probes: ")
    assert "no-such-area" in rest and "source-of-upset" in rest


def test_unknown_dimension_points_at_the_question(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at = line_of("dimension: empathy")
    lines = list(ORIGINAL)
    lines[at] = lines[at].replace("empathy", "empathi")
    path = write(tmp_path, "dimension.yaml", lines)
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == at + 1
    assert rest.startswith("questions.0.dimension: ")
    assert "'empathi'" in rest and "empathy" in rest


def test_duplicate_question_id_points_at_the_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = line_of("- id: real-need")
    lines = list(ORIGINAL)
    lines[at] = lines[at].replace("real-need", "upset-customer")
    path = write(tmp_path, "duplicate.yaml", lines)
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == at + 1
    assert rest.startswith("questions.2.id: ")
    assert "'upset-customer' is used twice" in rest


def test_invalid_yaml_syntax_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at = line_of("- id: upset-customer") + 2  # the question's text line
    lines = list(ORIGINAL)
    lines[at] = lines[at].replace('text: "', "text: [")
    path = write(tmp_path, "syntax.yaml", lines)
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == at + 1
    assert "is not valid YAML" in rest


def test_an_unsafe_tag_is_refused_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text("id: x\nrun: !!python/object/apply:os.system [echo]\n", encoding="utf-8")
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == 2
    assert rest.startswith("is not valid YAML: could not determine a constructor for the tag")


def test_null_document_is_not_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "null.yaml"
    path.write_text("~\n", encoding="utf-8")
    code, _, err = validate(path, capsys)
    assert code == 2
    assert f"{path}:1: must be a mapping" in err


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    code, _, err = validate(path, capsys)
    assert code == 2
    assert f"{path}:1: is empty" in err


def test_not_a_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- one\n- two\n", encoding="utf-8")
    code, _, err = validate(path, capsys)
    assert code == 2
    assert "must be a mapping" in err


def test_missing_field_names_its_parent_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at = line_of("name: Proactivity")
    lines = ORIGINAL[:at] + ORIGINAL[at + 1 :]
    path = write(tmp_path, "missing-name.yaml", lines)
    code, _, err = validate(path, capsys)
    assert code == 2
    number, rest = report_line(err, path)
    assert number == line_of("- id: proactivity") + 1
    assert rest.startswith("dimensions.1.name: ")


def test_validate_reports_every_bad_file_and_still_checks_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    missing = tmp_path / "nope.yaml"
    code = main(["rubrics", "validate", str(bad), str(RUBRIC_FILE), str(missing)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"{RUBRIC_FILE}: ok" in out
    assert f"{bad}:" in err
    assert f"{missing}: no such file" in err


def test_load_rubric_error_lists_issues(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(ORIGINAL).replace("dimension: empathy", "dimension: empathi", 1), "utf-8")
    with pytest.raises(RubricError) as raised:
        load_rubric(str(path))
    assert str(path) in raised.value.message
    assert "questions.0.dimension" in raised.value.message
    assert raised.value.hint and "starling rubrics validate" in raised.value.hint


def test_unknown_rubric_id_lists_known_ones(tmp_path: Path) -> None:
    with pytest.raises(RubricError) as raised:
        find_rubric("no-such-rubric", tmp_path)
    assert raised.value.hint and "customer-focus" in raised.value.hint


def test_user_rubrics_are_listed_and_broken_ones_flagged(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = home / "rubrics"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    assert main(["rubrics", "list"]) == 0
    out = capsys.readouterr().out
    assert "customer-focus" in out
    assert "broken" in out and "INVALID" in out
    assert main(["rubrics", "validate"]) == 2
    captured = capsys.readouterr()
    assert "broken.yaml" in captured.err
    assert "customer-focus" in captured.out


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace("dimension: empathy", "dimension: empathi", 1),
        lambda text: text.replace('text: "Can you tell me about a specific', 'text: ["Can you', 1),
    ],
    ids=["invalid", "syntax"],
)
def test_validate_subprocess_has_no_traceback(tmp_path: Path, edit: Callable[[str], str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(edit("\n".join(ORIGINAL)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "agent.cli", "rubrics", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{path}:")
