"""One candidate's app process behind `starling serve`: started lean, stopped for certain.

The app speaks Textual's web driver protocol on its standard streams (packets of a type byte, a
length and a payload), as it would to textual-serve. The process gets a minimal environment: no
API key unless its brain needs one, no settings file, nothing else of the server's. It runs in
its interview folder, the one folder it is given (see `agent.interviews`), and in its own
process group, so stopping it ends everything it started; a stop asks the app to quit, then
terminates, then kills.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from pathlib import Path

from agent.domain.kit import Kit
from agent.errors import StarlingError
from agent.interviews import InterviewFolder
from agent.invitations import Invitation
from agent.rubrics import find_rubric, parse_file
from agent.sandbox import TOKEN_FILES_VARIABLE, landlock_abi
from agent.settings import CONFIG_FILE_VARIABLE, Settings, variable
from agent.web_client import client_version

log = logging.getLogger("starling.web")

# Seconds a candidate app has to quit when asked, and then to end when terminated.
QUIT_SECONDS = 3.0
TERMINATE_SECONDS = 3.0
# What the app prints before its first packet, to say it is a Textual app.
_PRELUDE = b"__GANGLION__\n"
# The server's variables a candidate app may see: how to find programs, and the locale.
_PASSED_ON = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT", "TMPDIR")
# Model settings, handed on (under their variables) only to an app whose brain is the model.
_MODEL_SETTINGS = (
    "model",
    "base_url",
    "request_timeout",
    "retry_seconds",
    "max_attempts",
    "retry_after_cap",
    "prompt_token_budget",
    "max_output_tokens",
    "temperature",
    "structured_output",
    "personalise_followups",
)


def candidate_command(python: str, interview: Path) -> list[str]:
    """The candidate app's command line: its interview folder, and nothing of the data folder.
    With -P nothing is imported from the folder it runs in."""
    return [python, "-P", "-m", "agent.cli", "candidate", "--interview-dir", str(interview)]


def hand_over(interview: InterviewFolder, invitation: Invitation, home: Path) -> None:
    """Give the interview folder what the app needs: the invitation's details and its rubric (for
    a kit, the kit and its competencies' rubrics), so the interview holds them as they are now."""
    files: dict[str, Path] = {}
    try:
        path = find_rubric(invitation.rubric_id, home)
        parsed, _ = parse_file(path)
        if isinstance(parsed, Kit):
            files[f"kits/{path.name}"] = path
            for competency in parsed.competencies:
                files[f"{competency.rubric}.yaml"] = find_rubric(competency.rubric, home, kits=False)
        else:
            files[path.name] = path
    except StarlingError:
        files = {}
    interview.hand_over(invitation.details(), files)


def log_sandbox() -> None:
    """Say once whether candidate apps can fence themselves in (`agent.sandbox`)."""
    abi = landlock_abi()
    if abi:
        log.info("candidate apps are fenced in to their interview folders (Landlock %d)", abi)
    else:
        log.warning(
            "this system has no Landlock: each candidate app is given only its own interview "
            "folder, but the operating system does not fence it in"
        )


def token_files() -> Path | None:
    """Fill the model brain's token counting folder once, for candidate apps to read."""
    from agent.llm.tokens import seed_tiktoken_cache

    try:
        return seed_tiktoken_cache()
    except (StarlingError, OSError) as error:
        log.warning("token counting files could not be prepared: %s", error)
        return None


def candidate_environment(
    settings: Settings,
    width: int,
    height: int,
    outer: Mapping[str, str] | None = None,
    *,
    token_files: Path | None = None,
) -> dict[str, str]:
    """Everything a candidate app's process is told through its environment.

    `token_files` is the folder of the model brain's token counting files, which the server has
    filled; the app may read there.
    """
    source = os.environ if outer is None else outer
    env = {name: source[name] for name in _PASSED_ON if name in source}
    env.update(
        {
            "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
            "TEXTUAL_FPS": "60",
            "TEXTUAL_COLOR_SYSTEM": "truecolor",
            "TERM_PROGRAM": "textual",
            "TERM_PROGRAM_VERSION": client_version(),
            "COLUMNS": str(width),
            "ROWS": str(height),
            "PYTHONUNBUFFERED": "1",
            CONFIG_FILE_VARIABLE: "",  # the settings it needs are all here
            variable("brain"): settings.brain,
            variable("rejoin_minutes"): str(settings.rejoin_minutes),
        }
    )
    if settings.brain == "openai":
        for field in _MODEL_SETTINGS:
            value = getattr(settings, field)
            if value is not None:
                env[variable(field)] = str(value)
        if settings.api_key is not None:
            env[variable("api_key")] = settings.api_key.get_secret_value()
        if token_files is not None:
            env[TOKEN_FILES_VARIABLE] = str(token_files)
    return env


class CandidateProcess:
    """A running candidate app, its screen output sent on to one browser connection."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        *,
        label: str,
        send_bytes: Callable[[bytes], Awaitable[None]],
        on_exit: Callable[[], Awaitable[None]],
        cwd: Path | None = None,
    ) -> None:
        self.argv = argv
        self.env = env
        self.cwd = cwd
        self.label = label
        self._send_bytes = send_bytes
        self._on_exit = on_exit
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._stopping = asyncio.Lock()  # the connection's end and the server's may both stop it
        self._stopped = False

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,  # may hold answers or names; never passed on
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,
        )
        self._reader = asyncio.create_task(self._read())

    async def send_input(self, text: str) -> None:
        await self._packet(b"D", text.encode("utf-8"))

    async def send_meta(self, meta: dict[str, object]) -> None:
        await self._packet(b"M", json.dumps(meta).encode("utf-8"))

    async def _packet(self, kind: bytes, payload: bytes) -> None:
        process = self.process
        if process is None or process.stdin is None or process.returncode is not None:
            return
        with suppress(ConnectionError, RuntimeError):
            process.stdin.write(kind + len(payload).to_bytes(4, "big") + payload)
            await process.stdin.drain()

    async def _read(self) -> None:
        process = self.process
        assert process is not None and process.stdout is not None
        stdout = process.stdout
        try:
            for _ in range(10):
                line = await stdout.readline()
                if not line or line == _PRELUDE:
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                payload = await stdout.readexactly(size)
                if kind == b"D":
                    await self._send_bytes(payload)
                elif kind == b"M" and _meta_type(payload) == "exit":
                    break
                # Links to open and files to download are not for candidates: dropped.
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            await self._on_exit()

    async def stop(self) -> None:
        """End the app: ask it to quit, then terminate its process group, then kill it."""
        process = self.process
        if process is None:
            return
        async with self._stopping:
            if self._stopped:
                return
            if process.returncode is None:
                await self.send_meta({"type": "quit"})
                if not await _exited(process, QUIT_SECONDS):
                    _signal_group(process, signal.SIGTERM)
                    if not await _exited(process, TERMINATE_SECONDS):
                        _signal_group(process, signal.SIGKILL)
                        await process.wait()
            _signal_group(process, signal.SIGKILL)  # anything the app left behind in its group
            if self._reader is not None:
                self._reader.cancel()
                with suppress(asyncio.CancelledError):
                    await self._reader
            self._stopped = True
        log.info("candidate app for invitation %s ended (exit code %s)", self.label, process.returncode)


def _meta_type(payload: bytes) -> str | None:
    try:
        meta = json.loads(payload)
    except ValueError:
        return None
    kind = meta.get("type") if isinstance(meta, dict) else None
    return kind if isinstance(kind, str) else None


async def _exited(process: asyncio.subprocess.Process, seconds: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        return False
    return True


def _signal_group(process: asyncio.subprocess.Process, which: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, which)
