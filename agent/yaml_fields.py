"""YAML read with the line of every field, and problems that name the file, the line and the field.

Rubric files and eval files both report errors this way, so both read YAML through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Location = tuple[str | int, ...]
# The C parser when PyYAML was built with libyaml: several times faster on the larger files.
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FileIssue:
    """One problem in a file: where it is and what is wrong."""

    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def compose_with_lines(text: str) -> tuple[Any, dict[Location, int]] | None:
    """The text's data and the line of every field in it; None for an empty document.

    Raises yaml.YAMLError for text that is not valid YAML."""
    node = yaml.compose(text, Loader=LOADER)
    if node is None:
        return None
    lines: dict[Location, int] = {}
    return _to_python(node, (), lines, node.start_mark.line + 1), lines


def syntax_issue(path: Path, error: yaml.YAMLError) -> FileIssue:
    """A YAML error as an issue on the line its mark points at."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error)
    return FileIssue(path, line, "", f"is not valid YAML: {problem}")


def issue_at(path: Path, loc: Location, message: str, lines: dict[Location, int]) -> FileIssue:
    """An issue at a field, on the line of the field or of the nearest field that holds it."""
    field = ".".join(str(part) for part in loc)
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return FileIssue(path, lines[loc[:cut]], field, message)
    return FileIssue(path, None, field, message)


def error_location(error: Any, located: type[Exception]) -> Location:
    """Where a pydantic error is: below its model when a cross-field validator raised `located`
    (an error carrying the `loc` of the field it is about)."""
    cause = error.get("ctx", {}).get("error")
    extra: Location = getattr(cause, "loc", ()) if isinstance(cause, located) else ()
    return (*error["loc"], *extra)


def _to_python(node: yaml.Node, loc: Location, lines: dict[Location, int], line: int) -> Any:
    """Plain Python data from a YAML node, remembering each field's line.

    A mapping entry's line is its key's line: a block value such as `anchors:` starts on the next.
    """
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
