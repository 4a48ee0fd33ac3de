"""The key bar at the bottom of every screen: the keys that work here, sized to the terminal.

One line of text rather than a widget per key, so showing a screen stays quick. When the keys do
not fit, the palette hint goes first, then the least essential keys from the end; help and quit
always stay. A click on a key presses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.widget import Widget

# Always shown, however narrow the terminal: how to get help and how to leave.
ESSENTIAL = frozenset({"help", "app.help", "quit", "app.quit"})
GAP = "  "


@dataclass(frozen=True)
class Key:
    key: str
    shown: str
    description: str
    action: str
    enabled: bool

    @property
    def width(self) -> int:
        return Content(self.label).cell_length

    @property
    def label(self) -> str:
        return f"{self.shown} {self.description}" if self.description else self.shown


def fit(keys: list[Key], palette: Key | None, width: int) -> tuple[list[Key], Key | None]:
    """The keys (and palette hint) that fit in `width` cells, dropping the least essential first."""
    shown = list(keys)

    def needed() -> int:
        total = sum(k.width for k in shown) + len(GAP) * max(0, len(shown) - 1) + 2
        return total + (palette.width + len(GAP) if palette is not None else 0)

    if needed() > width:
        palette = None
    while needed() > width:
        droppable = [i for i, k in enumerate(shown) if k.action not in ESSENTIAL]
        if not droppable:
            break
        del shown[droppable[-1]]
    return shown, palette


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, Key]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def keys(self) -> tuple[list[Key], Key | None]:
        """The shown keys of this screen, one per action, and the command palette's key."""
        app = self.app
        keys: list[Key] = []
        palette: Key | None = None
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            key = Key(binding.key, app.get_key_display(binding), binding.description, binding.action, enabled)
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = Key(key.key, key.shown, "palette", key.action, enabled)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                keys.append(key)
        return keys, palette

    def render(self) -> Content:
        keys, palette = fit(*self.keys(), self.size.width)
        parts: list[Content] = [Content(" ")]
        self._spans = []
        x = 1
        for index, key in enumerate(keys):
            if index:
                parts.append(Content(GAP))
                x += len(GAP)
            parts.append(self._label(key))
            self._spans.append((x, x + key.width, key))
            x += key.width
        if palette is not None:
            pad = max(len(GAP), self.size.width - x - palette.width - 1)
            parts.append(Content(" " * pad))
            self._spans.append((x + pad, x + pad + palette.width, palette))
            parts.append(self._label(palette))
        return Content.assemble(*parts)

    @staticmethod
    def _label(key: Key) -> Content:
        style = "bold $footer-key-foreground" if key.enabled else "$text-disabled"
        described = Content.styled(f" {key.description}", "" if key.enabled else "$text-disabled")
        return Content.assemble((key.shown, style), described if key.description else "")

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end and key.enabled:
                self.app.simulate_key(key.key.split(",")[0])
                return
