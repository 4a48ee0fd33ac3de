"""`starling rubrics`: list, validate, lint and show rubrics and kits, and start a new rubric."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agent.cli import wiring
from agent.errors import InputError

if TYPE_CHECKING:
    from agent.domain.rubric import Rubric
    from agent.rubrics import RubricIssue


def cmd_rubrics_list(args: argparse.Namespace) -> int:
    from agent.rubrics import check_file, kit_files, rubric_files

    home = wiring.settings_for(args).home
    for heading, paths in (("Rubrics", rubric_files(home)), ("Role kits", kit_files(home))):
        print(f"{heading}:")
        for path in paths:
            rubric, issues = check_file(path, home)
            if rubric is None:
                print(
                    f"  {path.stem:<22} INVALID ({len(issues)} problem(s); "
                    f"run 'starling rubrics validate {path}')"
                )
            elif rubric.parts:
                asked = ", ".join(f"{part.id} {part.questions}" for part in rubric.parts)
                print(f"  {rubric.id:<22} v{rubric.version:<8} {rubric.title}: {asked}  ({path})")
            else:
                print(
                    f"  {rubric.id:<22} v{rubric.version:<8} {len(rubric.questions):>3} questions  "
                    f"{rubric.title}  ({path})"
                )
    return 0


def _sound(path: Path, rubric: Rubric) -> str:
    """What validate says of a sound rubric or kit."""
    if rubric.parts:
        asked = rubric.kit_question_count
        return (
            f"{path}: ok (kit {rubric.id} v{rubric.version}, {len(rubric.parts)} competencies, "
            f"{asked} questions asked, {rubric.content_hash()})"
        )
    return f"{path}: ok ({rubric.id} v{rubric.version}, {len(rubric.questions)} questions, {rubric.content_hash()})"


def cmd_rubrics_validate(args: argparse.Namespace) -> int:
    from agent.rubrics import check_file

    home = wiring.settings_for(args).home
    return _check_rubric_files(args, lambda path: check_file(path, home), _sound)


def cmd_rubrics_lint(args: argparse.Namespace) -> int:
    from agent.authoring.lint import lint_file

    home = wiring.settings_for(args).home
    return _check_rubric_files(
        args,
        lambda path: lint_file(path, home),
        lambda path, rubric: (
            f"{path}: ok ({rubric.id}: "
            + ("" if rubric.parts else f"{len(rubric.questions)} questions, ")
            + "nothing to improve)"
        ),
    )


def _check_rubric_files(
    args: argparse.Namespace,
    check: Callable[[Path], tuple[Rubric | None, list[RubricIssue]]],
    ok: Callable[[Path, Rubric], str],
) -> int:
    """Check the named files (default: every known rubric and kit): issues on stderr, a line per sound file."""
    from agent.rubrics import kit_files, rubric_files
    from agent.visible import visible_controls

    home = wiring.settings_for(args).home
    paths = args.paths or [*rubric_files(home), *kit_files(home)]
    bad = 0
    for path in paths:
        if not path.exists():
            print(f"{path}: no such file", file=sys.stderr)
            bad += 1
            continue
        rubric, issues = check(path)
        for issue in issues:
            print(visible_controls(str(issue)), file=sys.stderr)
        if rubric is None or issues:
            bad += 1
        else:
            print(ok(path, rubric))
    return 2 if bad else 0


def cmd_rubrics_show(args: argparse.Namespace) -> int:
    from agent.authoring.show import render
    from agent.rubrics import load_rubric
    from agent.visible import visible_controls

    sys.stdout.write(visible_controls(render(load_rubric(args.rubric, wiring.settings_for(args).home))))
    return 0


def cmd_rubrics_new(args: argparse.Namespace) -> int:
    from agent.authoring.scaffold import write_scaffold
    from agent.domain.rubric import is_slug

    if not is_slug(args.id):
        raise InputError(
            f"'{args.id}' cannot be a rubric id.",
            hint="Use lower case letters, digits and single hyphens, such as 'problem-solving'.",
        )
    path = args.out or wiring.settings_for(args).home / "rubrics" / f"{args.id}.yaml"
    title = args.title or args.id.replace("-", " ").replace("_", " ").capitalize()
    write_scaffold(args.id, title, path)
    print(f"Wrote {path}. Fill in every TODO, then run 'starling rubrics lint {path}'.")
    return 0
