"""An operating-system fence around a candidate's app: Landlock, on the Linux kernels that have it.

A candidate's app fences itself in before it reads anything: it may write only in its interview
folder, and read only that folder, Python and the installed packages, Starling's own files and the
system's shared files (`/usr`, `/lib`, `/etc`, a few devices). Every other candidate's interview,
and the rest of the data folder, is then out of its reach, even if the app were made to misbehave.
Landlock fences in the thread that asks and whatever it starts afterwards, so this must run before
the app starts a thread.

On a kernel without Landlock (not Linux, older than 5.13, or turned off at boot) nothing is fenced:
`starling serve` says so once in its log, and each app is still handed only its own folder.
"""

from __future__ import annotations

import ctypes
import functools
import os
import platform
import stat
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from agent.errors import StarlingError
from agent.resources import bundled_dir

# Landlock's system calls, numbered alike on the architectures named, and their constants.
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_ARCHITECTURES = {"x86_64", "amd64", "aarch64", "arm64", "riscv64", "ppc64le", "s390x", "i686", "i386"}
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
# Filesystem access rights: the first thirteen came with Landlock itself (ABI 1).
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_DIR, MAKE_REG = 1 << 4, 1 << 5, 1 << 7, 1 << 8
_ABI_1 = (1 << 13) - 1
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15  # ABI 2, 3 and 5
# ABI 6: no signals to, and no abstract sockets of, processes outside the fence (the server, the
# other candidates' apps).
_SCOPES = (1 << 0) | (1 << 1)
# The only rights a rule on a file (rather than a folder) may grant.
_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV

READ = READ_FILE | READ_DIR | EXECUTE
WRITE = READ_FILE | READ_DIR | WRITE_FILE | TRUNCATE | MAKE_REG | MAKE_DIR | REMOVE_FILE | REMOVE_DIR
# The system's shared files: libraries, locales, time zones, certificates, name resolution.
SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc")
DEVICES = {
    "/dev/null": READ_FILE | WRITE_FILE | IOCTL_DEV,
    "/dev/urandom": READ_FILE,
    "/dev/random": READ_FILE,
}
# tiktoken's own variable naming where it finds the files the model brain counts tokens with
# (`agent.llm.tokens` sets it); `starling serve` fills that folder and a candidate's app reads it.
TOKEN_FILES_VARIABLE = "TIKTOKEN_CACHE_DIR"


class SandboxError(StarlingError):
    title = "Sandbox problem"


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),  # none: the model brain may reach its server
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock version, or 0 where there is none (or it cannot be asked)."""
    if not sys.platform.startswith("linux") or platform.machine().lower() not in _ARCHITECTURES:
        return 0
    try:
        return _syscall(_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    except OSError:  # ENOSYS: not built in; EOPNOTSUPP: turned off at boot
        return 0


def candidate_readable(interview: Path) -> list[Path]:
    """What a candidate's app may read besides its interview folder.

    A place that holds the interview folder (and so every other interview beside it) is left out,
    whatever puts it here: the data folder belongs outside Python's and the system's folders.
    """
    places = [
        *(Path(p) for p in SYSTEM),
        *(Path(p) for p in {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}),
        *(Path(p) for p in sys.path if p),
        Path(__file__).resolve().parent,  # Starling itself, wherever it is installed from
        bundled_dir("rubrics"),
        bundled_dir("prompts"),
    ]
    if os.environ.get(TOKEN_FILES_VARIABLE):
        places.append(Path(os.environ[TOKEN_FILES_VARIABLE]))
    inside = interview.resolve()
    kept: list[Path] = []
    for place in places:
        resolved = place.resolve()
        if resolved.exists() and not inside.is_relative_to(resolved) and resolved not in kept:
            kept.append(resolved)
    return kept


def confine_candidate(interview: Path) -> bool:
    """Fence this process in to what a candidate's app needs; False where Landlock is missing."""
    return confine(interview, candidate_readable(interview), DEVICES)


def confine(writable: Path, readable: Sequence[Path], devices: dict[str, int] | None = None) -> bool:
    """From now on this process may write only under `writable` and read only it and `readable`
    (and the `devices`, with the rights given). False, and nothing changed, without Landlock."""
    abi = landlock_abi()
    if abi == 0:
        return False
    if threading.active_count() > 1:  # the others would stay free
        raise SandboxError("The sandbox must be set up before any other thread starts.")
    handled = _ABI_1 | (REFER if abi >= 2 else 0) | (TRUNCATE if abi >= 3 else 0)
    handled |= IOCTL_DEV if abi >= 5 else 0
    attr = _RulesetAttr(handled, 0, _SCOPES if abi >= 6 else 0)
    size = ctypes.sizeof(attr) if abi >= 6 else _RulesetAttr.handled_access_net.offset
    try:
        ruleset = _syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    except OSError as error:
        raise SandboxError(f"Cannot set up the sandbox: {error.strerror}") from error
    try:
        rules = [(writable, WRITE), *((path, READ) for path in readable)]
        rules += [(Path(device), rights) for device, rights in (devices or {}).items()]
        _add_rules(ruleset, rules, handled)
        no_new_privileges = (ctypes.c_int(_PR_SET_NO_NEW_PRIVS), ctypes.c_ulong(1), *[ctypes.c_ulong(0)] * 3)
        if _libc().prctl(*no_new_privileges) != 0:
            raise SandboxError(f"Cannot set up the sandbox: {os.strerror(ctypes.get_errno())}")
        _syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    except OSError as error:
        raise SandboxError(f"Cannot set up the sandbox: {error.strerror}") from error
    finally:
        os.close(ruleset)
    return True


def _add_rules(ruleset: int, rules: Iterable[tuple[Path, int]], handled: int) -> None:
    for path, rights in rules:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except FileNotFoundError:
            continue  # /lib64 on some systems, for one
        try:
            allowed = rights & handled
            if not stat.S_ISDIR(os.fstat(fd).st_mode):
                allowed &= _FILE_RIGHTS
            beneath = _PathBeneathAttr(allowed, fd)
            _syscall(
                _ADD_RULE,
                ctypes.c_int(ruleset),
                ctypes.c_int(_RULE_PATH_BENEATH),
                ctypes.byref(beneath),
                ctypes.c_uint32(0),
            )
        finally:
            os.close(fd)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _syscall(number: int, *arguments: object) -> int:
    call = _libc().syscall
    call.restype = ctypes.c_long
    result: int = call(ctypes.c_long(number), *arguments)
    if result == -1:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result
