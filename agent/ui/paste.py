"""Terminal input where a bracketed paste arrives whole, in order, exactly as pasted.

Textual's parser reads an escape character inside a bracketed paste as the start of a key
sequence and reissues what follows as key presses ahead of the paste, so pasting
"one ESC[31mred" produced "^[31mred" typed first and "one" after it. This parser takes each
paste out of the input before anything else reads it; everything outside pastes goes to
Textual's parser unchanged. `install` makes Textual's drivers use it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from textual import events
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.message import Message

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
# A possible start of a paste marker at the end of a read (even the escape key alone) waits this
# long for the rest before it goes on as keys.
MARKER_WAIT = 0.05


def _partial_suffix(text: str, marker: str) -> int:
    """How many characters at the end of `text` could begin `marker` (0 when none)."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class PasteSafeParser(XTermParser):
    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._pasting = False
        self._paste: list[str] = []
        self._held = ""  # a possible marker split across two reads
        self._held_at = 0.0

    def feed(self, data: str) -> Iterable[Message]:
        out: list[Message] = []
        text = self._held + data
        self._held = ""
        if not data:  # end of input
            out.extend(self._inner(text))
            out.extend(super().feed(""))
            return out
        while text:
            if self._pasting:
                end = text.find(PASTE_END)
                if end < 0:
                    keep = _partial_suffix(text, PASTE_END)
                    self._paste.append(text[: len(text) - keep])
                    self._hold(text[len(text) - keep :])
                    break
                self._paste.append(text[:end])
                out.append(events.Paste(_as_typed("".join(self._paste))))
                self._paste.clear()
                self._pasting = False
                text = text[end + len(PASTE_END) :]
            else:
                start = text.find(PASTE_START)
                if start < 0:
                    keep = _partial_suffix(text, PASTE_START)  # even a lone ESC: `tick` sends it on
                    out.extend(self._inner(text[: len(text) - keep]))
                    self._hold(text[len(text) - keep :])
                    break
                out.extend(self._inner(text[:start]))
                self._pasting = True
                text = text[start + len(PASTE_START) :]
        return out

    def tick(self) -> Iterable[Message]:
        out = list(super().tick())
        if self._held and not self._pasting and get_time() - self._held_at >= MARKER_WAIT:
            held, self._held = self._held, ""
            out.extend(self._inner(held))  # it was not a paste marker after all
        return out

    def _inner(self, text: str) -> Iterable[Message]:
        """Textual's own parsing of input outside pastes (an empty string would mean the end)."""
        return super().feed(text) if text else ()

    def _hold(self, text: str) -> None:
        self._held = text
        self._held_at = get_time()


def _as_typed(text: str) -> str:
    """Terminals send a pasted line break as a carriage return; it is a line break."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


DRIVERS = ("linux_driver", "linux_inline_driver", "web_driver")


def install() -> None:
    """Make Textual's terminal and web drivers read input with `PasteSafeParser` (idempotent)."""
    for name in DRIVERS:
        try:
            module = importlib.import_module(f"textual.drivers.{name}")
        except ImportError:  # not on this platform (Windows has no termios)
            continue
        if getattr(module, "XTermParser", None) is XTermParser:
            setattr(module, "XTermParser", PasteSafeParser)  # noqa: B010 - the driver reads this name
