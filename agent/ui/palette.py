"""Textual's command palette, made safe for keys that arrive faster than the screen is drawn.

Over a slow connection a browser delivers keys in bursts. Two things in the stock palette then end
the app: a new palette opened while the one just closed is still being taken down (two screens
with one id), a page key pressed before the command list has been laid out, and a search still
running when its palette has gone.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextlib import suppress
from functools import partial
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, ProviderSource
from textual.worker import Worker

PALETTE_ID = "--command-palette"


class Palette(CommandPalette):
    """The command palette, with page keys that wait until there is a page to move by."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    def _gather_commands(self, search_value: str) -> Worker[None]:
        # The stock search ends the app when its palette closes mid-search; this one just stops.
        search: Callable[[CommandPalette, str], Coroutine[None, None, None]]
        search = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]
        return self.run_worker(
            partial(search, self, search_value),
            name="gather_commands",
            group=self._GATHER_COMMANDS_GROUP,
            exclusive=True,
            exit_on_error=False,
        )

    def action_page(self, direction: int) -> None:
        commands = self.query(CommandList)
        if not commands:
            return
        command_list = commands.first()
        laid_out = command_list.has_class("--visible") and command_list.size.area > 0
        if not laid_out or not command_list.option_count:
            return
        # The list's line map can lag behind its options for a frame; Textual's own scrolling
        # treats a missing line the same way, as nothing to move to yet.
        with suppress(KeyError):
            if direction > 0:
                command_list.action_page_down()  # type: ignore[no-untyped-call]
            else:
                command_list.action_page_up()  # type: ignore[no-untyped-call]


class PaletteOpener:
    """Opens one palette at a time, counting one still being closed as open."""

    def __init__(self) -> None:
        self._last: Palette | None = None

    def can_open(self) -> bool:
        return self._last is None or not self._last.is_attached

    def new(self, providers: ProviderSource | None = None, placeholder: str | None = None) -> Palette:
        """The app's palette, or the theme picker when given the theme provider."""
        if providers is None:
            self._last = Palette(id=PALETTE_ID)
        else:
            self._last = Palette(providers=providers, placeholder=placeholder or "Search…")
        return self._last
