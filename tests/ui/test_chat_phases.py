"""The interview screen's phase table, and its handoff of the session between threads."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import pytest
from textual.pilot import Pilot

from agent.brains.scripted import ScriptedBrain
from agent.session import InterviewSession, Update
from agent.settings import Settings
from agent.ui.brain_feed import BrainFeed
from agent.ui.chat_phase import (
    BUSY_NOTICE,
    TAKES,
    TRANSITIONS,
    WORKING,
    ChatPhase,
    ChatPhases,
    PhaseError,
    offers,
    refusal,
)
from agent.ui.chat_work import Handoff
from agent.ui.messages import AnswerAnalyzed
from agent.ui.screens import chat as chat_module
from agent.ui.screens.chat import ChatScreen
from agent.ui.services import BrainChoice

from .conftest import AppFactory
from .helpers import (
    STRONG,
    FailingBrain,
    GatedBrain,
    answer,
    scripted_brain,
    settle,
    start,
)

P = ChatPhase
TERMINAL = {P.START_FAILED, P.FINISHED}


# The table


def reachable(start: ChatPhase) -> set[ChatPhase]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in TRANSITIONS[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_every_phase_is_in_the_table_and_reachable_from_starting() -> None:
    assert set(TRANSITIONS) == set(ChatPhase)
    assert reachable(P.STARTING) == set(ChatPhase)


def test_only_the_end_and_a_failed_start_are_dead_ends() -> None:
    assert {phase for phase, nexts in TRANSITIONS.items() if not nexts} == TERMINAL
    for phase in set(ChatPhase) - TERMINAL:
        assert reachable(phase) & TERMINAL, f"{phase} can never end"


def test_one_piece_of_work_at_a_time() -> None:
    """Work starts only from a phase where none runs, and its result leads to one where none does."""
    for phase, nexts in TRANSITIONS.items():
        if phase in WORKING:
            assert not nexts & WORKING, f"{phase} would start more work before its own ended"
    for phase, requests in TAKES.items():
        assert phase not in WORKING and requests, phase
    assert P.FINISHED not in TRANSITIONS[P.ANALYSING], "an evaluation is shown after the work settles"


def test_an_illegal_move_is_an_error_not_a_state() -> None:
    phases = ChatPhases()
    assert phases.phase is P.STARTING and phases.working
    with pytest.raises(PhaseError, match="from starting to analysing"):
        phases.move(P.ANALYSING)
    assert phases.phase is P.STARTING, "a refused move changes nothing"
    phases.move(P.ANSWERING)
    assert not phases.working and phases.takes("send") and not phases.takes("retry")
    phases.move(P.ENDING)
    phases.move(P.ANSWERING)
    phases.move(P.FINISHED)
    for phase in ChatPhase:
        with pytest.raises(PhaseError):
            phases.move(phase)


def test_refusals_say_why_while_work_runs_or_the_interview_is_not_there() -> None:
    for phase in WORKING - {P.STARTING}:
        assert refusal(phase, "send") == refusal(phase, "skip") == refusal(phase, "finish") == BUSY_NOTICE
        assert refusal(phase, "retry") is None
    assert refusal(P.STARTING, "send") == "The interview is still starting."
    assert refusal(P.START_FAILED, "send") == "The interview could not start. Press escape to go back."
    assert refusal(P.FINISHED, "skip") is None and refusal(P.START_FAILED, "finish") is None


def test_keys_on_offer_follow_the_phase() -> None:
    for phase in ChatPhase:
        assert offers(phase, "retry", practice=True) == (phase is P.RETRY_NEEDED)
        assert offers(phase, "back", practice=True) == (phase is P.START_FAILED)
        assert offers(phase, "send", practice=True) == (phase is not P.FINISHED)
        assert not offers(phase, "toggle_panel", practice=False)


# The screen moves only along the table


class RecordedPhases(ChatPhases):
    made: ClassVar[list[RecordedPhases]] = []

    def __init__(self) -> None:
        super().__init__()
        self.moves: list[ChatPhase] = [self.phase]
        RecordedPhases.made.append(self)

    def move(self, to: ChatPhase) -> None:
        super().move(to)
        self.moves.append(to)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[RecordedPhases]:
    RecordedPhases.made = []
    monkeypatch.setattr(chat_module, "ChatPhases", RecordedPhases)
    return RecordedPhases.made


async def test_a_failed_analysis_is_retried_and_the_interview_finishes(
    make_app: AppFactory, recorded: list[RecordedPhases]
) -> None:
    app = make_app(brain=FailingBrain(RuntimeError("boom")))
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        await answer(pilot, STRONG)
        assert chat.phase is P.RETRY_NEEDED
        await pilot.press("ctrl+s")
        await settle(pilot)
        await answer(pilot, STRONG)
        assert chat.finished
    (phases,) = recorded
    assert phases.moves == [
        P.STARTING,
        P.ANSWERING,
        P.ANALYSING,
        P.RETRY_NEEDED,
        P.RETRYING,
        P.ANSWERING,
        P.ANALYSING,
        P.ANSWERING,
        P.FINISHED,
    ]


async def test_a_result_with_no_work_running_is_a_programming_error(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        assert chat.phase is P.ANSWERING
        with pytest.raises(PhaseError, match="from answering to answering"):
            chat.on_answer_analyzed(AnswerAnalyzed(Update(), STRONG))


# Closing the session when the screen goes while a worker runs


class Closes:
    def __init__(self) -> None:
        self.count = 0

    def close(self) -> None:
        self.count += 1


def test_the_worker_closes_when_the_screen_left_first() -> None:
    handoff, session = Handoff(), Closes()
    handoff.screen_left()
    assert session.count == 0
    handoff.work_ended(session)
    assert session.count == 1


def test_the_screen_closes_what_the_ended_work_left_open() -> None:
    handoff, retried = Handoff(), Closes()
    handoff.work_ended(retried)  # a retry resumed the interview as a new session
    assert retried.count == 0, "nobody left: the screen handles the result and keeps the session"
    handoff.screen_left()
    assert retried.count == 1


def test_the_file_is_closed_once_however_the_threads_interleave() -> None:
    for _ in range(200):
        handoff, session = Handoff(), Closes()
        go = threading.Barrier(2)

        def work(handoff: Handoff = handoff, session: Closes = session, go: threading.Barrier = go) -> None:
            go.wait()
            handoff.work_ended(session)

        worker = threading.Thread(target=work)
        worker.start()
        go.wait()
        handoff.screen_left()
        worker.join()
        assert session.count == 1


async def _closed_soon(pilot: Pilot[Any], closed: list[InterviewSession]) -> None:
    for _ in range(250):
        if closed:
            return
        await pilot.pause(0.02)


@pytest.fixture
def closed(monkeypatch: pytest.MonkeyPatch) -> list[InterviewSession]:
    """Every session closed while the test runs, once per close."""
    seen: list[InterviewSession] = []
    close = InterviewSession.close

    def recording(self: InterviewSession) -> None:
        seen.append(self)
        close(self)

    monkeypatch.setattr(InterviewSession, "close", recording)
    return seen


async def test_leaving_while_an_answer_is_read_closes_the_file_after_the_work(
    make_app: AppFactory, closed: list[InterviewSession]
) -> None:
    brain = GatedBrain()
    app = make_app(brain=brain)
    async with app.run_test(size=(100, 30)) as pilot:
        chat = await start(pilot)
        session = chat.session
        chat.answer_box.text = STRONG
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert chat.busy
        app.pop_screen()
        await pilot.pause()
        assert not closed, "not under the worker still writing"
        brain.gate.set()
        await _closed_soon(pilot, closed)
        assert closed == [session]


async def test_leaving_while_the_interview_starts_closes_the_started_session(
    make_app: AppFactory, closed: list[InterviewSession]
) -> None:
    gate = threading.Event()
    built = scripted_brain()

    def slow(_settings: Settings, *, listener: BrainFeed | None = None) -> ScriptedBrain:
        gate.wait(timeout=10)
        return built

    app = make_app(brains=[BrainChoice("offline", "Offline", slow)])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and app.screen.phase is P.STARTING
        app.pop_screen()
        await pilot.pause()
        gate.set()
        await _closed_soon(pilot, closed)
        assert len(closed) == 1, "the session started for a screen that had gone is closed"
