"""End to end in a real browser: `starling serve`, invitation links, candidates typing their answers.

Runs headless Chromium from the system packages through Selenium with an explicit driver path,
so nothing is downloaded. Screenshots of a running interview and of the HTML report are written
to `.artifacts/` at the top of the repository.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agent.invitations import InvitationStore
from agent.reports.html import interview_html
from agent.storage import read_transcript

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".artifacts"
STRONG = (
    "Last spring I was a service advisor at a car dealer. A customer's gearbox failed three weeks out of "
    "warranty and the quote was over two thousand pounds. My goal was to find a fair way through without "
    "breaking policy. I pulled her full service history, wrote up a goodwill case and rang the "
    "manufacturer's regional rep myself. In the end the manufacturer paid 80% of the bill and she renewed "
    "her service plan."
)

selenium = pytest.importorskip("selenium", reason="selenium is installed by scripts/test")
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip(
        "Chromium and chromedriver are not installed (scripts/test installs them with apt-get)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    home = tmp_path / "home"
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "--home", str(home), "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("starling serve did not start: " + (tmp_path / "server.log").read_text())
    try:
        yield base, home
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _invite(base: str, home: Path, name: str, questions: int = 2) -> tuple[str, str]:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent.cli",
            "--home",
            str(home),
            "invite",
            "--candidate",
            name,
            "--questions",
            str(questions),
            "--base-url",
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    link = next(line.strip() for line in out.splitlines() if "/i/" in line)
    invitation = InvitationStore(home / "invitations").find(link.rsplit("/", 1)[1])
    assert invitation is not None
    return link, invitation.id


def _browser(tmp_path: Path, name: str) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,800",
        f"--user-data-dir={tmp_path / ('profile-' + name)}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def _transcripts(home: Path, invitation_id: str) -> Path:
    """Where the candidate's app for the invitation writes: its own interview folder."""
    return home / "interviews" / invitation_id / "transcripts"


def _records(home: Path, invitation_id: str) -> list[dict[str, object]]:
    folder = _transcripts(home, invitation_id)
    for path in folder.glob("*.jsonl") if folder.exists() else []:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if lines and lines[0].get("invitation") == invitation_id:
            return lines
    return []


def _wait_for(predicate: object, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _eventually(predicate: Callable[[], object], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _keys(driver: WebDriver, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def _send(driver: WebDriver) -> None:
    ActionChains(driver).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()


def _hold_interview(
    driver: WebDriver, link: str, home: Path, invitation_id: str, shots: bool = False
) -> None:
    driver.get(link)
    _wait_for(
        lambda: driver.execute_script("return !!document.querySelector('.textual-terminal.-connected')"),
        "the app to connect",
    )
    time.sleep(1.5)
    driver.find_element("tag name", "body").click()
    if shots:
        driver.save_screenshot(str(ARTIFACTS / "browser-consent.png"))
    # "I agree, start" has the focus on the consent screen; a loaded machine may still be drawing it.
    for _ in range(10):
        driver.find_element("tag name", "body").click()  # focus the terminal once the splash has gone
        _keys(driver, Keys.ENTER)
        if _eventually(lambda: any(r.get("ask") == "question" for r in _records(home, invitation_id)), 6):
            break
    else:
        driver.save_screenshot(str(ARTIFACTS / f"browser-not-started-{invitation_id}.png"))
        pytest.fail("the interview did not start after accepting the consent screen")
    answered = 0
    while True:
        records = _records(home, invitation_id)
        if any(r.get("ask") == "closing" for r in records):
            break
        waiting = sum(
            1 for r in records if r.get("role") == "interviewer" and r.get("ask") in ("question", "followup")
        )
        if waiting > answered:
            time.sleep(1.5)  # let the question finish appearing before typing
            _keys(driver, STRONG)
            if shots and answered == 0:
                driver.save_screenshot(str(ARTIFACTS / "browser-interview.png"))
            _send(driver)
            answered += 1
            _wait_for(
                lambda n=answered: (
                    sum(1 for r in _records(home, invitation_id) if r.get("type") == "analysis") >= n
                ),
                f"answer {answered} to be analysed",
                timeout=60,
            )
        assert answered <= 8, "the interview did not end"
    _wait_for(
        lambda: any(r.get("type") == "evaluation" for r in _records(home, invitation_id)), "the evaluation"
    )


def test_a_candidate_interviews_in_the_browser_and_the_link_cannot_be_reused(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, home = server
    ARTIFACTS.mkdir(exist_ok=True)
    link, invitation_id = _invite(base, home, "Ada Lovelace")
    driver = _browser(tmp_path, "ada")
    try:
        _hold_interview(driver, link, home, invitation_id, shots=True)
        path = next(_transcripts(home, invitation_id).glob("*.jsonl"))
        transcript = read_transcript(path)
        assert transcript.header.invitation == invitation_id
        assert transcript.header.candidate == "Ada Lovelace"
        assert transcript.header.mode == "assessment"
        assert transcript.evaluation is not None
        assert STRONG in [text.strip() for text in transcript.candidate_text]
        (ARTIFACTS / "report.html").write_text(interview_html(transcript), encoding="utf-8")
        driver.get((ARTIFACTS / "report.html").as_uri())
        driver.save_screenshot(str(ARTIFACTS / "browser-report.png"))

        driver.get(link)
        assert "This interview is finished" in driver.page_source
        driver.get(f"{base}/i/not-a-real-token")
        assert "not valid" in driver.page_source
    finally:
        driver.quit()


def test_concurrent_candidates_are_saved_completely_and_separately(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, home = server
    people = ["Grace Hopper", "Alan Turing", "Katherine Johnson"]
    invites = [_invite(base, home, name) for name in people]
    errors: list[BaseException] = []

    def candidate(index: int) -> None:
        link, invitation_id = invites[index]
        driver = _browser(tmp_path, str(index))
        try:
            _hold_interview(driver, link, home, invitation_id)
        except BaseException as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)
        finally:
            driver.quit()

    threads = [threading.Thread(target=candidate, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    for name, (_, invitation_id) in zip(people, invites, strict=True):
        records = _records(home, invitation_id)
        assert records[0]["candidate"] == name
        assert any(r.get("type") == "evaluation" for r in records)
        assert len(list(_transcripts(home, invitation_id).glob("*.jsonl"))) == 1, "each in its own folder"
    assert not (home / "transcripts").exists()
    listed = subprocess.run(
        [sys.executable, "-m", "agent.cli", "--home", str(home), "transcripts", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    finished = [item for item in json.loads(listed) if item["finished"]]
    assert sorted(item["candidate"] for item in finished) == sorted(people), "the reviewer sees them all"


def _connected(driver: WebDriver) -> bool:
    return bool(driver.execute_script("return !!document.querySelector('.textual-terminal.-connected')"))


def _accept_consent(driver: WebDriver, home: Path, invitation_id: str) -> None:
    _wait_for(lambda: _connected(driver), "the app to connect")
    time.sleep(1.5)
    for _ in range(10):
        driver.find_element("tag name", "body").click()
        _keys(driver, Keys.ENTER)
        if _eventually(lambda: any(r.get("ask") == "question" for r in _records(home, invitation_id)), 6):
            return
    pytest.fail("the interview did not start after accepting the consent screen")


def _keyboard_in_terminal(driver: WebDriver) -> bool:
    return bool(
        driver.execute_script("const a = document.activeElement; return !!a && !!a.closest('#terminal')")
    )


def _analyses(home: Path, invitation_id: str) -> int:
    return sum(1 for r in _records(home, invitation_id) if r.get("type") == "analysis")


def _apps_with_interview_open(invitation_id: str, home: Path) -> set[int]:
    """The candidate apps serving this invitation that have its transcript open (Linux /proc)."""
    found: set[int] = set()
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            if b"candidate" not in argv or str(home / "interviews" / invitation_id).encode() not in argv:
                continue
            targets = [str((proc / "fd" / fd.name).readlink()) for fd in (proc / "fd").iterdir()]
        except OSError:  # gone, or not ours
            continue
        if any(
            t.startswith(str(_transcripts(home, invitation_id))) and t.endswith(".jsonl") for t in targets
        ):
            found.add(int(proc.name))
    return found


def _answer_once_ready(driver: WebDriver, home: Path, invitation_id: str, text: str) -> None:
    """Type and send an answer; again if the app was still starting when the keys arrived.

    F7 selects whatever reached the box before, so a second try replaces it rather than adding.
    """
    before = _analyses(home, invitation_id)
    for _ in range(6):
        _keys(driver, Keys.F7, text)
        _send(driver)
        if _eventually(lambda: _analyses(home, invitation_id) > before, 10):
            return
    driver.save_screenshot(str(ARTIFACTS / f"browser-not-sent-{invitation_id}.png"))
    pytest.fail("the answer typed after the reload was not analysed")


def test_a_reload_rejoins_a_second_tab_is_refused_and_a_finished_link_is_dead(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, home = server
    ARTIFACTS.mkdir(exist_ok=True)
    link, invitation_id = _invite(base, home, "Mary Jackson", questions=1)
    driver = _browser(tmp_path, "mary")
    other = _browser(tmp_path, "mary-other")
    try:
        driver.get(link)
        _wait_for(lambda: _connected(driver), "the app to connect")
        driver.refresh()  # a reload on the consent screen uses nothing up
        _accept_consent(driver, home, invitation_id)

        other.get(link)  # the same link in a second window, while the first is open
        _wait_for(
            lambda: other.execute_script("return document.body.classList.contains('-closed')"),
            "the second window to be refused",
        )
        assert "open in another window" in other.find_element("css selector", ".closed-dialog").text
        assert _connected(driver), "the first window carries on"

        _wait_for(lambda: _apps_with_interview_open(invitation_id, home), "the interview to be open")
        before = _apps_with_interview_open(invitation_id, home)
        driver.refresh()  # a reload mid-interview carries on with the same interview
        _wait_for(lambda: _connected(driver), "the app to reconnect")
        # The new app has the interview open: its screen, with the answer box, is up.
        _wait_for(
            lambda: _apps_with_interview_open(invitation_id, home) - before, "the interview to be reopened"
        )
        # No click first: the page puts the keyboard in the interview by itself.
        _wait_for(lambda: _keyboard_in_terminal(driver), "the keyboard to be in the interview")
        _answer_once_ready(driver, home, invitation_id, STRONG)
        driver.save_screenshot(str(ARTIFACTS / "browser-rejoined.png"))
        _wait_for(
            lambda: any(r.get("type") == "evaluation" for r in _records(home, invitation_id)),
            "the evaluation",
            timeout=60,
        )
        records = _records(home, invitation_id)
        assert sum(1 for r in records if r.get("ask") == "question") == 1, "not started over"
        answers = [str(r["text"]) for r in records if r.get("role") == "candidate"]
        assert answers[0].strip() == STRONG, "the answer arrived whole"
        assert len(list(_transcripts(home, invitation_id).glob("*.jsonl"))) == 1

        _wait_for(lambda: "already" not in driver.page_source, "the page")
        other.get(link)
        assert "This interview is finished" in other.page_source
    finally:
        driver.quit()
        other.quit()


def test_the_page_renders_with_outside_network_blocked_and_asks_for_nothing_outside(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    base, home = server
    link, _ = _invite(base, home, "Dorothy Vaughan")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--window-size=1200,800",
        f"--user-data-dir={tmp_path / 'profile-offline'}",
        # Every name but this machine resolves to nothing: an outside request would fail.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(link)
        _wait_for(lambda: _connected(driver), "the app to connect")
        _wait_for(
            lambda: driver.execute_script("return document.body.classList.contains('-first-byte')"),
            "the interview screen",
        )
        assert driver.title == "Starling interview"
        requested = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        outside = [url for url in requested if not url.startswith(base)]
        assert not outside, outside
        fonts = driver.execute_script(
            "return [...document.fonts].filter(f => f.family.includes('Roboto')).map(f => f.status)"
        )
        assert "loaded" in fonts, fonts
        problems = [
            entry["message"]
            for entry in driver.get_log("browser")  # type: ignore[no-untyped-call]
            if "Content Security Policy" in entry["message"] or "ERR_NAME_NOT_RESOLVED" in entry["message"]
        ]
        assert not problems, problems
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "browser-offline.png"))
    finally:
        driver.quit()
