"""Startup benchmark: time from process start to the first question on screen, on the offline brain.

Not a test (timings vary by machine); run it by hand:

    python tests/ui/bench_startup.py [--runs 7]

Each run is a fresh Python process that runs the `starling` command (its imports, argument
parsing, settings and app) with the app headless, presses Enter on the start screen as soon as it
appears (the defaults), and reports when the first question starts to appear and when it is fully
shown. The parent times each milestone from just before the process was launched,
and also reports the CPU time of each whole run (a steadier figure on a busy machine).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MILESTONES = ("command_imported", "start_screen", "question_visible", "question_complete")

CHILD = """
import asyncio, os, sys

import time

def mark(name):
    # os.write: the app captures print() while it runs. The process's CPU time so far goes too.
    os.write(1, f"{name} {time.process_time():.4f}\\n".encode())

import agent.cli  # what the `starling` command imports first
mark("command_imported")

from agent.ui import app as ui
from agent.ui.screens.chat import ChatScreen
from agent.ui.screens.start import StartScreen
from agent.ui.widgets.interviewer_message import InterviewerMessage

async def drive(app):
    async with app.run_test(size=(100, 30)):
        while not isinstance(app.screen, StartScreen):
            await asyncio.sleep(0.002)
        mark("start_screen")
        app.screen.action_start()  # what Enter on the start screen does
        while True:
            screen = app.screen
            if isinstance(screen, ChatScreen) and any(
                m.has_class("question") and m.text for m in screen.query(InterviewerMessage)
            ):
                break
            await asyncio.sleep(0.002)
        mark("question_visible")
        while screen.conversation.revealing:
            await asyncio.sleep(0.002)
        mark("question_complete")

# The real command, `starling --home HOME`, with the app run headless instead of in a terminal.
ui.StarlingApp.run = lambda self, *args, **kwargs: asyncio.run(drive(self))
agent.cli.main(["--home", sys.argv[1]])
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(root: Path) -> dict[str, float]:
    home = tempfile.mkdtemp(dir=root)
    cpu_before = _children_cpu()
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, home],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TEXTUAL": ""},
    )
    assert process.stdout is not None
    seen: dict[str, float] = {}
    for line in process.stdout:
        name, _, cpu = line.strip().partition(" ")
        if name in MILESTONES:
            seen[name] = time.perf_counter() - began
            seen[f"{name}_cpu"] = float(cpu)
    process.wait()
    seen["cpu_seconds"] = _children_cpu() - cpu_before  # whole run; less sensitive to machine load
    if process.returncode != 0 or not all(name in seen for name in MILESTONES):
        raise SystemExit(f"benchmark run failed (exit {process.returncode}, saw {sorted(seen)})")
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        one_run(Path(root))  # warm the file cache and bytecode; not counted
        runs = [one_run(Path(root)) for _ in range(args.runs)]
    print(f"{args.runs} runs, seconds from process start (median, min-max), wall clock and CPU:")
    for name in MILESTONES:
        wall = [run[name] for run in runs]
        cpu = [run[f"{name}_cpu"] for run in runs]
        print(
            f"  {name:<18} {statistics.median(wall):.3f}  ({min(wall):.3f}-{max(wall):.3f})"
            f"   cpu {statistics.median(cpu):.3f}  ({min(cpu):.3f}-{max(cpu):.3f})"
        )
    values = [run["cpu_seconds"] for run in runs]
    print(f"  {'whole run, cpu':<18} {statistics.median(values):.3f}  ({min(values):.3f}-{max(values):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
