"""The API key is never stored: a server that echoes it inside valid completions (text, model name,
request id, split across stream chunks) gets it into no transcript, cache, eval output, event or log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from agent.brains.factory import build_llm_brain, openai_chat
from agent.brains.llm import BrainEvent, TextReceived
from agent.domain.policy import InterviewConfig
from agent.domain.rubric import Rubric
from agent.evals.brains import ModelBrainProvider, llm_brain_factory
from agent.evals.runner import RunOptions, run_suite
from agent.evals.suite_loader import load_suite
from agent.llm.protocol import ChatMessage, ChatRequest, ChatResponse
from agent.llm.redaction import MARK, Redactor
from agent.session import InterviewSession
from agent.settings import Settings
from agent.storage import TranscriptStore
from tests.conftest import REPO, FixedClock
from tests.llm.loopback import LoopbackModel, Seen, echo_authorization
from tests.llm.outputs import analysis_output, score_output

SECRET = "sk-proj-echoedKEY0123456789abcdefghijklmnopqrstuv"
STORY = "Last spring a guest was upset about noise. I moved her to a quiet room myself and she thanked me."


def echoing(seen: Seen) -> str:
    """A valid structured answer for whichever schema was asked for, with the key in its rationale."""
    if seen.schema_name == "QuestionScoreOutput":
        return score_output(rationale="Scored. The header was {key}.")
    return analysis_output(rationale="Read it. The header was {key}.")


def settings(loopback: LoopbackModel, home: Path) -> Settings:
    return Settings(
        brain="openai",
        model="test-model",
        base_url=loopback.base_url,
        api_key=SecretStr(SECRET),
        home=home,
        max_attempts=1,
    )


def files_under(folder: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in folder.rglob("*") if path.is_file()}


def test_an_echoed_key_reaches_no_transcript_event_or_log(
    loopback: LoopbackModel, rubric: Rubric, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the SDK's and the transport's debug logs too
    loopback.default = echo_authorization(echoing)
    events: list[BrainEvent] = []
    # Analyses stream, as in the app; the evaluation does not.
    brain = build_llm_brain(settings(loopback, tmp_path), listener=events.append)
    store = TranscriptStore(tmp_path / "transcripts")
    session, _ = InterviewSession.start(
        rubric=rubric,
        brain=brain,
        store=store,
        config=InterviewConfig(question_count=1, max_followups=1),
        clock=FixedClock(),
        interview_id="echo",
    )
    session.submit(STORY)
    session.close()

    assert all(seen.headers["authorization"] == f"Bearer {SECRET}" for seen in loopback.seen)  # sent
    assert {seen.streamed for seen in loopback.seen} == {True, False}
    stored = files_under(tmp_path)
    assert stored, "the interview was saved"
    for path, text in stored.items():
        assert SECRET not in text, path
    assert MARK in "".join(stored.values())  # the server did echo it; it was taken out
    streamed = "".join(event.text for event in events if isinstance(event, TextReceived))
    assert MARK in streamed and SECRET not in streamed
    assert SECRET not in repr(events)
    assert SECRET not in caplog.text
    assert all(SECRET not in repr(record.args) for record in caplog.records)


def test_an_echoed_key_reaches_no_eval_cache_or_run_file(loopback: LoopbackModel, tmp_path: Path) -> None:
    loopback.default = echo_authorization(echoing)
    suite_file = tmp_path / "suites" / "echo.yaml"
    suite_file.parent.mkdir()
    suite_file.write_text(
        f"id: echo\ntitle: Echo\nanalysis:\n  - from: {REPO}/evals/corpus/train/rl.jsonl\n    ids: [a001]\n"
        f"evaluation_calibration:\n  - from: {REPO}/evals/transcripts/t02-call-centre-vague.yaml\n",
        encoding="utf-8",
    )
    config = settings(loopback, tmp_path / "home")
    provider = ModelBrainProvider.recording(
        openai_chat(config),
        model="test-model",
        factory=llm_brain_factory(config),
        cache_dir=tmp_path / "cache",
        max_in_flight=1,
    )
    run = run_suite(load_suite(suite_file), provider, RunOptions(jobs=1))
    (tmp_path / "run.json").write_text(run.model_dump_json(indent=1), encoding="utf-8")

    assert loopback.requests > 0
    cached = files_under(tmp_path / "cache")
    assert cached and MARK in "".join(cached.values())
    for path, text in files_under(tmp_path).items():
        assert SECRET not in text, path


def test_a_reply_keeps_its_text_when_the_key_is_short_or_absent() -> None:
    """A local server's placeholder key ("none", "test") must not be cut out of answers."""
    reply = '{"target": "none", "question": "What did the test show?"}'
    assert Redactor("none").reply(reply) == reply
    assert Redactor("test").reply(reply) == reply
    assert Redactor("").reply(reply) == reply
    assert Redactor("none").message("bad key none") == f"bad key {MARK}"  # errors still hide it


@given(text=st.text(max_size=80), cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_a_key_split_anywhere_across_stream_pieces_is_found(text: str, cuts: list[int]) -> None:
    secret = "sk-live-9f8e7d6c5b4a39281706"
    whole = f"{text}{secret}{text}{secret}"
    points = sorted({min(cut, len(whole)) for cut in cuts})
    pieces = [whole[a:b] for a, b in zip([0, *points], [*points, len(whole)], strict=True)]
    redactor = Redactor(secret).pieces()
    out = "".join(redactor.feed(piece) for piece in pieces) + redactor.flush()
    assert secret not in out
    assert out == whole.replace(secret, MARK)


def test_the_backend_redacts_text_model_and_refusal(loopback: LoopbackModel) -> None:
    loopback.reply(echo_authorization(), echo_authorization("I refuse, {key}"))
    chat = openai_chat(Settings(base_url=loopback.base_url, model="m", api_key=SecretStr(SECRET)))
    request = ChatRequest(model="m", messages=(ChatMessage(role="user", content="x"),))
    response = chat.complete(request)
    assert response.content == f"Your key is {MARK}." and response.model == MARK
    streamed = list(chat.stream(request))
    final = streamed[-1]
    assert isinstance(final, ChatResponse)
    assert final.content == f"I refuse, {MARK}" == "".join(str(item) for item in streamed[:-1])
