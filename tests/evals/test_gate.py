"""The gate works: an unchanged run passes against its own baseline; a degraded analyser or rubric
fails with exit code 1 and names the flipped cases; a broken suite or harness exits 2."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agent.evals.runfile import load_run
from tests.evals.conftest import REPO, CliRunner
from tests.evals.fixtures import BRAINS, degraded_rubric


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline brain's smoke run, recorded once for the module."""
    from tests.evals.conftest import parser

    path = tmp_path_factory.mktemp("baseline") / "smoke.json"
    args = parser().parse_args(["eval", "smoke", "--json", str(path), "--no-progress"])
    assert args.handler(args) == 0
    return path


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_the_smoke_suite_passes_on_the_offline_brain(baseline: Path) -> None:
    run = load_run(baseline)
    assert run.verdict is not None and run.verdict.exit_code == 0
    assert all(t.passed for t in run.thresholds)
    assert {c.kind for c in run.cases} == {
        "analysis",
        "next_turn",
        "simulated_interview",
        "evaluation_calibration",
    }


def test_an_unchanged_run_passes_against_its_own_baseline(
    run_cli: CliRunner, baseline: Path, tmp_path: Path
) -> None:
    result = run_cli("eval", "smoke", "--baseline", str(baseline), "--json", str(tmp_path / "again.json"))
    assert result.code == 0, result.out
    again = load_run(tmp_path / "again.json")
    assert again.comparison is not None
    assert again.comparison.flips == []
    assert all(d.delta == 0 and not d.regression for d in again.comparison.deltas)
    assert "Verdict: PASS (exit 0)" in result.out


def test_a_degraded_analyser_fails_and_names_the_flipped_cases(
    run_cli: CliRunner, baseline: Path, tmp_path: Path
) -> None:
    path = tmp_path / "degraded.json"
    result = run_cli(
        "eval",
        "smoke",
        "--brain",
        "ownership-blind",
        "--baseline",
        str(baseline),
        "--json",
        str(path),
        brains=BRAINS,
    )
    assert result.code == 1
    assert "Flipped cases" in result.out
    comparison = load_run(path).comparison
    assert comparison is not None
    flipped = {flip.case_id for flip in comparison.flips}
    assert {"nt-we-only", "sim-we-only-s1"} <= flipped
    assert "labels.accuracy.ownership" in result.out
    assert "regressed by" in result.out
    assert "Verdict: FAIL (exit 1)" in result.out


def test_an_analyser_that_never_probes_fails(run_cli: CliRunner, baseline: Path, tmp_path: Path) -> None:
    report = tmp_path / "run.json"
    result = run_cli(
        "eval",
        "smoke",
        "--brain",
        "never-probes",
        "--baseline",
        str(baseline),
        "--json",
        str(report),
        brains=BRAINS,
    )
    assert result.code == 1
    run = load_run(report)
    assert run.comparison is not None
    flipped = {flip.case_id for flip in run.comparison.flips if flip.regressed}
    assert {"nt-generic-habits", "nt-no-ending", "sim-hypothetical-s1"} <= flipped
    assert any("followup.accuracy" in reason for reason in run.verdict.reasons)  # type: ignore[union-attr]


def test_a_degraded_analyser_fails_on_thresholds_alone(run_cli: CliRunner) -> None:
    result = run_cli("eval", "smoke", "--brain", "always-missing", brains=BRAINS)
    assert result.code == 1
    assert "below the floor" in result.out


def test_a_degraded_rubric_fails(run_cli: CliRunner, baseline: Path, tmp_path: Path) -> None:
    rubric = degraded_rubric(tmp_path)
    result = run_cli("eval", "smoke", "--rubric", str(rubric), "--baseline", str(baseline))
    assert result.code == 1
    assert "conduct.declared_constructs" in result.out
    assert "judged on confident, attitude" in result.out or "cal-t01-hotel-night-manager" in result.out


def test_a_malformed_suite_exits_2_naming_file_and_field(run_cli: CliRunner, tmp_path: Path) -> None:
    suite = tmp_path / "broken.yaml"
    suite.write_text(
        "id: broken\ntitle: Broken\nnext_turn:\n  - id: x\n    question: upset-customer\n", encoding="utf-8"
    )
    result = run_cli("eval", str(suite))
    assert result.code == 2
    assert f"{suite}:4: next_turn.0.turns: Field required" in result.err


def test_an_unreadable_baseline_exits_2(run_cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text(json.dumps({"schema_version": 1, "manifest": {}}), encoding="utf-8")
    result = run_cli("eval", "smoke", "--baseline", str(bad))
    assert result.code == 2
    assert "is not a Starling eval run file" in result.err


def test_harness_faults_exit_2_and_never_count_against_the_agent(run_cli: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "run.json"
    result = run_cli(
        "eval", "smoke", "--brain", "unreachable", "--kind", "analysis", "--json", str(report), brains=BRAINS
    )
    assert result.code == 2
    run = load_run(report)
    assert {case.status for case in run.cases} == {"error"}
    assert "labels.accuracy.ownership" not in run.metrics
    assert "Harness errors" in result.out


def test_a_silent_fallback_is_a_harness_error(run_cli: CliRunner) -> None:
    result = run_cli("eval", "smoke", "--brain", "falls-back", "--kind", "next_turn", brains=BRAINS)
    assert result.code == 2
    assert "fell back to the offline analyser" in result.out


def test_an_agent_crash_fails_the_case(run_cli: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "run.json"
    result = run_cli(
        "eval", "smoke", "--brain", "crashing", "--kind", "next_turn", "--json", str(report), brains=BRAINS
    )
    assert result.code == 1
    run = load_run(report)
    assert {case.status for case in run.cases} == {"fail"}
    assert run.cases[0].checks[0].name == "completed"


def test_a_filtered_run_does_not_apply_floors_it_cannot_measure(run_cli: CliRunner) -> None:
    result = run_cli("eval", "smoke", "--filter", "nt-*")
    assert result.code == 0, result.out
    assert "not measured" in result.out


def test_check_only_validates(run_cli: CliRunner) -> None:
    result = run_cli("eval", "full", "--check")
    assert result.code == 0
    assert "ok (full:" in result.out


def test_replay_without_a_cache_exits_2(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli(
        "eval", "smoke", "--brain", "replay", "--model", "m", "--cache-dir", str(tmp_path / "none")
    )
    assert result.code == 2
    assert "no model response cache" in result.err.lower() or "not available" in result.err


def test_every_report_is_written(run_cli: CliRunner, baseline: Path, tmp_path: Path) -> None:
    out = {kind: tmp_path / f"report.{kind}" for kind in ("json", "junit", "markdown", "html")}
    result = run_cli(
        "eval",
        "smoke",
        "--brain",
        "ownership-blind",
        "--baseline",
        str(baseline),
        *(arg for kind, path in out.items() for arg in (f"--{kind}", str(path))),
        brains=BRAINS,
    )
    assert result.code == 1
    run = load_run(out["json"])
    assert run.manifest.brain == "ownership-blind"
    assert run.manifest.rubric_hash.startswith("sha256:")
    assert run.manifest.cases_per_second > 0
    suites = ET.parse(out["junit"]).getroot()
    assert suites.tag == "testsuites"
    assert any(s.get("name") == "smoke.gate" for s in suites)
    assert int(suites.find("testsuite[@name='smoke.next_turn']").get("failures", "0")) >= 1  # type: ignore[union-attr]
    markdown = out["markdown"].read_text(encoding="utf-8")
    assert markdown.startswith("## Starling eval `smoke`: FAIL")
    assert run.comparison is not None and run.comparison.flips
    first = run.comparison.flips[0].case_id
    assert f"| `{first}` |" in markdown
    html = out["html"].read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<svg" in html and "nt-we-only" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
