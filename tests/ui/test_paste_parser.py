"""A bracketed paste arrives whole and in order, whatever it contains and however it is split."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.drivers import linux_driver, web_driver
from textual.message import Message

from agent.ui.app import StarlingApp
from agent.ui.paste import PASTE_END, PASTE_START, PasteSafeParser

from .conftest import AppFactory


class Clock:
    """The parsers' clock, moved by the test: waiting for a timeout takes no time."""

    now = 1000.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr("agent.ui.paste.get_time", CLOCK)
    monkeypatch.setattr("textual._parser.get_time", CLOCK)
    yield


def parse(*chunks: str) -> list[Message]:
    """Feed the chunks as separate reads, then let every timeout pass."""
    parser = PasteSafeParser()
    out: list[Message] = []
    for chunk in chunks:
        out.extend(parser.feed(chunk))
        out.extend(parser.tick())
    for _ in range(3):
        CLOCK.now += 1.0
        out.extend(parser.tick())
    return out


def described(messages: list[Message]) -> list[str]:
    shown = []
    for message in messages:
        if isinstance(message, events.Paste):
            shown.append(f"paste:{message.text}")
        elif isinstance(message, events.Key):
            shown.append(message.key)
    return shown


PASTED = "AAA one\n\x1b[31mred\x1b[0m BBB two"


def test_escape_characters_inside_a_paste_stay_in_it_in_order() -> None:
    assert described(parse(f"ab{PASTE_START}{PASTED}{PASTE_END}cd")) == [
        "a",
        "b",
        f"paste:{PASTED}",
        "c",
        "d",
    ]


def test_a_paste_split_anywhere_across_reads_is_the_same_paste() -> None:
    wire = f"x{PASTE_START}{PASTED}{PASTE_END}y"
    for cut in range(1, len(wire)):
        assert described(parse(wire[:cut], wire[cut:])) == ["x", f"paste:{PASTED}", "y"], cut


def test_pasted_carriage_returns_are_line_breaks() -> None:
    assert described(parse(f"{PASTE_START}one\rtwo\r\nthree{PASTE_END}")) == ["paste:one\ntwo\nthree"]


def test_keys_outside_pastes_still_work() -> None:
    assert described(parse("\x1b")) == ["escape"]
    assert described(parse("\x1b[A", "q")) == ["up", "q"]
    assert described(parse("\x1b[2", "~")) == ["insert"], "a key sequence split like a marker"


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60).filter(lambda t: PASTE_END not in t), st.integers(min_value=1, max_value=80))
def test_any_paste_comes_through_exactly(text: str, cut: int) -> None:
    wire = f"{PASTE_START}{text}{PASTE_END}"
    cut = min(cut, len(wire) - 1)
    pasted = [m for m in parse(wire[:cut], wire[cut:]) if isinstance(m, events.Paste)]
    expected = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    assert [p.text for p in pasted] == ([expected] if expected else [""])


def test_the_app_installs_the_parser_in_the_drivers(make_app: AppFactory) -> None:
    app = make_app()
    assert isinstance(app, StarlingApp)
    for driver in (linux_driver, web_driver):
        assert getattr(driver, "XTermParser") is PasteSafeParser  # noqa: B009 - not exported by Textual
