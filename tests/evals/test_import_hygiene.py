"""`starling eval` on the offline brain loads no model SDK, tokenizer, template engine or UI."""

from __future__ import annotations

import json
import subprocess
import sys


def test_the_eval_command_is_light_until_a_model_brain_is_chosen() -> None:
    code = "import json, sys; import agent.evals.cli; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert not {"openai", "tiktoken", "jinja2", "textual", "httpx2"} & loaded
