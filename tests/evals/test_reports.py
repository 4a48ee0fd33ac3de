"""Report writers on a real run: terminal summary and progress, JUnit, Markdown, HTML."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from agent.evals.brains import FixedBrainProvider
from agent.evals.gate import check_thresholds, decide
from agent.evals.reports.html import html_report
from agent.evals.reports.junit import junit_report
from agent.evals.reports.markdown import markdown_report
from agent.evals.reports.terminal import ProgressBar, summary
from agent.evals.runfile import CaseRecord, RunFile
from agent.evals.runner import RunOptions, run_suite
from agent.evals.suite_loader import load_suite
from tests.evals.conftest import SUITES
from tests.evals.fixtures import OwnershipBlindBrain


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def run() -> RunFile:
    suite = load_suite(SUITES / "smoke.yaml")
    # A brain that never hears 'only we' fails known cases, whatever the reader's accuracy.
    provider = FixedBrainProvider(OwnershipBlindBrain)
    result = run_suite(suite, provider, RunOptions(kinds=("next_turn", "simulated_interview")))
    result.thresholds = check_thresholds(result, suite.thresholds, filtered=True)
    result.verdict = decide(result)
    return result


def test_the_progress_bar_draws_only_on_a_terminal() -> None:
    assert ProgressBar.wanted(Terminal())
    assert not ProgressBar.wanted(io.StringIO())
    stream = Terminal()
    bar = ProgressBar(stream)
    bar.start(2)
    bar.advance(CaseRecord(id="a", kind="analysis", status="fail"))
    bar.advance(CaseRecord(id="b", kind="analysis", status="error"))
    bar.finish()
    text = stream.getvalue()
    assert "2/2" in text and "1 failing" in text and "1 error" in text
    assert text.endswith("\r")


def test_the_summary_names_failures_and_the_verdict(run: RunFile) -> None:
    text = summary(run)
    assert text.startswith("Suite smoke (Smoke gate (every change))")
    assert "next_turn" in text and "simulated_interview" in text
    assert "followup.accuracy" in text
    assert "Failing cases" in text and "nt-we-only" in text
    assert "Verdict: FAIL (exit 1)" in text
    assert "not measured" in text


def test_junit_has_a_test_case_per_case_run(run: RunFile) -> None:
    root = ET.fromstring(junit_report(run))
    cases = root.findall(".//testcase")
    assert len(
        [c for c in cases if c.get("classname", "").endswith(("next_turn", "simulated_interview"))]
    ) == len(run.cases)
    failure = root.find(".//testcase[@name='nt-we-only']/failure")
    assert failure is not None and "next_move" in (failure.text or "")


def test_markdown_and_html_render(run: RunFile) -> None:
    markdown = markdown_report(run)
    assert markdown.startswith("## Starling eval `smoke`: FAIL")
    assert "| `followup.accuracy` |" in markdown
    html = html_report(run)
    assert "<svg" in html and "followup" in html and "nt-we-only" in html
    assert "http" not in html.replace("http-equiv", "")
