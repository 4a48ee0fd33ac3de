"""Benchmark of `starling analyze`: one answer from process start to exit, and a batch's rate.

    python scripts/bench_cli.py

Runs the installed `starling` next to this interpreter. A benchmark, not a test.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.evals.corpus import corpus_files, parse_marked, records

STARLING = str(Path(sys.executable).with_name("starling"))
ANSWER = (
    "Last spring a client's shipment was stuck in customs. I called the broker and it cleared; she renewed."
)


def one_answer(runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [STARLING, "analyze", "--question", "Tell me about a time.", "--format", "json"],
            input=ANSWER.encode(),
            stdout=subprocess.DEVNULL,
            check=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def batch_rate() -> tuple[int, float]:
    items = records(corpus_files("train"))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        for record in items:
            line = {
                "id": record.id,
                "question": record.question,
                "answer": parse_marked(record.marked).answer,
            }
            handle.write(json.dumps(line) + "\n")
    start = time.perf_counter()
    subprocess.run([STARLING, "analyze", "--batch", handle.name], stdout=subprocess.DEVNULL, check=True)
    elapsed = time.perf_counter() - start
    Path(handle.name).unlink()
    return len(items), elapsed


def main() -> None:
    sys.stdout.write(f"starling analyze, one answer: {one_answer():.3f} s median, start to exit\n")
    count, elapsed = batch_rate()
    sys.stdout.write(
        f"starling analyze --batch: {count} answers in {elapsed:.2f} s, {count / elapsed:.0f} answers/s\n"
    )


if __name__ == "__main__":
    main()
