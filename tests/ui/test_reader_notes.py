"""What the reader says it could not do is visible everywhere: the STAR panel, the report, review,
every export and the plain terminal, not only in the JSON."""

from __future__ import annotations

import io
import json

import pytest

from agent.domain.policy import InterviewConfig
from agent.rubrics import load_rubric
from agent.settings import Settings
from agent.storage import TranscriptStore
from agent.terminal import run_terminal_interview
from agent.ui.messages import ReportExported
from agent.ui.screens.report import ReportScreen
from agent.ui.screens.review_detail import ReviewDetailScreen
from agent.ui.widgets.star_panel import StarPanel

from .conftest import AppFactory
from .helpers import (
    FRENCH,
    STRONG,
    UNREADABLE_NOTE,
    Recorder,
    answer,
    scripted_brain,
    settle,
    start,
)
from .interviews import Spec, write_interviews


async def test_the_star_panel_and_the_report_say_why_an_answer_was_not_scored(
    make_app: AppFactory, settings: Settings
) -> None:
    recorder = Recorder()
    app = make_app(question_count=2)
    async with app.run_test(size=(120, 40), message_hook=recorder) as pilot:
        chat = await start(pilot)
        await answer(pilot, FRENCH)
        panel = " ".join(str(chat.query_one(StarPanel).query_one("#star-body").render()).split())
        assert "Not assessed" in panel and UNREADABLE_NOTE in panel
        await answer(pilot, STRONG)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        report = " ".join(str(s.render()) for s in app.screen.query("ReportView Static"))
        assert UNREADABLE_NOTE in " ".join(report.split())
        await pilot.press("e")
        await settle(pilot)
    (exported,) = recorder.of(ReportExported)
    for path in exported.paths:
        assert UNREADABLE_NOTE in path.read_text(encoding="utf-8"), path.suffix
    document = json.loads(next(p for p in exported.paths if p.suffix == ".json").read_text(encoding="utf-8"))
    assert any(UNREADABLE_NOTE in q["notes"] for q in document["evaluation"]["questions"])


async def test_review_shows_and_exports_the_note(make_app: AppFactory, settings: Settings) -> None:
    spec = Spec("20250314-0930-fr", "Fleur", (FRENCH, STRONG, STRONG), minutes=1)
    write_interviews(settings, spec)
    recorder = Recorder()
    app = make_app(review=True)
    async with app.run_test(size=(120, 40), message_hook=recorder) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ReviewDetailScreen)
        report = " ".join(str(s.render()) for s in detail.query("ReportView Static"))
        assert UNREADABLE_NOTE in " ".join(report.split())
        await pilot.press("e")
        await settle(pilot)
    (exported,) = recorder.of(ReportExported)
    for path in exported.paths:
        assert UNREADABLE_NOTE in path.read_text(encoding="utf-8"), path.suffix


def test_the_plain_terminal_says_why(
    store: TranscriptStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{FRENCH}\n.\n{STRONG}\n.\n"))
    run_terminal_interview(
        rubric=load_rubric("customer-focus"),
        brain=scripted_brain(),
        store=store,
        mode="practice",
        config=InterviewConfig(question_count=2, max_followups=0, seed=3),
    )
    out = " ".join(capsys.readouterr().out.split())
    assert f"[note] {UNREADABLE_NOTE}" in out, "after the answer"
    assert f"Note: {UNREADABLE_NOTE}" in out, "in the practice summary"
