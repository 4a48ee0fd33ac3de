"""Read eval data files (YAML and JSON Lines) into pydantic models, with file/line/field errors."""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from agent.evals.errors import LocatedError, SuiteError

Location = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Issue:
    """One problem in an eval file: where it is and what is wrong."""

    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise SuiteError(f"No such file: {path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteError(f"Cannot read {path}: {error}") from error
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise fail([Issue(path, line, "", f"is not valid YAML: {problem}")], str(path)) from error
    if node is None:
        raise fail([Issue(path, 1, "", "is empty")], str(path))
    lines: dict[Location, int] = {}
    return _to_python(node, (), lines, node.start_mark.line + 1), lines


def read_jsonl(path: Path, model: type[M]) -> list[tuple[int, M]]:
    """Every non-blank line of a JSON Lines file as `model`, with its line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise SuiteError(f"No such file: {path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteError(f"Cannot read {path}: {error}") from error
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


def _location(error: Any) -> Location:
    cause = error.get("ctx", {}).get("error")
    extra: Location = cause.loc if isinstance(cause, LocatedError) else ()
    return (*error["loc"], *extra)


def _issue(path: Path, loc: Location, message: str, lines: dict[Location, int]) -> Issue:
    field = ".".join(str(part) for part in loc)
    message = message.removeprefix("Value error, ")
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return Issue(path, lines[loc[:cut]], field, message)
    return Issue(path, None, field, message)


def _to_python(node: yaml.Node, loc: Location, lines: dict[Location, int], line: int) -> Any:
    """Plain Python data from a YAML node, remembering each field's line (a key's line for entries)."""
    lines[loc] = line
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            result[key] = _to_python(value_node, (*loc, key), lines, key_node.start_mark.line + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*loc, i), lines, item.start_mark.line + 1) for i, item in enumerate(node.value)
        ]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    """A composed node's value: its tag is already resolved, so it only needs constructing."""
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


# The C parser when PyYAML was built with libyaml: several times faster on the larger data files.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
