"""The domain core stays pure and the engine stays headless: checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("openai", "textual", "jinja2", "yaml", "httpx", "tiktoken")


def _loaded_after(module: str) -> set[str]:
    code = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize(
    "module", ["agent.domain.policy", "agent.domain.evaluation", "agent.domain.transcript"]
)
def test_domain_imports_only_pydantic_and_the_standard_library(module: str) -> None:
    loaded = _loaded_after(module)
    assert not [name for name in HEAVY if name in loaded]
    assert not [name for name in loaded if name.startswith("agent.") and not name.startswith("agent.domain")]


def test_session_and_offline_brain_are_headless() -> None:
    loaded = _loaded_after("agent.session; import agent.brains.offline")
    assert "textual" not in loaded
    assert "openai" not in loaded
