"""The model-backed brain plugged into the runner: record through the cache, replay with no network,
and a replay cache miss stops the gate with exit code 2. The model is a scripted fake."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.evals.brains import ModelBrainProvider, llm_brain_factory
from agent.evals.gate import check_thresholds, decide
from agent.evals.runner import RunOptions, run_suite
from agent.evals.suite import Suite
from agent.evals.suite_loader import load_suite
from agent.llm.fake import ScriptedChatModel
from agent.llm.protocol import ChatRequest
from agent.settings import load_settings
from tests.evals.conftest import REPO

pytest.importorskip("agent.brains.factory")


def minimal(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest instance a JSON schema accepts: first enum values, required fields only."""
    if "$ref" in schema:
        return minimal(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return minimal(schema[key][0], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        return {
            name: minimal(sub, defs) for name, sub in schema.get("properties", {}).items() if name in required
        }
    if kind == "array":
        return [minimal(schema.get("items", {}), defs) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    return None


def answer(request: ChatRequest) -> str:
    schema = request.response_schema or {}
    return json.dumps(minimal(schema, schema.get("$defs", {})))


@pytest.fixture
def suite(tmp_path: Path) -> Suite:
    path = tmp_path / "suites" / "model.yaml"
    path.parent.mkdir()
    path.write_text(
        f"""id: model
title: Model brain plumbing
analysis:
  - from: {REPO}/evals/corpus/train/rl.jsonl
    ids: [a001, a002, a011]
    invariance: [injection]
next_turn:
  - from: {REPO}/evals/datasets/next-turn.yaml
    ids: [nt-we-only]
evaluation_calibration:
  - from: {REPO}/evals/transcripts/t02-call-centre-vague.yaml
""",
        encoding="utf-8",
    )
    return load_suite(path)


def test_record_then_replay_without_network(suite: Suite, tmp_path: Path) -> None:
    settings = load_settings(model="test-model")
    factory = llm_brain_factory(settings)
    cache = tmp_path / "cache"
    live = ScriptedChatModel(default=answer)
    recording = ModelBrainProvider.recording(
        live, model="test-model", factory=factory, cache_dir=cache, max_in_flight=2
    )
    first = run_suite(suite, recording, RunOptions(jobs=3))
    assert {case.status for case in first.cases} <= {"pass", "fail"}, [c.error for c in first.cases]
    assert live.calls > 0
    usage = first.manifest.usage
    assert usage.cache_misses == live.calls and usage.cache_writes == live.calls
    assert "AnalysisOutput" in first.manifest.rendered
    assert first.manifest.model == "test-model"

    replaying = ModelBrainProvider.replaying(model="test-model", factory=factory, cache_dir=cache)
    second = run_suite(suite, replaying, RunOptions(jobs=3))
    assert [c.status for c in second.cases] == [c.status for c in first.cases]
    assert second.metrics == first.metrics
    assert second.manifest.usage.cache_hits == live.calls
    assert second.manifest.usage.cache_misses == 0


def test_a_replay_cache_miss_is_a_harness_failure(suite: Suite, tmp_path: Path) -> None:
    settings = load_settings(model="test-model")
    factory = llm_brain_factory(settings)
    cache = tmp_path / "cache"
    recording = ModelBrainProvider.recording(
        ScriptedChatModel(default=answer),
        model="test-model",
        factory=factory,
        cache_dir=cache,
        max_in_flight=2,
    )
    run_suite(suite, recording, RunOptions(jobs=1))
    for entry in cache.rglob("*.json"):
        if "EvaluationPrompt" in entry.read_text(
            encoding="utf-8"
        ) or "QuestionScoreOutput" in entry.read_text(encoding="utf-8"):
            entry.unlink()
    replaying = ModelBrainProvider.replaying(model="test-model", factory=factory, cache_dir=cache)
    run = run_suite(suite, replaying, RunOptions(jobs=1))
    broken = [case for case in run.cases if case.status == "error"]
    assert [case.id for case in broken] == ["cal-t02-call-centre-vague"]
    run.thresholds = check_thresholds(run, suite.thresholds, filtered=False)
    verdict = decide(run)
    assert verdict.exit_code == 2
    assert "cal-t02-call-centre-vague" in verdict.reasons[0]


def test_a_missing_model_name_is_a_clear_error() -> None:
    from agent.errors import StarlingError

    factory = llm_brain_factory(load_settings())
    with pytest.raises(StarlingError, match="model name"):
        factory(ScriptedChatModel(default=answer))
