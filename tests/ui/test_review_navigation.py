"""Review: zooming a pane, the next and previous candidate, sorting by one dimension, incomplete
interviews never ranked above complete ones unmarked, and exports that carry the decision."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from textual.widgets import DataTable

from agent.reviews import ReviewEntry, ReviewStore
from agent.settings import Settings
from agent.ui.app import StarlingApp
from agent.ui.comparison import comparison_lines
from agent.ui.messages import ReportExported
from agent.ui.screens.compare import CompareScreen
from agent.ui.screens.review import ReviewScreen
from agent.ui.screens.review_detail import ReviewDetailScreen
from agent.ui.widgets.evidence_transcript import EvidenceTranscript
from agent.ui.widgets.report_view import ReportView

from ..rendered import Page
from .conftest import AppFactory
from .helpers import FIXED_NOW, STRONG, Recorder, flat, screen_text, settle
from .interviews import MIDDLING_SPEC, STRONG_SPEC, WEAK_SPEC, Spec, write_interviews

ANA, BEN, CY = STRONG_SPEC.interview_id, WEAK_SPEC.interview_id, MIDDLING_SPEC.interview_id
# One strong answer, then ended: a high score over half the interview.
PARTIAL_SPEC = Spec("20250314-0930-dee", "Dee Partial", (STRONG, "/end"), minutes=6)
DEE = PARTIAL_SPEC.interview_id


@pytest.fixture
def interviews(settings: Settings) -> list[str]:
    return write_interviews(settings, STRONG_SPEC, WEAK_SPEC, MIDDLING_SPEC, PARTIAL_SPEC)


def review_app(make_app: AppFactory) -> StarlingApp:
    return make_app(review=True, reviewer="Sam Reviewer")


def order(app: StarlingApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return [row.interview_id for row in screen.rows]


def go_to(app: StarlingApp, interview_id: str) -> None:
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(interview_id), animate=False)


async def test_z_zooms_the_focused_pane_and_restores_it(make_app: AppFactory, interviews: list[str]) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        go_to(app, ANA)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ReviewDetailScreen)
        transcript = detail.query_one(EvidenceTranscript)
        assert detail.focused is transcript
        narrow = transcript.size.width
        await pilot.press("z")
        await pilot.pause()
        assert detail.maximized is transcript
        assert transcript.size.width > narrow
        await pilot.press("z")
        await pilot.pause()
        assert detail.maximized is None
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(detail.focused, ReportView)
        await pilot.press("z")
        await pilot.pause()
        assert detail.maximized is detail.focused
        await pilot.press("escape")  # first escape restores, the second goes back
        await pilot.pause()
        assert detail.maximized is None and app.screen is detail
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_next_and_previous_candidate_follow_the_list(
    make_app: AppFactory, interviews: list[str]
) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        listed = order(app)
        go_to(app, listed[0])
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ReviewDetailScreen)
        seen = [detail.transcript.interview_id]
        for _ in listed[1:]:
            await pilot.press("n")
            await settle(pilot)
            seen.append(detail.transcript.interview_id)
            assert detail.query_one(EvidenceTranscript).transcript.interview_id == seen[-1]
        assert seen == listed
        assert f"{len(listed)} of {len(listed)}" in screen_text(app)
        await pilot.press("n")  # past the end: stays, and says so
        await settle(pilot)
        assert detail.transcript.interview_id == listed[-1]
        await pilot.press("p")
        await settle(pilot)
        assert detail.transcript.interview_id == listed[-2]
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.selected() is not None and screen.selected().interview_id == listed[-2]  # type: ignore[union-attr]


async def test_sort_by_one_dimension_with_its_number(make_app: AppFactory, interviews: list[str]) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(130, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        go_to(app, ANA)
        await pilot.pause()
        dimensions = [d.dimension for d in screen.rows[0].dimensions]
        assert "1:" + dimensions[0] in flat(screen_text(app)), "the legend numbers the dimensions"
        for number, dimension in enumerate(dimensions, start=1):
            await pilot.press(str(number))
            await pilot.pause()
            assert screen.sort_dimension == dimension and screen.descending
            scores = [row.dimension_score(dimension) for row in screen.rows]
            present = [s for s in scores if s is not None]
            assert present == sorted(present, reverse=True), f"best first by {dimension}"
            assert scores[: len(present)] == present, "not assessed last"
            assert f"sorted by {dimension} ↓" in screen_text(app)
        await pilot.press(str(len(dimensions)))  # the same number again reverses
        await pilot.pause()
        assert not screen.descending
        await pilot.press("9")
        await pilot.pause()
        assert screen.sort_dimension == dimensions[-1], "a number past the last dimension changes nothing"


async def test_incomplete_interviews_rank_after_complete_ones_and_say_so(
    make_app: AppFactory, interviews: list[str]
) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(130, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        dee = next(row for row in screen.rows if row.interview_id == DEE)
        ben = next(row for row in screen.rows if row.interview_id == BEN)
        assert not dee.complete and dee.evaluation is not None and ben.evaluation is not None
        assert (dee.evaluation.overall_score or 0) > (ben.evaluation.overall_score or 0)
        screen.sort_by("overall", descending=True)
        await pilot.pause()
        assert order(app)[-1] == DEE, "a higher score over half the interview ranks after the complete ones"
        text = screen_text(app)
        assert "⚠1/2" in text and "incomplete last" in text
        go_to(app, DEE)
        await pilot.pause()
        assert "1 of 2 questions scored" in flat(screen_text(app))

    rows = {row.interview_id: row for row in screen.rows}
    overall = next(line for line in comparison_lines([rows[DEE], rows[BEN]]) if line.label == "Overall")
    assert overall.best() is None, "the incomplete interview's higher score is not marked best"
    assert overall.marks == ("⚠1/2", "")
    ana = next(
        line for line in comparison_lines([rows[DEE], rows[BEN], rows[ANA]]) if line.label == "Overall"
    )
    assert ana.best() == rows[ANA].evaluation.overall_score  # type: ignore[union-attr]


async def test_compare_marks_the_incomplete_interview(make_app: AppFactory, interviews: list[str]) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for interview_id in (DEE, BEN):
            go_to(app, interview_id)
            await pilot.press("space")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        text = flat(screen_text(app))
        assert "⚠1/2" in text and "Questions scored" in text
        assert "only n of m questions scored" in text


async def test_an_export_from_review_carries_the_decision_and_notes(
    make_app: AppFactory, settings: Settings, interviews: list[str]
) -> None:
    ReviewStore(settings.reviews_dir).record(
        ANA, ReviewEntry(decision="hold", notes="First look.", reviewer="Kim", decided_at=FIXED_NOW)
    )
    ReviewStore(settings.reviews_dir).record(
        ANA,
        ReviewEntry(
            decision="advance", notes="References [b]fine[/b].", reviewer="Sam", decided_at=FIXED_NOW
        ),
    )
    recorder = Recorder()
    app = review_app(make_app)
    async with app.run_test(size=(120, 36), message_hook=recorder) as pilot:
        await settle(pilot)
        go_to(app, ANA)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
    (exported,) = recorder.of(ReportExported)
    for path in exported.paths:
        page = path.read_text(encoding="utf-8")
        if path.suffix == ".md":  # read as a Markdown renderer shows it: candidate text is escaped
            page = Page(MarkdownIt("commonmark").render(page)).text
        assert "Reviewer's decision" in page
        assert "Advance" in page and "Sam" in page and "References [b]fine[/b]." in page
        assert "Earlier decision" in page and "First look." in page


def test_the_decision_dialog_says_what_the_machine_score_covers(settings: Settings) -> None:
    from agent.storage import TranscriptStore
    from agent.ui.screens.decision import machine_line

    write_interviews(settings, PARTIAL_SPEC)
    evaluation = TranscriptStore(settings.transcripts_dir).load(DEE).evaluation
    assert "1 of 2 questions scored" in machine_line(evaluation).plain
