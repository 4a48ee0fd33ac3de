"""The offline path never loads the model brain, its templates or its clients: checked in fresh
interpreters that run the app to its first answered question, a terminal interview and an analysis."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# What only the model-backed brain needs; an offline interview must start without any of it.
MODEL_ONLY = (
    "agent.brains.llm",
    "agent.prompting",
    "agent.llm.openai_backend",
    "jinja2",
    "openai",
    "tiktoken",
    "httpx2",
)

APP = """
import asyncio, json, sys
import agent.cli
from agent.ui import app as ui
from agent.ui.screens.chat import ChatScreen

async def drive(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        while not (isinstance(app.screen, ChatScreen) and app.screen.session is not None):
            await asyncio.sleep(0.01)
        app.screen.answer_box.text = "Last year I fixed a customer's billing export before their audit."
        await pilot.press("ctrl+s")
        while app.screen.busy:
            await asyncio.sleep(0.01)

ui.StarlingApp.run = lambda self, *a, **k: asyncio.run(drive(self))
agent.cli.main(["--home", sys.argv[1]])
print(json.dumps(sorted(sys.modules)))
"""

TERMINAL = """
import io, json, sys
sys.stdin = io.StringIO("A story about a customer.\\n.\\n/end\\n")
import agent.cli
agent.cli.main(["--home", sys.argv[1], "interview", "--questions", "1"])
print(json.dumps(sorted(sys.modules)))
"""

ANALYZE = """
import io, json, sys
sys.stdin = io.StringIO("Last spring I sorted out a client's customs delay.")
import agent.cli
agent.cli.main(["--home", sys.argv[1], "analyze", "--question", "Tell me about a customer."])
print(json.dumps(sorted(sys.modules)))
"""


def loaded(code: str, home: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code, str(home)], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("path", ["app", "terminal", "analyze"])
def test_the_offline_path_loads_nothing_of_the_model_brain(path: str, tmp_path: Path) -> None:
    code = {"app": APP, "terminal": TERMINAL, "analyze": ANALYZE}[path]
    modules = loaded(code, tmp_path)
    assert "agent.brains.offline" in modules, "the offline brain did the work"
    found = sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in MODEL_ONLY))
    assert not found, f"the offline {path} path imported {found}"
