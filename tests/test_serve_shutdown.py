"""A real `starling serve`, stopped or killed, leaves no candidate app running."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _children(pid: int) -> set[int]:
    """Every live descendant of `pid` (zombies are not running)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            child = int(entry.name)
            found |= {child, *_children(child)}
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _wait(condition: object, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _invite(home: Path, port: int) -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent.cli",
            "--home",
            str(home),
            "invite",
            "--candidate",
            "Ada",
            "--port",
            str(port),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    link = next(line.strip() for line in out.splitlines() if "/i/" in line)
    return link.rsplit("/i/", 1)[1]


async def _open_interview(port: int, token: str, until: object) -> None:
    """Connect as a candidate's page would, and hold the connection until `until()`."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{port}/ws/{token}?width=80&height=24"),
    ):
        deadline = time.monotonic() + 30
        while callable(until) and not until() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "killed outright"])
def test_stopping_serve_ends_every_candidate_app(tmp_path: Path, stop: signal.Signals) -> None:
    home = tmp_path / "home"
    port = _free_port()
    with (tmp_path / "server.log").open("wb") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "agent.cli", "--home", str(home), "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        try:
            _wait(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, "serve to listen")
            token = _invite(home, port)
            seen: set[int] = set()

            def candidate_started() -> bool:
                seen.update(_children(serve.pid))
                return bool(seen)

            def stopped() -> bool:
                if not seen and not candidate_started():
                    return False
                if serve.poll() is None:
                    os.kill(serve.pid, stop)
                return serve.poll() is not None

            # The candidate's connection stays open while serve is told to stop.
            asyncio.run(_open_interview(port, token, stopped))
            assert seen, "a candidate app was started for the connection"
            _wait(lambda: serve.poll() is not None, "serve to exit")
            _wait(lambda: not _alive(seen), "every candidate app to end", timeout=15)
        finally:
            if serve.poll() is None:
                serve.kill()
                serve.wait()
