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
from agent.reviews import Review

Format = Literal["md", "json", "html"]
SUFFIX: dict[Format, str] = {"md": ".md", "json": ".json", "html": ".html"}


def render(transcript: Transcript, fmt: Format, review: Review | None = None) -> str:
    """A transcript with its evaluation as Markdown, JSON or self-contained HTML.

    With `review`, the reviewer's decisions and notes are included, apart from the evaluation.
    """
    if fmt == "json":
        document = interview_document(transcript)
        if review is not None and review.history:
            document["review"] = review.model_dump(mode="json")
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return interview_html(transcript, review=review)
    return transcript_markdown(transcript, review=review)


def export(
    transcript: Transcript,
    folder: Path,
    formats: tuple[Format, ...] = ("md", "json", "html"),
    review: Review | None = None,
) -> list[Path]:
    """Write the interview into `folder` once per format, owner-only; return the paths written."""
    return [
        write_private(folder / f"{transcript.interview_id}{SUFFIX[fmt]}", render(transcript, fmt, review))
        for fmt in formats
    ]
