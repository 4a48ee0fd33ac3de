"""`starling analyze` starts quickly: it loads only what analysing one answer needs, and leaves the
interpreter as it found it."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.cli import main

# Modules of other commands, of the model brain and of the old settings loader.
NOT_FOR_ANALYZE = (
    "asyncio",
    "concurrent",
    "pydantic_settings",
    "tomllib",
    "textual",
    "rich",
    "openai",
    "httpx2",
    "tiktoken",
    "jinja2",
    "agent.ui",
    "agent.web",
    "agent.brains.llm",
    "agent.brains.offline.evaluator",
    "agent.prompting",
    "agent.session",
    "agent.storage",
    "agent.invitations",
    "agent.terminal",
    "agent.domain.policy",
    "agent.domain.evaluation",
    "agent.evals.runner",
)

ANALYZE = """
import io, json, sys
sys.stdin = io.TextIOWrapper(io.BytesIO(b"Last spring I sorted out a client's customs delay."))
import agent.cli
code = agent.cli.main(["--home", sys.argv[1], "analyze", "--question", "Tell me about a customer."])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_analyze_loads_nothing_it_does_not_use(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", ANALYZE, str(tmp_path)], capture_output=True, text=True, check=True, timeout=60
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    modules = set(result["modules"])
    assert "agent.brains.offline.analyzer" in modules, "the offline reader did the work"
    loaded = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in NOT_FOR_ANALYZE))
    assert not loaded, f"starling analyze imported {loaded}"


def test_the_command_exits_with_the_code_of_its_work(tmp_path: Path) -> None:
    """`python -m agent.cli`, like the installed `starling`, ends through `run`."""
    command = [sys.executable, "-m", "agent.cli", "--home", str(tmp_path), "analyze", "--question", "Q"]
    ok = subprocess.run(command, input="I fixed it.", capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and json.loads(ok.stdout)["star"]
    empty = subprocess.run(command, input="   ", capture_output=True, text=True, timeout=60)
    assert empty.returncode == 2
    assert empty.stderr.startswith("starling: The answer is empty")


@pytest.mark.parametrize("reply", ["I called the broker and the shipment cleared.", " "])
def test_analyze_leaves_the_collector_running(
    reply: str, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The collector is paused while analyze loads, and on again afterwards, error or not."""
    assert gc.isenabled()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(reply.encode())))
    code = main(["analyze", "--question", "Tell me about a customer."])
    assert code == (0 if reply.strip() else 2)
    assert gc.isenabled()
    capsys.readouterr()
