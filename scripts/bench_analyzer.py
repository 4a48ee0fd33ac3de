"""Benchmark of the offline analyser: median time per answer at 200 and 2,000 words.

Run with `python scripts/bench_analyzer.py`. A benchmark, not a test: numbers vary by machine.
"""

from __future__ import annotations

import statistics
import sys
import time

from agent.brains.offline import analyze_answer

STORY = (
    "When I was working the front desk at a small hotel, a guest came down at midnight, really "
    "upset because the room next door was loud and she had a flight at six. I apologised, checked "
    "what we had free, and moved her to a quiet room on the top floor myself, carrying her bags so "
    "she didn't have to wait for the porter. I also called the noisy room and asked them politely "
    "to keep it down. My goal was that she got some sleep before her flight. The next morning I "
    "booked her taxi and had a coffee ready at the desk. She left us a five-star review mentioning "
    "me by name, and our manager used it in the team meeting. I learned to check room placement for "
    "early departures in advance, and we now flag those bookings at check-in. "
)


def answer_of(words: int) -> str:
    text = (STORY * (words // len(STORY.split()) + 1)).split()
    return " ".join(text[:words])


def median_ms(answer: str, runs: int) -> float:
    analyze_answer("Tell me about a time you helped a customer.", [answer])  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        analyze_answer("Tell me about a time you helped a customer.", [answer])
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    for words, runs in ((200, 200), (2000, 50)):
        sys.stdout.write(f"{words:>5} words: {median_ms(answer_of(words), runs):.2f} ms median\n")


if __name__ == "__main__":
    main()
