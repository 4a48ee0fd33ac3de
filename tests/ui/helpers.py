"""Shared pieces for the UI tests: answers, fake brains, and reading what is on screen."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from textual.app import App
from textual.message import Message
from textual.pilot import Pilot

from agent.brains.protocol import InterviewFacts
from agent.brains.scripted import ScriptedBrain
from agent.domain.evaluation import Evaluation
from agent.domain.policy import InterviewState
from agent.domain.rubric import Topic
from agent.domain.scoring import AnswerLabels, structural_score
from agent.domain.star import (
    STAR_SLOTS,
    Ownership,
    RedFlag,
    SlotFinding,
    SlotStatus,
    StarAnalysis,
    StarFindings,
    StarSlot,
)
from agent.ui.screens.chat import ChatScreen

FIXED_NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
INTERVIEW_ID = "20250314-093000-test01"

STRONG = (
    "Last March at Acme, a customer's billing export failed two days before their audit. "
    "I was responsible for getting them a correct export in time. I reproduced the bug, "
    "wrote a script to repair the records, and called the customer every morning with an update. "
    "They passed the audit, renewed for two years, and our ticket time dropped by 30%."
)
WEAK = "I always try to help customers and be nice to them."
WEAK_TYPED = "I always help customers."  # short, because typing key by key is slow in tests
LITERAL = "I said [bold]x[/bold] and [link=http://x]y[/link] then \x1b[31mred"


def scripted(
    statuses: tuple[SlotStatus, SlotStatus, SlotStatus, SlotStatus],
    *,
    evidence: dict[StarSlot, list[str]] | None = None,
    ownership: Ownership = "clear",
    specific: bool = True,
    quantified: bool = False,
    reflection: bool = False,
    flags: tuple[RedFlag, ...] = (),
    words: int = 60,
    notes: tuple[str, ...] = (),
) -> StarAnalysis:
    """An analysis written by hand, scored by the domain's one scoring function."""
    star = dict(zip(STAR_SLOTS, statuses, strict=True))
    quotes = evidence or {}
    score, reasons = structural_score(
        AnswerLabels(
            star=star,
            ownership=ownership,
            specific_example=specific,
            quantified_result=quantified,
            reflection=reflection,
            red_flags=flags,
        )
    )
    return StarAnalysis(
        star=StarFindings(**{s: SlotFinding(status=star[s], evidence=quotes.get(s, [])) for s in STAR_SLOTS}),
        ownership=ownership,
        specific_example=specific,
        quantified_result=quantified,
        reflection=reflection,
        red_flags=list(flags),
        score=score,
        rationale="Scripted analysis" + (": " + ", ".join(reasons) if reasons else "") + ".",
        word_count=words,
        brain="offline",
        notes=list(notes),
    )


STRONG_ANALYSIS = scripted(
    ("present", "present", "present", "present"),
    evidence={
        "situation": ["Last March at Acme, a customer's billing export failed two days before their audit."],
        "task": ["I was responsible for getting them a correct export in time."],
        "action": ["I reproduced the bug, wrote a script to repair the records"],
        "result": ["They passed the audit, renewed for two years, and our ticket time dropped by 30%."],
    },
    quantified=True,
)
WEAK_ANALYSIS = scripted(
    ("missing", "missing", "partial", "missing"),
    ownership="unclear",
    specific=False,
    flags=("vague_generalities", "too_short"),
    words=11,
)
THIN_ANALYSIS = scripted(
    ("partial", "missing", "partial", "missing"),
    evidence={},
    words=30,
    flags=("too_short",),
)


# An answer the reader cannot read: not scored, and it says why.
FRENCH = "L'année dernière, un client était mécontent et j'ai réglé le problème moi-même."
UNREADABLE_NOTE = "this answer does not look like English; the offline reader reads English only"
UNREADABLE_ANALYSIS = StarAnalysis(
    star=StarFindings(**{s: SlotFinding(status="missing") for s in STAR_SLOTS}),
    ownership="unclear",
    specific_example=False,
    quantified_result=False,
    score=None,
    not_assessed=True,
    rationale="Not assessed.",
    word_count=14,
    brain="offline",
    notes=[UNREADABLE_NOTE],
)


def scripted_brain() -> ScriptedBrain:
    """The UI tests' brain: fixed analyses for the tests' answers, so the reader never churns them."""
    return ScriptedBrain(
        {
            STRONG: STRONG_ANALYSIS,
            WEAK: WEAK_ANALYSIS,
            WEAK_TYPED: WEAK_ANALYSIS,
            FRENCH: UNREADABLE_ANALYSIS,
        },
        THIN_ANALYSIS,
        name="offline",
    )


def fixed_clock() -> datetime:
    return FIXED_NOW


class StepClock:
    """A clock that moves only when told, for elapsed-time display."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FailingBrain:
    """The offline brain, except that the first `failures` analyses raise `error`."""

    name = "offline"

    def __init__(self, error: Exception, failures: int = 1) -> None:
        self.error = error
        self.failures = failures
        self.inner = scripted_brain()

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        if self.failures > 0:
            self.failures -= 1
            raise self.error
        return self.inner.analyze(question, replies)

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        return self.inner.evaluate(state, facts)


class GatedBrain:
    """The offline brain, but each analysis waits until the test opens the gate."""

    name = "offline"

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.inner = scripted_brain()

    def analyze(
        self, question: str, replies: Sequence[str], probes: Sequence[str] = (), topic: Topic | None = None
    ) -> StarAnalysis:
        self.gate.wait(timeout=10)
        return self.inner.analyze(question, replies)

    def evaluate(self, state: InterviewState, facts: InterviewFacts) -> Evaluation:
        return self.inner.evaluate(state, facts)


class Recorder:
    """A message hook that keeps every message posted while the app runs."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def names(self) -> list[str]:
        return [type(m).__name__ for m in self.messages]

    def of(self, kind: type[Any]) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]


def screen_text(app: App[Any]) -> str:
    """The characters currently on the terminal, line by line (what a person would read)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def flat(text: str) -> str:
    """Screen text with borders and line breaks removed, for finding wrapped phrases."""
    for char in "│╭╮╰╯─▊▎":
        text = text.replace(char, " ")
    return " ".join(text.split())


def current(app: App[Any]) -> object:
    """The active screen, typed loosely so identity checks after isinstance asserts type-check."""
    return app.screen


def notices(app: App[Any]) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def start(pilot: Pilot[Any]) -> ChatScreen:
    """From the start screen, press Enter and wait for the first question."""
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    assert screen.session is not None
    return screen


async def answer(pilot: Pilot[Any], text: str, *, typed: bool = False) -> None:
    """Put an answer in the box (typed key by key, or set at once) and send it with ctrl+s."""
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    if typed:
        await pilot.press(*text.replace("\n", "\r"))
    else:
        screen.answer_box.text = text
    await pilot.press("ctrl+s")
    await settle(pilot)
