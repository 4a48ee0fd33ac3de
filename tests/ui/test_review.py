"""The reviewer's workspace: the list, sorting, one interview with its evidence, comparing, deciding, exporting."""

from __future__ import annotations

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, RadioSet, Static, TextArea

from agent.reviews import ReviewEntry, ReviewStore
from agent.settings import Settings
from agent.ui.app import StarlingApp
from agent.ui.evidence import HIGHLIGHT
from agent.ui.messages import DecisionRecorded, DecisionsReread, ReportExported, ReviewListLoaded
from agent.ui.review_rows import Column
from agent.ui.screens.compare import CompareScreen
from agent.ui.screens.decision import DecisionScreen
from agent.ui.screens.review import ReviewScreen
from agent.ui.screens.review_detail import ReviewDetailScreen
from agent.ui.widgets.decision_panel import DecisionPanel
from agent.ui.widgets.evidence_transcript import EvidenceTranscript

from .conftest import AppFactory
from .helpers import FIXED_NOW, STRONG, Recorder, current, flat, notices, screen_text, settle
from .interviews import MIDDLING_SPEC, PRACTICE_SPEC, STRONG_SPEC, TEAM_SPEC, WEAK_SPEC, write_interviews

ANA, BEN, CY = STRONG_SPEC.interview_id, WEAK_SPEC.interview_id, MIDDLING_SPEC.interview_id


@pytest.fixture
def interviews(settings: Settings) -> list[str]:
    return write_interviews(settings, STRONG_SPEC, WEAK_SPEC, MIDDLING_SPEC, PRACTICE_SPEC)


def review_app(make_app: AppFactory) -> StarlingApp:
    return make_app(review=True, reviewer="Sam Reviewer")


def sorted_by(screen: ReviewScreen) -> Column:
    return screen.sort_column


def content_of(widget: Static) -> Content:
    content = widget.content
    assert isinstance(content, Content)
    return content


def order(app: StarlingApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return [row.interview_id for row in screen.rows]


def go_to(app: StarlingApp, interview_id: str) -> None:
    """Put the list's cursor on one interview."""
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(interview_id), animate=False)


async def test_the_list_shows_every_interview_with_its_scores(
    make_app: AppFactory, interviews: list[str]
) -> None:
    recorder = Recorder()
    app = review_app(make_app)
    async with app.run_test(size=(130, 30), message_hook=recorder) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert len(recorder.of(ReviewListLoaded)) == 1
        assert app.screen.query_one(DataTable).row_count == 4
        text = screen_text(app)
        for cell in ("Ana Lima", "Ben Okafor", "Cy [b]Ross[/b]", "(no name) · practice", "a1b2c3d4e5f6"):
            assert cell in text
        for cell in ("4.0", "2.0", "advance", "do not advance", "customer-focus"):
            assert cell in text
        assert "3 assessments · 1 practice · sorted by Date ↓" in text
        assert order(app) == [PRACTICE_SPEC.interview_id, CY, BEN, ANA], "newest first"
        assert "Dimensions of customer-focus (press a number to sort by one): 1:empathy 2:proactivity" in text
        assert not app.check_action("history", ()), "a reviewer has no start screen or history"


async def test_sort_by_keys_and_by_clicking_a_header(make_app: AppFactory, interviews: list[str]) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("s")  # from the date to the overall score, best first
        assert sorted_by(screen) == "overall" and order(app)[-1] == BEN
        while sorted_by(screen) != "invitation":
            await pilot.press("s")
        assert order(app)[0] == ANA, "only Ana came from an invitation; the rest follow"
        while sorted_by(screen) != "candidate":
            await pilot.press("s")
        assert order(app) == [ANA, BEN, CY, PRACTICE_SPEC.interview_id], "A to Z, no name last"
        await pilot.press("S")
        assert order(app) == [CY, BEN, ANA, PRACTICE_SPEC.interview_id], "Z to A, no name still last"

        table = screen.query_one(DataTable)
        columns = list(table.columns.values())
        x = sum(c.get_render_width(table) for c in columns[:2]) + 2  # inside the "Overall" header
        await pilot.click(DataTable, offset=(x, 0))
        await pilot.pause()
        assert screen.sort_column == "overall" and screen.descending
        assert order(app)[-1] == BEN, "lowest overall last"
        assert "sorted by Overall ↓" in screen_text(app)
        await pilot.click(DataTable, offset=(x, 0))
        await pilot.pause()
        assert not screen.descending and order(app)[0] == BEN


async def test_open_shows_the_transcript_with_evidence_highlighted(
    make_app: AppFactory, interviews: list[str]
) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        go_to(app, CY)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ReviewDetailScreen)
        transcript_view = detail.query_one(EvidenceTranscript)
        assert transcript_view.found > 0
        answers = [content_of(answer) for answer in transcript_view.query(".candidate").results(Static)]
        highlighted = [
            answer.plain[span.start : span.end]
            for answer in answers
            for span in answer.spans
            if span.style == HIGHLIGHT
        ]
        evaluation = detail.transcript.evaluation
        assert evaluation is not None
        quotes = {item.quote for question in evaluation.questions for item in question.evidence}
        assert quotes, "the offline brain quoted the answers"
        assert {" ".join(h.split()) for h in highlighted} >= {" ".join(q.split()) for q in quotes}
        text = flat(screen_text(app))
        assert "Machine evaluation" in text and "Reviewer's decision" in text
        assert "No decision yet" in text and "a person makes the decision" in text
        # The candidate's markup and escape codes are shown, not obeyed.
        transcript_view.scroll_end(animate=False)
        await pilot.pause()
        literal = "".join(answer.plain for answer in answers)
        assert "[bold]x[/bold]" in literal and "␛[31mred" in literal
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_compare_two_candidates_side_by_side(make_app: AppFactory, interviews: list[str]) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert "Mark two or more" in notices(app)[-1]
        go_to(app, ANA)
        await pilot.press("space")
        go_to(app, BEN)
        await pilot.press("space")
        assert "2 marked" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        assert {row.interview_id for row in compare.rows} == {ANA, BEN}
        text = screen_text(app)
        for words in ("Ana Lima", "Ben Okafor", "Empathy and understanding", "Overall", "4.0 ▰▰▰▰▱ ▲"):
            assert words in text
        for words in ("Machine recommendation", "advance", "do not advance", "Reviewer's decision"):
            assert words in text
        assert "A person makes the decision" in text

        await pilot.press("enter")  # open the candidate under the cursor
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        await pilot.press("escape")
        assert current(app) is compare


async def test_a_decision_in_the_comparison_is_not_undone_by_an_older_reading(
    make_app: AppFactory, interviews: list[str]
) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        go_to(app, ANA)
        await pilot.press("space")
        go_to(app, BEN)
        await pilot.press("space", "c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        stale = list(compare.rows)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("space", "ctrl+s")  # Advance for the first column
        await settle(pilot)
        compare.post_message(DecisionsReread(stale, seen=0))  # read before the decision was saved
        await settle(pilot)
        decisions = [row.decision.decision if row.decision else None for row in compare.rows]
        assert decisions == ["advance", None]
        assert "Decision saved: Advance" in str(compare.query_one("#review-status", Static).content)


async def test_compare_refuses_different_rubrics(make_app: AppFactory, settings: Settings) -> None:
    write_interviews(settings, STRONG_SPEC, TEAM_SPEC)
    app = review_app(make_app)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space", "c")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "customer-focus, team-fit" in notices(app)[-1]


async def test_record_a_decision_and_see_it_in_the_list(
    make_app: AppFactory, settings: Settings, interviews: list[str]
) -> None:
    recorder = Recorder()
    app = review_app(make_app)
    async with app.run_test(size=(120, 36), message_hook=recorder) as pilot:
        await settle(pilot)
        go_to(app, BEN)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DecisionScreen)
        assert dialog.query_one("#decision-reviewer", Input).value == "Sam Reviewer"
        assert "a person makes the decision" in str(dialog.query_one("#decision-note", Static).content)
        await pilot.press("ctrl+s")
        assert "Choose Advance, Hold or Reject first." in notices(app)
        assert isinstance(app.screen, DecisionScreen)

        await pilot.press("right", "space")  # Advance -> Hold
        assert dialog.query_one(RadioSet).pressed_button is not None
        assert "Chosen: Hold" in str(dialog.query_one("#decision-chosen", Static).content)
        dialog.query_one(TextArea).text = "Ask for a [b]reference[/b]."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewDetailScreen)
        assert len(recorder.of(DecisionRecorded)) == 1
        panel = str(app.screen.query_one(DecisionPanel).content)
        assert "Hold" in panel and "Sam Reviewer" in panel and "Ask for a [b]reference[/b]." in panel

        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        ben = next(row for row in screen.rows if row.interview_id == BEN)
        assert ben.decision is not None and ben.decision.decision == "hold"
        assert "Hold" in screen_text(app)

        await pilot.press("d")  # the second decision starts from the first
        await pilot.pause()
        again = app.screen
        assert isinstance(again, DecisionScreen)
        assert again.chosen() == "hold"
        await pilot.press("right", "space", "ctrl+s")
        await settle(pilot)
    review = ReviewStore(settings.home / "reviews").load(BEN)
    assert [entry.decision for entry in review.history] == ["hold", "reject"]
    assert review.history[0] == ReviewEntry(
        decision="hold", notes="Ask for a [b]reference[/b].", reviewer="Sam Reviewer", decided_at=FIXED_NOW
    )
    evaluation_file = (settings.transcripts_dir / f"{BEN}.jsonl").read_text(encoding="utf-8")
    assert "reference" not in evaluation_file, "the decision is kept apart from the evaluation"


async def test_export_writes_html_and_markdown(
    make_app: AppFactory, settings: Settings, interviews: list[str]
) -> None:
    recorder = Recorder()
    app = review_app(make_app)
    async with app.run_test(size=(120, 36), message_hook=recorder) as pilot:
        await settle(pilot)
        go_to(app, ANA)
        await pilot.press("e")
        await settle(pilot)
        paths = recorder.of(ReportExported)[0].paths
        assert {path.suffix for path in paths} == {".html", ".md"}
        assert all(path.parent == settings.exports_dir and path.stem == ANA for path in paths)
        assert "<html" in paths[0].read_text(encoding="utf-8")
        assert STRONG[:40] in paths[1].read_text(encoding="utf-8")
        status = str(app.screen.query_one("#review-status", Static).content)
        assert paths[0].name in status and paths[1].name in status


async def test_an_empty_data_folder_says_what_to_do(make_app: AppFactory) -> None:
    app = review_app(make_app)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = flat(screen_text(app))
        assert "No interviews yet" in text and "starling invite" in text
        await pilot.press("enter", "d", "e", "c")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
