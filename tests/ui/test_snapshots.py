"""SVG snapshots of the main screens, with the clock, ids, seed, cursor blink and typewriter fixed.

Update them after an intended change with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from agent.reviews import ReviewEntry, ReviewStore
from agent.settings import Settings

from .conftest import AppFactory
from .helpers import FIXED_NOW, STRONG, WEAK, answer, settle, start
from .interviews import MIDDLING_SPEC, PRACTICE_SPEC, STRONG_SPEC, WEAK_SPEC, write_interviews

SnapCompare = Callable[..., bool]


def steps(*replies: str, finish: bool = False) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if replies or finish:
            await start(pilot)
        for reply in replies:
            await answer(pilot, reply)
        if finish:
            await pilot.press("enter")
            await settle(pilot)

    return run


def test_start_screen(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steps())


def test_chat_practice_with_star_panel(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=steps(WEAK))


def test_chat_assessment_at_80x24(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(mode="assessment"), terminal_size=(80, 24), run_before=steps(WEAK))


def test_chat_at_120x40_follows_the_newest_turn(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await steps(WEAK, WEAK)(pilot)
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+n")  # hide and show the panel, then skip
        await settle(pilot)

    assert snap_compare(make_app(question_count=4), terminal_size=(120, 40), run_before=run)


def test_report_screen_at_80x24(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    app = make_app()
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(WEAK, STRONG, STRONG, finish=True))


def test_report_screen(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    app = make_app()
    assert snap_compare(app, terminal_size=(100, 30), run_before=steps(WEAK, STRONG, STRONG, finish=True))


def test_report_progress_tab_light_theme(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    app = make_app()
    app.theme = "textual-light"

    async def run(pilot: Pilot[Any]) -> None:
        await steps(WEAK, STRONG, STRONG, finish=True)(pilot)
        await pilot.press("3")

    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates on screen are local times: show them in UTC whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def reviewed(settings: Settings, utc: None) -> None:
    write_interviews(settings, STRONG_SPEC, WEAK_SPEC, MIDDLING_SPEC, PRACTICE_SPEC)
    entry = ReviewEntry(decision="hold", notes="Check references.", reviewer="Sam", decided_at=FIXED_NOW)
    ReviewStore(settings.home / "reviews").record(MIDDLING_SPEC.interview_id, entry)


def test_review_list(snap_compare: SnapCompare, make_app: AppFactory, reviewed: None) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("space")  # mark the first row for comparison

    assert snap_compare(make_app(review=True), terminal_size=(110, 32), run_before=run)


def test_review_detail(snap_compare: SnapCompare, make_app: AppFactory, reviewed: None) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(MIDDLING_SPEC.interview_id), animate=False)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(review=True), terminal_size=(120, 40), run_before=run)


def test_history_at_80x24(
    snap_compare: SnapCompare, make_app: AppFactory, utc: None, settings: Settings
) -> None:
    write_interviews(settings, PRACTICE_SPEC, STRONG_SPEC)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run)


def test_compare_view(snap_compare: SnapCompare, make_app: AppFactory, reviewed: None) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        for interview_id in (STRONG_SPEC.interview_id, WEAK_SPEC.interview_id, MIDDLING_SPEC.interview_id):
            table.move_cursor(row=table.get_row_index(interview_id), animate=False)
            await pilot.press("space")
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(make_app(review=True), terminal_size=(110, 32), run_before=run)
