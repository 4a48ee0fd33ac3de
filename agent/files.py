"""Every file Starling writes: readable by its owner only, and never written through a link.

A whole file is written to a temporary file beside it and renamed into place, so a reader never
sees half a file and a link planted at the path is replaced rather than followed. Transcripts,
which grow one record at a time, are the one exception: they are created exclusively and opened
without following links. Folders are created owner-only, parents included.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# Starling's own folders inside the data folder; `secure_home` tightens them if an older
# version left them readable by others.
DATA_FOLDERS = ("transcripts", "exports", "invitations", "interviews", "reviews")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def private_folder(folder: Path) -> Path:
    """Create `folder` and every missing parent owner-only (an existing folder is left as it is)."""
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            path.mkdir(mode=PRIVATE_FOLDER)
        path.chmod(PRIVATE_FOLDER)  # the umask may have taken bits away from `mode`; never added
    return folder


def secure_home(home: Path) -> None:
    """Make an existing data folder and Starling's folders in it owner-only.

    Folders an older version created readable by others are tightened; nothing is created, and a
    folder that belongs to someone else or is shared (sticky, like /tmp) is left alone.
    """
    me = getattr(os, "getuid", None)
    if me is None:  # no POSIX owners and modes here
        return
    for folder in (home, *(home / name for name in DATA_FOLDERS)):
        try:
            info = folder.stat()
        except OSError:
            continue
        shared = info.st_mode & stat.S_ISVTX or info.st_uid != me()
        if stat.S_ISDIR(info.st_mode) and not shared and stat.S_IMODE(info.st_mode) & 0o077:
            with contextlib.suppress(OSError):
                folder.chmod(PRIVATE_FOLDER)


def write_private(path: Path, data: str | bytes, *, exclusive: bool = False) -> Path:
    """Write a whole file, owner-only, through a temporary file renamed into place.

    Whatever is at `path` (a file or a link) is replaced, never written through. With `exclusive`,
    anything already at `path` raises FileExistsError and is left untouched.
    """
    private_folder(path.parent)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        if exclusive:
            os.link(temporary, path)  # fails if anything, a dangling link included, is at `path`
            temporary.unlink()
        else:
            temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def create_for_append(path: Path) -> int:
    """A new, empty, owner-only file opened for appending; FileExistsError if anything is there."""
    private_folder(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | _NOFOLLOW
    return os.open(path, flags, PRIVATE_FILE)


def open_for_append(path: Path) -> int:
    """An existing regular file opened for appending; a link at `path` is refused (OSError)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | _NOFOLLOW)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(f"{path} is not a regular file")
    return fd


def open_lock(path: Path) -> int:
    """An owner-only lock file, created if missing, opened without following links."""
    private_folder(path.parent)
    return os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, PRIVATE_FILE)


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a crash (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some filesystems do not sync folders; the rename is done
            os.fsync(fd)
    finally:
        os.close(fd)
