"""A self-contained HTML report: inline CSS and SVG charts per metric, flipped cases, failures, prompt diff.

Nothing is fetched: no scripts, fonts or images from the network, so it opens from a CI artefact.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from agent.evals.defaults import CASE_KINDS
from agent.evals.reports.highlights import HEADLINE, deltas_by_metric, floors
from agent.evals.runfile import CaseRecord, MetricDelta, RunFile

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d9dde5;padding-bottom:4px}
h3{font-size:14px;margin:16px 0 6px;color:#4a5468}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;color:#fff;font-weight:600;font-size:13px}
.pass{background:#1f7a4d}.fail{background:#b3261e}.error{background:#8a5a00}
.muted{color:#5f6b7f}.card{background:#fff;border:1px solid #d9dde5;border-radius:8px;padding:12px 16px;margin:8px 0}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
th{font-size:12px;color:#5f6b7f;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
pre.diff{background:#fff;border:1px solid #d9dde5;padding:8px;overflow-x:auto;font:12px ui-monospace,Menlo,monospace}
.add{color:#1f7a4d}.del{color:#b3261e}.hunk{color:#5f6b7f}
.metrics{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:4px 16px}
.metric{display:flex;align-items:center;gap:8px}.metric span{flex:0 0 190px;font-size:12px;overflow:hidden;text-overflow:ellipsis}
ul.reasons{margin:6px 0 0 18px;padding:0}
"""

_W, _H = 130, 16


def html_report(run: RunFile) -> str:
    m = run.manifest
    verdict = run.verdict
    status = verdict.status if verdict else "pass"
    title = f"Starling eval {m.suite}: {status.upper()}"
    body = [
        f"<h1>{escape(title)} <span class='badge {status}'>exit {verdict.exit_code if verdict else 0}</span></h1>",
        f"<div class='muted'>{escape(m.suite_title)} · brain <b>{escape(m.brain)}</b>"
        + (f" ({escape(m.model)})" if m.model else "")
        + f" · rubric {escape(m.rubric_id)} v{escape(m.rubric_version)} · {len(run.cases)} case runs in "
        f"{m.duration_s:.2f} s ({m.cases_per_second:.0f}/s) · {escape(m.started_at.isoformat(timespec='seconds'))}</div>",
    ]
    if verdict and verdict.reasons:
        items = "".join(f"<li>{escape(reason)}</li>" for reason in verdict.reasons)
        body.append(f"<div class='card'><b>Why</b><ul class='reasons'>{items}</ul></div>")
    body += _kinds(run)
    body += _metrics(run)
    if run.comparison is not None:
        body += _comparison(run)
    body += _failures(run)
    body += _manifest(run)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        + "\n".join(body)
        + "</main></body></html>\n"
    )


def _kinds(run: RunFile) -> list[str]:
    rows = []
    for kind in CASE_KINDS:
        records = [r for r in run.cases if r.kind == kind]
        if not records:
            continue
        counts = Counter(r.status for r in records)
        rows.append(
            f"<tr><td>{kind}</td><td class='num'>{len(records)}</td><td class='num'>{counts['pass']}</td>"
            f"<td class='num'>{counts['fail']}</td><td class='num'>{counts['error']}</td>"
            f"<td>{_stacked(counts['pass'], counts['fail'], counts['error'])}</td></tr>"
        )
    return [
        "<h2>Cases</h2><table><tr><th>Kind</th><th>Runs</th><th>Pass</th><th>Fail</th><th>Harness error</th>"
        "<th></th></tr>" + "".join(rows) + "</table>"
    ]


def _stacked(passed: int, failed: int, errors: int) -> str:
    total = max(1, passed + failed + errors)
    x = 0.0
    parts = []
    for count, colour in ((passed, "#1f7a4d"), (failed, "#b3261e"), (errors, "#8a5a00")):
        width = 240 * count / total
        if width:
            parts.append(f"<rect x='{x:.1f}' y='2' width='{width:.1f}' height='12' fill='{colour}'/>")
        x += width
    return f"<svg width='240' height='16' role='img' aria-label='{passed} pass, {failed} fail'>{''.join(parts)}</svg>"


def _metrics(run: RunFile) -> list[str]:
    deltas = deltas_by_metric(run)
    limits = floors(run)
    groups: dict[str, list[str]] = {}
    ordered = [name for name in HEADLINE if name in run.metrics] + sorted(
        n for n in run.metrics if n not in HEADLINE
    )
    for name in ordered:
        groups.setdefault(name.split(".")[0], []).append(name)
    html = [
        "<h2>Metrics</h2><div class='muted'>Bar: this run · black tick: baseline · red dashed line: floor.</div>"
    ]
    for scorer, names in groups.items():
        rows = []
        for name in names:
            value = run.metrics[name]
            delta = deltas.get(name)
            baseline = delta.baseline if delta else None
            chart = _bar(value, baseline, limits.get(name), regressed=bool(delta and delta.regression))
            change = f" ({delta.delta:+.3f})" if delta and delta.delta else ""
            rows.append(
                f"<div class='metric'><span title='{escape(name)}'>{escape(name.split('.', 1)[1])}</span>"
                f"{chart}<code>{value:.3f}{escape(change)}</code></div>"
            )
        html.append(f"<h3>{escape(scorer)}</h3><div class='metrics'>{''.join(rows)}</div>")
    return html


def _bar(value: float, baseline: float | None, floor: float | None, *, regressed: bool) -> str:
    low = min(0.0, value, baseline if baseline is not None else 0.0)
    span = (1.0 - low) or 1.0

    def x(v: float) -> float:
        return _W * (min(1.0, v) - low) / span

    colour = "#b3261e" if regressed or (floor is not None and value < floor) else "#3b6fd8"
    parts = [
        f"<rect x='0' y='3' width='{_W}' height='10' fill='#eceef2'/>",
        f"<rect x='{min(x(0), x(value)):.1f}' y='3' width='{abs(x(value) - x(0)):.1f}' height='10' fill='{colour}'/>",
    ]
    if baseline is not None:
        parts.append(f"<rect x='{x(baseline) - 1:.1f}' y='0' width='2' height='{_H}' fill='#1d2433'/>")
    if floor is not None:
        parts.append(
            f"<line x1='{x(floor):.1f}' x2='{x(floor):.1f}' y1='0' y2='{_H}' stroke='#b3261e' stroke-dasharray='2,2'/>"
        )
    label = f"{value:.3f}" + (f", baseline {baseline:.3f}" if baseline is not None else "")
    return f"<svg width='{_W}' height='{_H}' role='img' aria-label='{label}'>{''.join(parts)}</svg>"


def _comparison(run: RunFile) -> list[str]:
    comparison = run.comparison
    assert comparison is not None
    html = [
        f"<h2>Against the baseline</h2><div class='muted'>{escape(comparison.baseline_path)} "
        f"(run {escape(comparison.baseline_run_id)}, brain {escape(comparison.baseline_brain)}) · "
        f"{comparison.paired} paired cases · {comparison.bootstrap} bootstrap resamples, "
        f"{comparison.confidence:.0%} intervals</div>"
    ]
    if comparison.changes:
        items = "".join(
            f"<li>{escape(name)}: <code>{escape(old)}</code> → <code>{escape(new)}</code></li>"
            for name, (old, new) in comparison.changes.items()
        )
        html.append(f"<div class='card'><b>What changed</b><ul class='reasons'>{items}</ul></div>")
    moved = [d for d in comparison.deltas if d.delta is not None and (abs(d.delta) > 1e-9 or d.regression)]
    if moved:
        html.append("<h3>Metric deltas</h3>" + _forest(moved))
    html.append(f"<h3>Flipped cases ({len(comparison.flips)})</h3>")
    if comparison.flips:
        rows = []
        for flip in comparison.flips:
            checks = "<br>".join(
                f"<code>{escape(c.name)}</code>: {escape(c.before or '?')} → {escape(c.after)}"
                + (f" <span class='muted'>(expected {escape(c.expected)})</span>" if c.expected else "")
                for c in flip.checks
            )
            cls = "del" if flip.regressed else "add"
            rows.append(
                f"<tr><td><code>{escape(flip.case_id)}</code></td><td>{escape(flip.kind)}</td>"
                f"<td class='{cls}'>{escape(flip.was)} → {escape(flip.now)}</td><td>{checks}</td></tr>"
            )
        html.append(
            "<table><tr><th>Case</th><th>Kind</th><th>Status</th><th>Checks that moved</th></tr>"
            + "".join(rows)
            + "</table>"
        )
    else:
        html.append("<div class='muted'>No case flipped.</div>")
    for title, diff in (
        ("Prompt templates", comparison.prompt_diff),
        ("Rendered prompts", comparison.rendered_diff),
    ):
        if diff:
            html.append(f"<h3>{title} changed</h3>{_diff(diff)}")
    return html


def _forest(deltas: list[MetricDelta]) -> str:
    """Each moved metric's delta as a point with its interval, around a zero line."""
    extent = max([0.05] + [abs(v) for d in deltas for v in (d.delta, d.low, d.high) if v is not None])
    width, row, left = 420, 20, 260
    height = row * len(deltas) + 10

    def x(v: float) -> float:
        return left + (v + extent) / (2 * extent) * width

    parts = [f"<line x1='{x(0):.1f}' x2='{x(0):.1f}' y1='0' y2='{height}' stroke='#9aa3b2'/>"]
    for index, d in enumerate(deltas):
        y = index * row + 14
        colour = "#b3261e" if d.regression else ("#1f7a4d" if (d.delta or 0) > 0 else "#8a5a00")
        parts.append(f"<text x='0' y='{y + 4}' font-size='11'>{escape(d.metric)}</text>")
        if d.low is not None and d.high is not None:
            parts.append(
                f"<line x1='{x(d.low):.1f}' x2='{x(d.high):.1f}' y1='{y}' y2='{y}' stroke='{colour}' stroke-width='2'/>"
            )
        parts.append(f"<circle cx='{x(d.delta or 0):.1f}' cy='{y}' r='4' fill='{colour}'/>")
        parts.append(f"<text x='{left + width + 8}' y='{y + 4}' font-size='11'>{(d.delta or 0):+.3f}</text>")
    return f"<svg width='{left + width + 70}' height='{height}' role='img' aria-label='metric deltas'>{''.join(parts)}</svg>"


def _diff(diff: str) -> str:
    lines = []
    for line in diff.splitlines():
        cls = (
            "add"
            if line.startswith("+")
            else "del"
            if line.startswith("-")
            else "hunk"
            if line.startswith("@@")
            else ""
        )
        lines.append(f"<span class='{cls}'>{escape(line)}</span>" if cls else escape(line))
    return "<pre class='diff'>" + "\n".join(lines) + "</pre>"


def _failures(run: RunFile) -> list[str]:
    failed = [c for c in run.cases if c.status == "fail"]
    errors = [c for c in run.cases if c.status == "error"]
    html = [f"<h2>Failing cases ({len(failed)})</h2>"]
    if failed:
        html.append(
            "<table><tr><th>Case</th><th>Kind</th><th>Failed checks</th></tr>"
            + "".join(_failed_row(c) for c in failed)
            + "</table>"
        )
    else:
        html.append("<div class='muted'>Every case passed.</div>")
    if errors:
        rows = "".join(
            f"<tr><td><code>{escape(c.id)}</code></td><td>{escape(c.kind)}</td><td>{escape(c.error or '')}</td></tr>"
            for c in errors
        )
        html.append(
            f"<h2>Harness errors ({len(errors)})</h2><div class='muted'>Not counted against the agent.</div>"
            f"<table><tr><th>Case</th><th>Kind</th><th>Error</th></tr>{rows}</table>"
        )
    return html


def _failed_row(case: CaseRecord) -> str:
    checks = "<br>".join(
        f"<code>{escape(c.name)}</code>: expected {escape(c.expected)}, got {escape(c.got)}"
        for c in case.failed_checks
    )
    label = case.id if case.repeat == 0 else f"{case.id} (repeat {case.repeat + 1})"
    return f"<tr><td><code>{escape(label)}</code></td><td>{escape(case.kind)}</td><td>{checks}</td></tr>"


def _manifest(run: RunFile) -> list[str]:
    m = run.manifest
    u = m.usage
    rows = [
        ("run", m.run_id),
        ("suite", f"{m.suite} ({m.suite_hash})"),
        ("starling", m.starling_version),
        ("python / platform", f"{m.python} / {m.platform}"),
        ("rubric", f"{m.rubric_id} v{m.rubric_version} ({m.rubric_hash})"),
        ("prompts", f"{m.prompts_hash} ({len(m.prompts)} templates)"),
        ("brain / model", f"{m.brain} / {m.model or '—'}"),
        ("seed / repeat / jobs", f"{m.seed} / {m.repeat} / {m.jobs}"),
        ("filters", ", ".join(m.filters) or "none"),
        ("scorers", ", ".join(f"{name} v{version}" for name, version in m.scorers.items())),
        (
            "model calls",
            f"{u.cache_hits} cached, {u.cache_misses} made; {u.prompt_tokens:,} prompt and "
            f"{u.completion_tokens:,} completion tokens paid"
            + (f", ~${u.cost_usd:.4f}" if u.cost_usd is not None else ""),
        ),
    ]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return [f"<h2>Manifest</h2><table>{body}</table>"]
