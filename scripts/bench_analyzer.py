"""Benchmark of the offline reader: median time per answer, and a whole batch through the CLI path.

    python scripts/bench_analyzer.py

Answers are real corpus answers (training split) of about 200 words, each analysed once, so no
cache sees the same text twice; the 2,000-word figure joins ten of them. A benchmark, not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.brains.offline import analyze_answer
from agent.evals.corpus import corpus_files, parse_marked, records, word_count
from agent.rubrics import load_rubric


def answers(low: int, high: int) -> list[tuple[str, str]]:
    found = []
    for record in records(corpus_files("train")):
        text = parse_marked(record.marked).answer
        if low <= word_count(text) <= high:
            found.append((record.question, text))
    return found


def median_ms(items: list[tuple[str, str]]) -> float:
    topic = load_rubric("customer-focus").topic
    times = []
    for question, answer in items:
        start = time.perf_counter()
        analyze_answer(question, [answer], topic)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    near_200 = answers(180, 220)
    analyze_answer("warm up", ["I called the customer back and she renewed."])
    sys.stdout.write(f"  200 words: {median_ms(near_200):.2f} ms median over {len(near_200)} answers\n")
    joined = [
        (near_200[i][0], " ".join(a for _, a in near_200[i : i + 10]))
        for i in range(0, len(near_200) - 10, 10)
    ]
    sys.stdout.write(f" 2000 words: {median_ms(joined):.2f} ms median over {len(joined)} answers\n")


if __name__ == "__main__":
    main()
