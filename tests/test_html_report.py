"""The self-contained HTML report: complete, escaped, offline, with evidence marked in place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.cli import main
from agent.domain.transcript import Turn
from agent.reports.html import interview_html
from agent.storage import read_transcript

EXAMPLE = Path(__file__).resolve().parent.parent / "transcripts" / "example-practice.jsonl"


def test_report_has_every_part_a_reviewer_needs() -> None:
    transcript = read_transcript(EXAMPLE)
    page = interview_html(transcript)
    evaluation = transcript.evaluation
    assert evaluation is not None
    for question in evaluation.questions:
        assert question.question.replace("'", "&#x27;") in page
    for dimension in evaluation.dimensions:
        assert dimension.name in page
    assert "not assessed" in page
    assert "Provenance" in page and evaluation.provenance.rubric_hash in page
    assert page.count('class="turn candidate"') == len(transcript.candidate_text)
    assert "<mark>" in page


def test_report_needs_no_network() -> None:
    page = interview_html(read_transcript(EXAMPLE))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?:""", page)
    assert "<script" not in page


def test_candidate_markup_and_escapes_are_shown_not_interpreted() -> None:
    transcript = read_transcript(EXAMPLE)
    hostile = "<script>alert(1)</script> [bold]x[/bold] \x1b[31mred"
    turns = [r for r in transcript.records if isinstance(r, Turn) and r.role == "candidate"]
    index = transcript.records.index(turns[0])
    transcript.records[index] = turns[0].model_copy(update={"text": hostile})
    page = interview_html(transcript)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "[bold]x[/bold]" in page
    assert "\x1b" not in page and "␛[31mred" in page


def test_export_command_writes_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / "transcripts").mkdir(parents=True)
    (home / "transcripts" / "example-practice.jsonl").write_text(
        EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setenv("STARLING_HOME", str(home))
    out = tmp_path / "report.html"
    assert main(["transcripts", "export", "example-practice", "--format", "html", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main(["transcripts", "export", "example-practice", "--format", "md"]) == 0
    assert (home / "exports" / "example-practice.md").exists()
