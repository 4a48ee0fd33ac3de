"""Read eval data files (YAML and JSON Lines) into pydantic models, with file/line/field errors."""

from __future__ import annotations

import glob
import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from agent.evals.errors import LocatedError, SuiteError
from agent.yaml_fields import FileIssue, Location, compose_with_lines, error_location, syntax_issue
from agent.yaml_fields import issue_at as field_issue

M = TypeVar("M", bound=BaseModel)
# One problem in an eval file: where it is and what is wrong.
Issue = FileIssue


def fail(issues: list[Issue], what: str) -> SuiteError:
    details = "\n".join(f"  {issue}" for issue in issues)
    return SuiteError(
        f"{what} is not valid:\n{details}",
        hint="Fix the fields named above and run again.",
        details=[str(issue) for issue in issues],
    )


def load_yaml_model(path: Path, model: type[M]) -> tuple[M, dict[Location, int]]:
    """Parse one YAML file into `model`; every problem names the file, line and field path.

    Returns the line of every field too, so later checks can point at the right line.
    """
    data, lines = read_yaml(path)
    return validate(data, model, path, lines), lines


def issue_at(path: Path, lines: dict[Location, int], loc: Location, message: str) -> SuiteError:
    """An error for one field of a file that parsed but does not fit the rest of the suite."""
    return fail([_issue(path, loc, message, lines)], str(path))


def validate(data: Any, model: type[M], path: Path, lines: dict[Location, int], base: Location = ()) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        issues = [_issue(path, (*base, *_location(e)), e["msg"], lines) for e in error.errors()]
        raise fail(issues, str(path)) from error


def read_yaml(path: Path) -> tuple[Any, dict[Location, int]]:
    """The file's data and the line of every field in it."""
    text = _read_text(path)
    try:
        found = compose_with_lines(text)
    except yaml.YAMLError as error:
        raise fail([syntax_issue(path, error)], str(path)) from error
    if found is None:
        raise fail([Issue(path, 1, "", "is empty")], str(path))
    return found


def read_jsonl(path: Path, model: type[M]) -> list[tuple[int, M]]:
    """Every non-blank line of a JSON Lines file as `model`, with its line number."""
    text = _read_text(path)
    items: list[tuple[int, M]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as error:
            raise fail([Issue(path, number, "", f"is not valid JSON: {error}")], str(path)) from error
        try:
            items.append((number, model.model_validate(data)))
        except ValidationError as error:
            issues = [
                Issue(path, number, ".".join(str(p) for p in _location(e)), e["msg"]) for e in error.errors()
            ]
            raise fail(issues, str(path)) from error
    return items


def expand(pattern: str, relative_to: Path) -> list[Path]:
    """Files matching a path or glob, relative to a folder, sorted; an error when nothing matches."""
    full = pattern if Path(pattern).is_absolute() else str(relative_to / pattern)
    found = sorted(Path(p) for p in glob.glob(full))  # noqa: PTH207 - patterns may be absolute or use ..
    if not found:
        raise SuiteError(f"No files match {pattern!r} (looked in {relative_to}).")
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise SuiteError(f"No such file: {path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteError(f"Cannot read {path}: {error}") from error


def _location(error: Any) -> Location:
    return error_location(error, LocatedError)


def _issue(path: Path, loc: Location, message: str, lines: dict[Location, int]) -> Issue:
    return field_issue(path, loc, message.removeprefix("Value error, "), lines)
