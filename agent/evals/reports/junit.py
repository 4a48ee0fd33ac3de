"""JUnit XML: one test suite per case kind, one test case per case run, plus the gate itself."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from agent.evals.defaults import CASE_KINDS
from agent.evals.runfile import CaseRecord, RunFile


def junit_report(run: RunFile) -> str:
    m = run.manifest
    root = ET.Element("testsuites", name=f"starling eval {m.suite}", time=f"{m.duration_s:.3f}")
    for kind in CASE_KINDS:
        records = [r for r in run.cases if r.kind == kind]
        if records:
            _suite(root, f"{m.suite}.{kind}", records)
    _gate(root, run)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root: ET.Element, name: str, records: list[CaseRecord]) -> None:
    failures = sum(1 for r in records if r.status == "fail")
    errors = sum(1 for r in records if r.status == "error")
    total_ms = sum(r.duration_ms for r in records)
    suite = ET.SubElement(
        root,
        "testsuite",
        name=name,
        tests=str(len(records)),
        failures=str(failures),
        errors=str(errors),
        time=f"{total_ms / 1000:.3f}",
    )
    for record in records:
        label = record.id if record.repeat == 0 else f"{record.id} (repeat {record.repeat + 1})"
        case = ET.SubElement(
            suite, "testcase", classname=name, name=label, time=f"{record.duration_ms / 1000:.3f}"
        )
        if record.status == "fail":
            failed = record.failed_checks
            text = "\n".join(f"{c.name}: expected {c.expected}; got {c.got}" for c in failed)
            ET.SubElement(case, "failure", message=f"{len(failed)} check(s) failed", type="check").text = text
        elif record.status == "error":
            ET.SubElement(case, "error", message=record.error or "harness error", type="harness")


def _gate(root: ET.Element, run: RunFile) -> None:
    cases: list[tuple[str, str | None]] = []
    for threshold in run.thresholds:
        problem = (
            None
            if threshold.passed
            else f"{threshold.value} below {threshold.minimum} {threshold.note}".strip()
        )
        cases.append((f"threshold {threshold.metric} >= {threshold.minimum:g}", problem))
    if run.comparison is not None:
        for delta in run.comparison.deltas:
            if delta.regression:
                cases.append((f"no regression in {delta.metric}", f"dropped by {-(delta.delta or 0):.3f}"))
    if not cases:
        return
    suite = ET.SubElement(
        root,
        "testsuite",
        name=f"{run.manifest.suite}.gate",
        tests=str(len(cases)),
        failures=str(sum(1 for _, problem in cases if problem)),
        errors="0",
    )
    for name, problem in cases:
        case = ET.SubElement(suite, "testcase", classname=f"{run.manifest.suite}.gate", name=name)
        if problem:
            ET.SubElement(case, "failure", message=problem, type="gate")
