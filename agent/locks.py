"""One writer per interview: an exclusive lock on a lock file, held while a session writes.

The operating system releases the lock when its holder exits, however it exits, so a crash never
leaves an interview locked. Within one process the lock is re-entrant: the command line can hold
it while the app it opens writes the same interview.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from agent.errors import TranscriptError
from agent.files import open_lock

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK}


class InterviewBusy(TranscriptError):
    """Another process is writing this interview."""


@dataclass
class _Held:
    fd: int
    count: int


_guard = threading.Lock()
_held: dict[Path, _Held] = {}


class InterviewLock:
    """A held lock on one interview; `release` (or leaving the `with` block) gives it up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._released = False

    def release(self) -> None:
        with _guard:
            if self._released:
                return
            self._released = True
            held = _held[self.path]
            held.count -= 1
            if held.count == 0:
                del _held[self.path]
                os.close(held.fd)  # closing the last descriptor releases the lock

    def __enter__(self) -> InterviewLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def lock_interview(path: Path, interview_id: str) -> InterviewLock:
    """Take the lock at `path` for `interview_id`, or raise InterviewBusy if another process has it."""
    key = path.absolute()
    with _guard:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return InterviewLock(key)
        _held[key] = _Held(_acquire(key, interview_id), 1)
        return InterviewLock(key)


def _acquire(path: Path, interview_id: str) -> int:
    while True:
        try:
            fd = open_lock(path)
        except OSError as error:
            raise TranscriptError(f"Cannot lock interview {interview_id} ({path}): {error}") from error
        try:
            _try_lock(fd)
        except OSError as error:
            os.close(fd)
            if error.errno in _BUSY:
                raise InterviewBusy(
                    f"Interview {interview_id} is open in another Starling window or process.",
                    hint="Only one can write to an interview at a time: finish or quit the other one first.",
                ) from error
            raise TranscriptError(f"Cannot lock interview {interview_id} ({path}): {error}") from error
        if _same_file(fd, path):
            return fd
        os.close(fd)  # the lock file was deleted and made again meanwhile: lock the new one


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.lstat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)
