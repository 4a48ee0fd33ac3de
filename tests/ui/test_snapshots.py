"""SVG snapshots of the main screens, with the clock, ids, seed, cursor blink and typewriter fixed.

Update them after an intended change with: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from .conftest import AppFactory
from .helpers import STRONG, WEAK, answer, settle, start

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
