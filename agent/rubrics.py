"""Load and validate rubric files, with errors that name the file, the line and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from agent.domain.kit import Kit, compose
from agent.domain.rubric import Rubric, RubricFieldError
from agent.errors import RubricError
from agent.resources import bundled_dir
from agent.yaml_fields import (
    LOADER,
    FileIssue,
    Location,
    compose_with_lines,
    error_location,
    issue_at,
    syntax_issue,
)

M = TypeVar("M", bound=BaseModel)
# One problem in a rubric file.
RubricIssue = FileIssue


def rubric_dirs(home: Path | None = None) -> list[Path]:
    """Folders searched for rubrics: the user's own first, then the bundled ones."""
    dirs = []
    if home is not None:
        dirs.append(home / "rubrics")
    dirs.append(bundled_dir("rubrics"))
    return dirs


def rubric_files(home: Path | None = None) -> list[Path]:
    return _files(rubric_dirs(home))


def kit_files(home: Path | None = None) -> list[Path]:
    """Role kits: `kits/` inside each rubric folder, the user's own first."""
    return _files([folder / "kits" for folder in rubric_dirs(home)])


def _files(folders: list[Path]) -> list[Path]:
    seen: set[str] = set()
    files: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            if path.stem not in seen:
                seen.add(path.stem)
                files.append(path)
    return files


def find_rubric(rubric_id: str, home: Path | None = None, *, kits: bool = True) -> Path:
    """The file for a rubric id (or, with `kits`, a kit id), or a path given directly."""
    found = _lookup(rubric_id, [*rubric_files(home), *(kit_files(home) if kits else [])])
    if found is not None:
        return found
    known = ", ".join(p.stem for p in rubric_files(home)) or "none"
    kit_names = ", ".join(p.stem for p in kit_files(home)) or "none"
    raise RubricError(
        f"No rubric or kit called '{rubric_id}'." if kits else f"No rubric called '{rubric_id}'.",
        hint=f"Known rubrics: {known}. Kits: {kit_names}. Run 'starling rubrics list' to see them.",
    )


def find_kit(kit_id: str, home: Path | None = None) -> Path:
    """The file for a kit id, or a kit file given directly."""
    found = _lookup(kit_id, kit_files(home))
    if found is not None:
        return found
    known = ", ".join(p.stem for p in kit_files(home)) or "none"
    raise RubricError(f"No kit called '{kit_id}'.", hint=f"Known kits: {known}. Run 'starling rubrics list'.")


def _lookup(name: str, files: list[Path]) -> Path | None:
    """A YAML file given directly by its path, else the one of `files` whose stem is `name`."""
    direct = Path(name)
    if direct.suffix in {".yaml", ".yml"} and direct.is_file():
        return direct
    return next((path for path in files if path.stem == name), None)


def load_rubric(rubric_id: str, home: Path | None = None) -> Rubric:
    """A rubric by id or path; a kit's id or path gives the rubric composed from its competencies."""
    path = find_rubric(rubric_id, home)
    rubric, issues = check_file(path, home)
    if rubric is None:
        details = "\n".join(f"  {issue}" for issue in issues)
        raise RubricError(
            f"The file {path} is not a valid rubric or kit:\n{details}",
            hint="Fix the fields named above, then run 'starling rubrics validate'.",
        )
    return rubric


def check_file(path: Path, home: Path | None = None) -> tuple[Rubric | None, list[RubricIssue]]:
    """A rubric file, or a kit file composed with its rubrics, validated; or every issue found."""
    parsed, issues = parse_file(path)
    if isinstance(parsed, Kit):
        return compose_kit(parsed, path, home)
    return parsed, issues


def parse_file(path: Path) -> tuple[Rubric | Kit | None, list[RubricIssue]]:
    """A rubric or a kit (a file that lists `competencies`), validated on its own fields."""
    data, text, issues = _read_mapping(path)
    if issues:
        return None, issues
    if "competencies" in data:
        return _validated(path, data, text, Kit)
    return _validated(path, data, text, Rubric)


def check_rubric_file(path: Path) -> tuple[Rubric | None, list[RubricIssue]]:
    """Parse and validate one rubric file; return the rubric or every issue found."""
    data, text, issues = _read_mapping(path)
    return (None, issues) if issues else _validated(path, data, text, Rubric)


def compose_kit(
    kit: Kit,
    path: Path,
    home: Path | None = None,
    check: Callable[[Path], tuple[Rubric | None, list[RubricIssue]]] = check_rubric_file,
) -> tuple[Rubric | None, list[RubricIssue]]:
    """The kit composed with its competency rubrics, or the issues that prevent it (at kit lines).

    `check` reads a competency's rubric file (a cache passes its own).
    """
    rubrics: dict[str, Rubric] = {}
    problems: list[tuple[Location, str]] = []
    if any(found.stem == kit.id and found.resolve() != path.resolve() for found in rubric_files(home)):
        problems.append((("id",), f"a rubric is called '{kit.id}' too; give the kit its own id"))
    for index, competency in enumerate(kit.competencies):
        loc: Location = ("competencies", index, "rubric")
        try:
            found = find_rubric(competency.rubric, home, kits=False)
        except RubricError as error:
            problems.append((loc, f"{error.message} {error.hint}"))
            continue
        rubric, rubric_issues = check(found)
        if rubric is None:
            problems.append((loc, f"the rubric {found} is not valid ({len(rubric_issues)} problem(s))"))
        else:
            rubrics[competency.rubric] = rubric
    if not problems:
        try:
            return compose(kit, rubrics), []
        except RubricFieldError as error:
            problems.append((error.loc, str(error)))
    # The file is parsed again, as nodes, only to name the line of each problem.
    lines = field_lines(path.read_text(encoding="utf-8"))
    return None, [issue_at(path, loc, message, lines) for loc, message in problems]


def _validated(
    path: Path, data: dict[str, Any], text: str, model: type[M]
) -> tuple[M | None, list[RubricIssue]]:
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        # The file is parsed again, as nodes, only to name the line of each problem.
        lines = field_lines(text)
        return None, [issue_at(path, _location(e), e["msg"], lines) for e in error.errors()]


def _read_mapping(path: Path) -> tuple[dict[str, Any], str, list[RubricIssue]]:
    """A YAML file's top-level mapping and text, or the issue that stops it being one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return {}, "", [RubricIssue(path, None, "", f"cannot be read ({error})")]
    try:
        data = yaml.load(text, Loader=LOADER)  # a safe loader: the C one when available
    except yaml.YAMLError as error:
        return {}, text, [_syntax_issue(path, text, error)]
    if not isinstance(data, dict):
        empty = data is None and yaml.compose(text, Loader=LOADER) is None
        message = "is empty" if empty else "must be a mapping of fields"
        return {}, text, [RubricIssue(path, 1, "", message)]
    return data, text, []


def field_lines(text: str) -> dict[Location, int]:
    """The line of every field of a rubric file's text (a mapping entry's is its key's line)."""
    found = compose_with_lines(text)
    return found[1] if found is not None else {}


def _location(error: Any) -> Location:
    return error_location(error, RubricFieldError)


def _syntax_issue(path: Path, text: str, error: yaml.YAMLError) -> RubricIssue:
    """Describe a YAML error with the pure-Python parser, whose marks point at the problem (or, for
    text that parses but cannot be loaded, such as an unsafe tag, with the loader's own error)."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as found:
        error = found
    return syntax_issue(path, error)
