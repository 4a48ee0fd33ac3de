"""The invitation server: refusals before anything starts, one connection per interview, candidate
apps that end with their connection, protective headers, and logs without tokens."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import textwrap
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import WSServerHandshakeError, web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request

from agent.invitations import Invitation, InvitationStore
from agent.resources import bundled_dir
from agent.sandbox import landlock_abi
from agent.settings import Settings
from agent.web import InvitationServer
from agent.web_logging import AccessLogger, RedactingFormatter, redact
from agent.web_process import candidate_environment, log_sandbox

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

# Stands in for the candidate app: speaks textual-serve's protocol, writes its pid and its
# environment where the test can see them, and quits when asked (or, stubborn, never does).
FAKE_APP = textwrap.dedent(
    """
    import json, os, signal, sys, time
    out = sys.argv[1]
    stubborn = sys.argv[2] == "stubborn"
    if stubborn:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with open(out, "w") as f:
        json.dump({"pid": os.getpid(), "env": dict(os.environ), "cwd": os.getcwd()}, f)
    sys.stdout.buffer.write(b"__GANGLION__\\n")
    sys.stdout.buffer.write(b"D" + (5).to_bytes(4, "big") + b"hello")
    sys.stdout.buffer.flush()
    stdin = sys.stdin.buffer
    while True:
        kind = stdin.read(1)
        if not kind:
            time.sleep(3600) if stubborn else sys.exit(0)
        size = int.from_bytes(stdin.read(4), "big")
        payload = stdin.read(size)
        if kind == b"M" and json.loads(payload).get("type") == "quit" and not stubborn:
            sys.exit(0)
    """
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class FakeAppServer(InvitationServer):
    """The real server, starting the stand-in app instead of the candidate app."""

    def __init__(self, *, folder: Path, stubborn: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.folder = folder
        self.stubborn = stubborn
        (folder / "fake_app.py").write_text(FAKE_APP, encoding="utf-8")

    def command_for(self, invitation: Invitation) -> list[str]:
        mode = "stubborn" if self.stubborn else "polite"
        return [sys.executable, str(self.folder / "fake_app.py"), str(self.report(invitation)), mode]

    def report(self, invitation: Invitation) -> Path:
        return self.folder / f"{invitation.id}.app.json"


@pytest.fixture
def store(tmp_path: Path) -> InvitationStore:
    return InvitationStore(tmp_path / "invitations")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(store: InvitationStore, clock: Clock, tmp_path: Path) -> FakeAppServer:
    settings = Settings(home=tmp_path, port=8000)
    return FakeAppServer(folder=tmp_path, store=store, settings=settings, clock=clock)


@pytest.fixture
async def client(server: FakeAppServer) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    app = await server.make_app()
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


def _invite(store: InvitationStore) -> tuple[Invitation, str]:
    return store.create(rubric_id="customer-focus", candidate="Ada", question_count=2, now=NOW)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")  # a zombie has ended too
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _until(predicate: object, seconds: float = 15) -> bool:
    for _ in range(int(seconds / 0.05)):
        if callable(predicate) and predicate():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_landing_page_asks_for_an_invitation(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/")
    assert response.status == 404
    assert "You need an invitation link" in await response.text()


async def test_unknown_token_is_refused(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/i/not-a-token")
    assert response.status == 404
    assert "not valid" in await response.text()


async def test_the_page_is_protected_and_opening_it_claims_nothing(
    client: TestClient,  # type: ignore[type-arg]
    store: InvitationStore,
) -> None:
    invitation, token = _invite(store)
    response = await client.get(f"/i/{token}")
    assert response.status == 200
    page = await response.text()
    assert f"/ws/{token}" in page
    assert "<title>Starling interview</title>" in page
    assert "googleapis" not in page and "https://" not in page, "nothing from elsewhere"
    assert "<script>" not in page and "onclick" not in page.lower(), "no inline script"
    policy = response.headers["Content-Security-Policy"]
    for rule in ("default-src 'none'", "script-src 'self'", "font-src 'self'", "frame-ancestors 'none'"):
        assert rule in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert store.state(invitation, NOW) == "pending"
    for asset in ("/assets/candidate.css", "/assets/candidate.js", "/static/js/textual.js"):
        fetched = await client.get(asset)
        assert fetched.status == 200, asset
        assert "frame-ancestors 'none'" in fetched.headers["Content-Security-Policy"]
    font = await client.get("/static/fonts/RobotoMono-VariableFont_wght.ttf")
    assert font.status == 200, "the page's font is served from here"


async def test_finished_lapsed_expired_and_revoked_links_are_refused(
    client: TestClient,  # type: ignore[type-arg]
    store: InvitationStore,
    clock: Clock,
) -> None:
    finished, finished_token = _invite(store)
    assert store.claim(finished, NOW)
    store.finish(finished, NOW)
    response = await client.get(f"/i/{finished_token}")
    assert response.status == 410 and "finished" in await response.text()
    assert (await client.get(f"/ws/{finished_token}")).status == 403

    lapsed, lapsed_token = _invite(store)
    assert store.claim(lapsed, NOW - timedelta(hours=2))
    response = await client.get(f"/i/{lapsed_token}")
    assert response.status == 410 and "already been used" in await response.text()
    assert (await client.get(f"/ws/{lapsed_token}")).status == 403, "no app is started for it"

    revoked, revoked_token = _invite(store)
    store.revoke(revoked.id)
    assert (await client.get(f"/i/{revoked_token}")).status == 410
    assert (await client.get(f"/ws/{revoked_token}")).status == 403

    _, expiring = _invite(store)
    clock.now = NOW + timedelta(days=30)
    response = await client.get(f"/i/{expiring}")
    assert response.status == 410 and "expired" in await response.text()
    assert (await client.get("/ws/garbage")).status == 403


async def test_one_connection_at_a_time_and_the_app_ends_with_it(
    client: TestClient,  # type: ignore[type-arg]
    server: FakeAppServer,
    store: InvitationStore,
) -> None:
    invitation, token = _invite(store)
    first = await client.ws_connect(f"/ws/{token}")
    assert (await first.receive_bytes()) == b"hello", "the app's screen reaches the browser"
    pid = json.loads(server.report(invitation).read_text(encoding="utf-8"))["pid"]
    assert _alive(pid)

    server.handover_seconds = 0.5
    page = await client.get(f"/i/{token}")  # a reload asks for the page before its socket closes
    assert page.status == 200
    with pytest.raises(WSServerHandshakeError) as refused:
        await client.ws_connect(f"/ws/{token}")
    assert refused.value.status == 403

    await first.close()
    assert await _until(lambda: not _alive(pid)), "the app ended with its connection"
    again = await client.ws_connect(f"/ws/{token}")  # a reload, within the rejoin window
    assert (await again.receive_bytes()) == b"hello"
    await again.close()


async def test_a_reload_waits_for_the_last_app_to_end_instead_of_being_refused(
    client: TestClient,  # type: ignore[type-arg]
    store: InvitationStore,
) -> None:
    _, token = _invite(store)
    first = await client.ws_connect(f"/ws/{token}")
    await first.receive_bytes()
    closing = asyncio.create_task(first.close())
    await asyncio.sleep(0)  # the page reloads at once: the old app may still be ending
    again = await client.ws_connect(f"/ws/{token}")
    assert (await again.receive_bytes()) == b"hello"
    await closing
    await again.close()


async def test_an_app_that_will_not_quit_is_killed(
    store: InvitationStore, clock: Clock, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path, port=8000)
    server = FakeAppServer(folder=tmp_path, stubborn=True, store=store, settings=settings, clock=clock)
    invitation, token = _invite(store)
    async with TestClient(TestServer(await server.make_app())) as client:
        socket = await client.ws_connect(f"/ws/{token}")
        await socket.receive_bytes()
        pid = json.loads(server.report(invitation).read_text(encoding="utf-8"))["pid"]
        await socket.close()
        assert await _until(lambda: not _alive(pid), seconds=20), "ignoring quit and SIGTERM"


async def test_server_shutdown_ends_every_candidate_app(
    store: InvitationStore, clock: Clock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = Settings(home=tmp_path, port=8000)
    server = FakeAppServer(folder=tmp_path, stubborn=True, store=store, settings=settings, clock=clock)
    invitations = [_invite(store) for _ in range(2)]
    async with TestClient(TestServer(await server.make_app())) as client:
        for _, token in invitations:
            await (await client.ws_connect(f"/ws/{token}")).receive_bytes()
        pids = [json.loads(server.report(i).read_text(encoding="utf-8"))["pid"] for i, _ in invitations]
        assert all(_alive(pid) for pid in pids)
    assert await _until(lambda: not any(_alive(pid) for pid in pids), seconds=20)
    ended = [r.getMessage() for r in caplog.records if "candidate app for invitation" in r.getMessage()]
    assert sorted(line.split()[4] for line in ended) == sorted(i.id for i, _ in invitations), (
        "each app's end is logged once"
    )


async def test_malformed_frames_are_dropped_with_one_plain_line(
    client: TestClient,  # type: ignore[type-arg]
    store: InvitationStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, token = _invite(store)
    socket = await client.ws_connect(f"/ws/{token}")
    await socket.receive_bytes()
    with caplog.at_level(logging.INFO):
        for frame in ("not json", '["resize", {"width": "x"}]', '["stdin"]', "[]", '{"a": 1}', '["ping", 1]'):
            await socket.send_str(frame)
        await socket.send_json(["ping", "still here"])
        assert (await socket.receive_json()) == ["pong", "still here"], "the connection lives on"
        await socket.close()
        await _until(lambda: any("ended" in r.getMessage() for r in caplog.records))
    dropped = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert dropped and all(r.exc_info is None for r in dropped), "no traceback, so no locals"
    assert all(token not in r.getMessage() for r in caplog.records)


def test_tokens_never_reach_a_log_line() -> None:
    token = "yo3aoVi01g0BHg6morL54MwTBkijcACc"
    formatter = RedactingFormatter()
    lines = [
        f"GET /i/{token} 200",
        f"GET /ws/{token}?width=100&height=30 101",
        f"something about {token} in a message",
    ]
    for line in lines:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, line, None, None)
        assert token not in formatter.format(record)
    try:
        raise ValueError(f"bad frame for /ws/{token}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = formatter.format(record)
    assert token not in text and "Traceback" not in text and "\n" not in text
    assert redact("/i/abc") == "/i/…"


def test_access_log_lines_carry_no_token(caplog: pytest.LogCaptureFixture) -> None:
    token = "m_k6VOVhWCS9ZXzq_WNpG-EFj95rvIsD"
    access = logging.getLogger("starling.test.access")
    with caplog.at_level(logging.INFO, logger="starling.test.access"):
        for path in (f"/i/{token}", f"/ws/{token}?width=100&height=30"):
            AccessLogger(access, "").log(make_mocked_request("GET", path), web.Response(status=200), 0.01)
    assert len(caplog.records) == 2
    assert all(token not in record.getMessage() for record in caplog.records)
    assert "/ws/…" in caplog.records[1].getMessage()


def test_a_candidate_app_gets_a_minimal_environment(tmp_path: Path) -> None:
    outer = {"PATH": "/usr/bin", "OPENAI_API_KEY": "sk-live", "AWS_SECRET": "x", "HOME": "/root"}
    offline = candidate_environment(Settings(home=tmp_path, api_key="sk-live"), 80, 24, outer)
    assert "OPENAI_API_KEY" not in offline and "AWS_SECRET" not in offline and "HOME" not in offline
    assert offline["PATH"] == "/usr/bin" and offline["STARLING_BRAIN"] == "offline"
    assert offline["STARLING_CONFIG_FILE"] == "", "not the recruiter's settings file"
    model = candidate_environment(
        Settings(home=tmp_path, brain="openai", model="m", api_key="sk-live"),
        80,
        24,
        outer,
        token_files=tmp_path / "tokens",
    )
    assert model["OPENAI_API_KEY"] == "sk-live" and model["STARLING_MODEL"] == "m"
    assert model["TIKTOKEN_CACHE_DIR"] == str(tmp_path / "tokens"), "the files it may read"
    assert "AWS_SECRET" not in model
    offline = candidate_environment(Settings(home=tmp_path), 80, 24, outer, token_files=tmp_path)
    assert "TIKTOKEN_CACHE_DIR" not in offline


def test_candidate_command_names_only_its_interview_folder(store: InvitationStore, tmp_path: Path) -> None:
    home = tmp_path / "a home"
    server = InvitationServer(store=store, settings=Settings(home=home), clock=Clock())
    invitation, token = _invite(store)
    command = server.command_for(invitation)
    folder = store.interview(invitation).path.absolute()
    assert command == [sys.executable, "-P", "-m", "agent.cli", "candidate", "--interview-dir", str(folder)]
    assert folder.parent.name == "interviews" and folder.name == invitation.id
    assert token not in " ".join(command) and "--home" not in command


async def test_the_app_starts_in_its_interview_folder_handed_what_it_needs(
    client: TestClient,  # type: ignore[type-arg]
    server: FakeAppServer,
    store: InvitationStore,
) -> None:
    invitation, token = _invite(store)
    socket = await client.ws_connect(f"/ws/{token}")
    await socket.receive_bytes()
    report = json.loads(server.report(invitation).read_text(encoding="utf-8"))
    folder = store.interview(invitation).path
    assert Path(report["cwd"]) == folder.absolute()
    handed = json.loads((folder / "invitation.json").read_text(encoding="utf-8"))
    assert handed == json.loads(invitation.details().model_dump_json())
    assert "token_hash" not in handed
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert files and not any(invitation.token_hash in path.read_text(encoding="utf-8") for path in files)
    bundled = bundled_dir("rubrics") / "customer-focus.yaml"
    assert (folder / "rubrics" / "customer-focus.yaml").read_bytes() == bundled.read_bytes()
    assert not any(name in report["env"] for name in ("STARLING_HOME", "HOME")), "no way to the data folder"
    await socket.close()


def test_the_sandbox_is_reported_in_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="starling.web"):
        log_sandbox()
    lines = [r.getMessage() for r in caplog.records if "Landlock" in r.getMessage()]
    assert len(lines) == 1
    assert ("fenced in to their interview folders" in lines[0]) == (landlock_abi() > 0), lines


async def test_a_page_at_another_origin_cannot_connect_even_with_the_link(
    client: TestClient,  # type: ignore[type-arg]
    server: FakeAppServer,
    store: InvitationStore,
) -> None:
    invitation, token = _invite(store)
    for origin in ("http://evil.example", "http://127.0.0.1:8001", "null"):
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect(f"/ws/{token}", headers={"Origin": origin})
        assert refused.value.status == 403
    assert not server.report(invitation).exists(), "no app was started for them"
    assert store.state(invitation, NOW, timedelta(minutes=30)) == "pending"
    # The page the link opens (the public address, any case) and clients without a page do connect.
    for headers in ({"Origin": "HTTP://127.0.0.1:8000"}, {}):
        websocket = await client.ws_connect(f"/ws/{token}", headers=headers)
        assert (await websocket.receive_bytes()) == b"hello"
        await websocket.close()
        pid = json.loads(server.report(invitation).read_text(encoding="utf-8"))["pid"]
        assert await _until(lambda pid=pid: not _alive(pid))
