"""One entry point for every format an interview can be written in, for the CLI and the UI alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from agent.domain.transcript import Transcript
from agent.reports.html import interview_html
from agent.reports.json_report import interview_document
from agent.reports.markdown import transcript_markdown

Format = Literal["md", "json", "html"]
SUFFIX: dict[Format, str] = {"md": ".md", "json": ".json", "html": ".html"}


def render(transcript: Transcript, fmt: Format) -> str:
    """A transcript with its evaluation as Markdown, JSON or self-contained HTML."""
    if fmt == "json":
        return json.dumps(interview_document(transcript), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return interview_html(transcript)
    return transcript_markdown(transcript)


def export(
    transcript: Transcript, folder: Path, formats: tuple[Format, ...] = ("md", "json", "html")
) -> list[Path]:
    """Write the interview into `folder` once per format; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = folder / f"{transcript.interview_id}{SUFFIX[fmt]}"
        path.write_text(render(transcript, fmt), encoding="utf-8")
        paths.append(path)
    return paths
