"""Choosing and building a brain from settings; configuration errors that say what to set."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from agent.brains.factory import build_brain
from agent.brains.llm import LlmBrain
from agent.brains.offline import OfflineBrain
from agent.errors import StarlingError
from agent.settings import Settings, load_settings
from tests.llm.conftest import FakeServer, completion
from tests.llm.outputs import analysis_output

REPO = Path(__file__).resolve().parents[2]
SECRET = "sk-test-0123456789abcdefghijklmnop"


def test_offline_is_the_default() -> None:
    assert isinstance(build_brain(load_settings()), OfflineBrain)


def test_the_environment_selects_the_model_brain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STARLING_BRAIN", "openai")
    monkeypatch.setenv("STARLING_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("STARLING_RETRY_SECONDS", "5")
    settings = load_settings()
    brain = build_brain(settings)
    assert isinstance(brain, LlmBrain)
    assert brain.name == "openai"
    assert brain.label == "openai:gpt-4o-mini"
    assert settings.retry_seconds == 5.0


def test_flags_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STARLING_MODEL", "from-env")
    assert load_settings(model="from-flag", brain="openai").model == "from-flag"


def test_the_settings_file_is_read_below_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from agent.settings import config_file

    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'brain = "openai"\nmodel = "file-model"\nbase_url = "http://127.0.0.1:8080/v1"\n'
        "prompt_token_budget = 2500\n[prices.file-model]\ninput = 1.0\noutput = 2.0\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert (settings.brain, settings.model, settings.prompt_token_budget) == ("openai", "file-model", 2500)
    assert settings.prices["file-model"].output == 2.0
    monkeypatch.setenv("STARLING_MODEL", "env-model")
    assert load_settings().model == "env-model"


def test_a_missing_key_for_openai_says_exactly_what_to_set() -> None:
    with pytest.raises(StarlingError) as caught:
        build_brain(Settings(brain="openai", model="gpt-4o-mini"))
    assert "api.openai.com" in caught.value.message
    assert "OPENAI_API_KEY" in (caught.value.hint or "")
    assert "OPENAI_BASE_URL" in (caught.value.hint or "")


def test_a_missing_model_name_says_exactly_what_to_set() -> None:
    with pytest.raises(StarlingError) as caught:
        build_brain(Settings(brain="openai", api_key=SecretStr(SECRET)))
    assert "STARLING_MODEL" in (caught.value.hint or "") and "--model" in (caught.value.hint or "")


def test_a_local_server_needs_no_key() -> None:
    brain = build_brain(Settings(brain="openai", model="local", base_url="http://127.0.0.1:8080/v1"))
    assert isinstance(brain, LlmBrain)


def test_the_key_is_sent_but_never_written_anywhere(
    server: FakeServer, tmp_path: Path, caplog: pytest.LogCaptureFixture, rubric: object
) -> None:
    from agent.domain.policy import InterviewConfig
    from agent.reports.json_report import interview_document
    from agent.reports.markdown import transcript_markdown
    from agent.session import InterviewSession
    from agent.storage import TranscriptStore

    caplog.set_level("DEBUG")
    settings = Settings(brain="openai", model="gpt-4o-mini", api_key=SecretStr(SECRET), home=tmp_path)
    server.reply(completion("{bad"), *[completion(analysis_output())] * 3)
    brain = build_brain(settings, http_client=server.client())
    store = TranscriptStore(tmp_path / "t")
    session, _ = InterviewSession.start(
        rubric=rubric,  # type: ignore[arg-type]
        brain=brain,
        store=store,
        config=InterviewConfig(question_count=1, max_followups=0),
        interview_id="secret-check",
    )
    server.reply(completion(json.dumps({"nope": 1})), *[completion("still bad")] * 5)
    session.submit("I called the customer myself and refunded the order the same day.")
    session.close()
    assert server.headers[0]["authorization"] == f"Bearer {SECRET}"
    written = (tmp_path / "t" / "secret-check.jsonl").read_text(encoding="utf-8")
    transcript = store.load("secret-check")
    for text in (
        written,
        json.dumps(interview_document(transcript)),
        transcript_markdown(transcript),
        caplog.text,
        repr(settings),
        str(settings.model_dump()),
        repr(brain),
        repr(vars(brain)),
    ):
        assert SECRET not in text


def test_only_the_backend_imports_openai() -> None:
    importers = []
    for path in (REPO / "agent").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name == "openai" or name.startswith("openai.") for name in names):
                importers.append(path.relative_to(REPO).as_posix())
    assert sorted(set(importers)) == ["agent/llm/openai_backend.py"]


def test_the_offline_path_loads_no_model_machinery() -> None:
    code = (
        "import json, sys\n"
        "from agent.brains.factory import build_brain\n"
        "from agent.settings import Settings\n"
        "build_brain(Settings())\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert not {"openai", "tiktoken", "jinja2", "httpx2"} & loaded


def test_importing_the_model_brain_does_not_touch_the_network_or_disk(tmp_path: Path) -> None:
    code = (
        "import socket\n"
        "def no(*a, **k): raise OSError('network used at import')\n"
        "socket.socket.connect = no; socket.getaddrinfo = no\n"
        "import agent.brains.llm, agent.llm.openai_backend, agent.llm.tokens, agent.prompting\n"
        "print('ok')"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "ok"
    assert not (tmp_path / "cache").exists()


def test_tests_cannot_reach_a_real_model() -> None:
    import socket

    from tests.llm.conftest import NetworkBlocked

    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("api.openai.com", 443)
    with pytest.raises(NetworkBlocked), socket.socket() as sock:
        sock.connect(("8.8.8.8", 443))


def test_generic_environment_variables_are_not_taken_for_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL", "not-this")
    monkeypatch.setenv("API_KEY", "sk-someone-elses-key")
    monkeypatch.setenv("BRAIN", "openai")
    monkeypatch.setenv("HOME", "/somewhere-else")
    settings = load_settings()
    assert (settings.model, settings.api_key, settings.brain) == (None, None, "offline")
    assert str(settings.home) != "/somewhere-else"
