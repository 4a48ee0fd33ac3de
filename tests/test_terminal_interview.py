"""The plain terminal interview: paragraphs in an answer, a shown end-of-answer convention, and
what each mode shows the person at the end (coaching in practice, only a thank-you in assessment)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent import terminal
from agent.domain.policy import InterviewConfig, Mode
from agent.domain.rubric import Rubric
from agent.storage import TranscriptStore
from agent.terminal import run_terminal_interview

from .conftest import FakeBrain, complete

STORY = "Last spring a client's shipment was stuck in customs and I sorted it out."


def interview(
    text: str,
    *,
    rubric: Rubric,
    store: TranscriptStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: Mode = "practice",
    questions: int = 2,
) -> tuple[int, str, list[str]]:
    """Run an interview with `text` as everything typed; return the exit code, output, saved answers."""
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    brain = FakeBrain(default=complete(4))
    code = run_terminal_interview(
        rubric=rubric,
        brain=brain,
        store=store,
        mode=mode,
        config=InterviewConfig(question_count=questions, max_followups=0, seed=3),
    )
    out = capsys.readouterr().out
    (summary,) = store.summaries()
    answers = [t.text for t in store.load(summary.interview_id).turns if t.role == "candidate"]
    return code, out, answers


def test_an_answer_can_have_paragraphs_and_ends_with_a_dot_line(
    rubric: Rubric,
    store: TranscriptStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    typed = "\n\nFirst paragraph.\n\nSecond paragraph,\n  indented line.\n\n.\nShort one.\n.\n"
    code, out, answers = interview(typed, rubric=rubric, store=store, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert answers == ["First paragraph.\n\nSecond paragraph,\n  indented line.", "Short one."]
    assert "a line with only a full stop (.)" in " ".join(out.split())
    assert "ctrl+d" in out


def test_end_of_input_sends_the_answer_then_stops(
    rubric: Rubric,
    store: TranscriptStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, answers = interview(
        "One line\n\nand another", rubric=rubric, store=store, monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0
    assert answers == ["One line\n\nand another"]
    assert "starling resume" in out, "input ended before the interview did: it is saved to resume"


def test_an_empty_answer_is_refused_and_asked_again(
    rubric: Rubric,
    store: TranscriptStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, answers = interview(
        "\n\n.\n" + STORY + "\n.\n/end\n", rubric=rubric, store=store, monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0
    assert answers == [STORY]
    assert terminal.EMPTY in " ".join(out.split())


def test_practice_ends_with_a_coaching_summary_in_plain_text(
    rubric: Rubric,
    store: TranscriptStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = interview(
        f"{STORY}\n.\n/skip\n", rubric=rubric, store=store, monkeypatch=monkeypatch, capsys=capsys
    )
    assert code == 0
    assert "Practice summary" in out
    assert "Average score: 4.0/5, 1 of 2 questions scored" in out
    for reviewer_words in ("Recommendation", "A person makes the decision", "hiring team", "confidence"):
        assert reviewer_words not in out
    assert "##" not in out and "**" not in out and "| ---" not in out, "no raw Markdown"
    assert rubric.closing_for("practice") in " ".join(out.split())


def test_assessment_shows_the_candidate_only_the_conversation_and_thanks(
    rubric: Rubric,
    store: TranscriptStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = interview(
        f"{STORY}\n.\n{STORY}\n.\n",
        rubric=rubric,
        store=store,
        mode="assessment",
        monkeypatch=monkeypatch,
        capsys=capsys,
    )
    assert code == 0
    (summary,) = store.summaries()
    assert summary.finished and summary.overall_score is not None, "the report went to the store"
    flat = " ".join(out.split())
    assert "Thank you. The interview is complete." in flat
    assert f"Reference: {summary.interview_id}" in flat
    for hidden in (
        "score",
        "Score",
        "/5",
        "Recommendation",
        "red flag",
        "Red flags",
        "STAR",
        "##",
        "transcripts show",
    ):
        assert hidden not in out, f"{hidden!r} shown to an assessed candidate"


# Lines a person might type: any printable text, but not the end-of-answer line itself.
LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40).filter(
    lambda line: line.strip() != terminal.END_OF_ANSWER
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=8))
def test_what_is_typed_is_kept_exactly(lines: list[str]) -> None:
    if lines[0].strip().lower() in {"/skip", "/end"}:
        lines = ["x", *lines]
    stdin, stdout = io.StringIO("\n".join([*lines, ".", ""])), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", stdin)
        patch.setattr("sys.stdout", stdout)
        got = terminal._read_answer()
    kept = list(lines)
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    if not kept:
        assert got == ""
    else:
        assert got == "\n".join(kept)
