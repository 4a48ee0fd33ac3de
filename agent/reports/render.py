"""One entry point for every format an interview can be written in, for the CLI and the UI alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from agent.domain.transcript import Transcript
from agent.files import write_private
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
    """Write the interview into `folder` once per format, owner-only; return the paths written."""
    return [
        write_private(folder / f"{transcript.interview_id}{SUFFIX[fmt]}", render(transcript, fmt))
        for fmt in formats
    ]
