"""`starling rubrics new`: a commented rubric to fill in, valid from the start."""

from __future__ import annotations

import json
from pathlib import Path
from string import Template

from agent.errors import RubricError

_TEMPLATE = Path(__file__).with_name("scaffold.yaml")


def scaffold(rubric_id: str, title: str, path: Path) -> str:
    """The text of a new rubric file: every field explained, every value still to write marked TODO."""
    template = Template(_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(id=rubric_id, title=json.dumps(title, ensure_ascii=False), path=path)


def write_scaffold(rubric_id: str, title: str, path: Path) -> None:
    """Write a new rubric file; an existing file is never overwritten."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(scaffold(rubric_id, title, path))
    except FileExistsError:
        raise RubricError(
            f"{path} already exists.", hint="Choose another id or --out path; it was left as it was."
        ) from None
    except OSError as error:
        raise RubricError(f"Could not write {path}: {error.strerror or error}.") from None
