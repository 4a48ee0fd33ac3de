"""The interview screen's session work, run on worker threads, and who closes the session after it.

A worker is given everything it needs when it starts and reads nothing from the screen: it
posts one result message (posting is thread-safe) and tells its `Handoff` when the work is over.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Protocol

from textual.dom import DOMNode
from textual.message import Message

from agent.session import InterviewSession
from agent.ui.brain_feed import BrainFeed
from agent.ui.jobs import StartRequest, describe, start_session
from agent.ui.messages import BrainFailed, InterviewFailedToStart, InterviewStarted, WorkRetried
from agent.ui.services import Services

Post = Callable[[Message], object]


class Closable(Protocol):
    """A session, as far as closing its transcript file goes."""

    def close(self) -> None: ...


class Handoff:
    """Closes the session a worker leaves open when the screen goes away while the work runs.

    The screen may leave (on its thread) before or after the worker's work ends (on the
    worker's); whichever of the two comes second closes the file, so it is closed once the
    work is done, never under a worker still writing, however the two interleave.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._left = False
        self._ended = False
        self._open: Closable | None = None

    def work_ended(self, session: Closable | None) -> None:
        """On the worker's thread: the work is over and `session` is the one it leaves open."""
        with self._lock:
            self._ended = True
            self._open = session
            close = self._left
        if close and session is not None:
            session.close()

    def screen_left(self) -> None:
        """On the screen's thread: the screen is going away while this work was under way."""
        with self._lock:
            self._left = True
            session = self._open if self._ended else None
        if session is not None:
            session.close()


class SessionWork:
    """The one piece of session work a screen has running at a time, and its handoff."""

    def __init__(self, screen: DOMNode) -> None:
        self._screen = screen
        self._handoff: Handoff | None = None

    def run(self, work: Callable[[Handoff, Post], None]) -> None:
        """Run `work` on a worker thread, handing it all it needs now: its handoff, and posting."""
        handoff = self._handoff = Handoff()
        screen = self._screen
        screen.run_worker(partial(work, handoff, screen.post_message), thread=True, group="session")

    def done(self) -> None:
        """The work's result was handled: nothing runs any more."""
        self._handoff = None

    def leave(self, session: Closable | None) -> None:
        """The screen is going: close `session` now, or let the running work close what it leaves open."""
        if self._handoff is not None:
            self._handoff.screen_left()
        elif session is not None:
            session.close()


def start_interview(
    services: Services, request: StartRequest, listener: BrainFeed, handoff: Handoff, post: Post
) -> None:
    """Start or resume the interview, its brain reporting to `listener`; posts `InterviewStarted`
    or `InterviewFailedToStart`."""
    try:
        session, update = start_session(services, request, listener=listener)
    except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
        handoff.work_ended(None)
        post(InterviewFailedToStart(*describe(error)))
        return
    handoff.work_ended(session)
    post(InterviewStarted(session, update, resumed=request.resume_id is not None))


def carry_out(
    work: Callable[[], Message], session: InterviewSession, draft: str, handoff: Handoff, post: Post
) -> None:
    """Do one piece of `session`'s work and post its result, or `BrainFailed` with `draft` back."""
    try:
        message = work()
    except Exception as error:  # noqa: BLE001 - a worker reports every failure as a message
        text, hint = describe(error)
        message = BrainFailed(text, hint, draft=draft)
    # Retrying resumes the interview as a new session; that one is now open, not `session`.
    handoff.work_ended(message.session if isinstance(message, WorkRetried) else session)
    post(message)
