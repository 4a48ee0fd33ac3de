"""A Markdown report sized for a pull-request comment: verdict, key metrics, flips, prompt diff."""

from __future__ import annotations

from agent.evals.reports.highlights import deltas_by_metric, floors, highlighted
from agent.evals.runfile import RunFile

_LIMIT = 30


def markdown_report(run: RunFile) -> str:
    m = run.manifest
    verdict = run.verdict
    status = verdict.status.upper() if verdict else "NOT GATED"
    lines = [
        f"## Starling eval `{m.suite}`: {status}",
        "",
        f"Brain **{m.brain}**"
        + (f" (`{m.model}`)" if m.model else "")
        + f" · rubric `{m.rubric_id}` v{m.rubric_version} · {len(run.cases)} case runs in {m.duration_s:.1f} s"
        + (f" · repeat {m.repeat}" if m.repeat > 1 else ""),
        "",
    ]
    if verdict and verdict.reasons:
        lines += [f"- {_md(reason)}" for reason in verdict.reasons] + [""]
    lines += _metric_table(run)
    comparison = run.comparison
    if comparison is not None:
        lines += ["", f"### Against the baseline ({comparison.paired} paired cases)", ""]
        for name, (old, new) in comparison.changes.items():
            lines.append(f"- {name}: `{old}` → `{new}`")
        if comparison.flips:
            lines += [
                "",
                f"**Flipped cases ({len(comparison.flips)})**",
                "",
                "| Case | Was | Now | What changed |",
                "| --- | --- | --- | --- |",
            ]
            for flip in comparison.flips[:_LIMIT]:
                what = "; ".join(
                    f"`{c.name}`: {_md(c.before) or '?'} → {_md(c.after)}" for c in flip.checks[:3]
                )
                lines.append(f"| `{flip.case_id}` | {flip.was} | {flip.now} | {what} |")
            if len(comparison.flips) > _LIMIT:
                lines.append(f"\n… and {len(comparison.flips) - _LIMIT} more in the HTML report.")
        else:
            lines += ["", "No case flipped."]
        for title, diff in (
            ("Prompt templates", comparison.prompt_diff),
            ("Rendered prompts", comparison.rendered_diff),
        ):
            if diff:
                lines += [
                    "",
                    f"<details><summary>{title} changed</summary>",
                    "",
                    "```diff",
                    diff.rstrip(),
                    "```",
                    "",
                    "</details>",
                ]
    failed = [c for c in run.cases if c.status == "fail" and c.repeat == 0]
    if failed:
        lines += ["", f"<details><summary>Failing cases ({len(failed)})</summary>", ""]
        for case in failed[:_LIMIT]:
            checks = "; ".join(
                f"`{c.name}` expected {_md(c.expected)}, got {_md(c.got)}" for c in case.failed_checks[:3]
            )
            lines.append(f"- `{case.id}`: {checks}")
        lines += ["", "</details>"]
    errors = [c for c in run.cases if c.status == "error"]
    if errors:
        lines += ["", f"**Harness errors ({len(errors)})**, not counted against the agent:", ""]
        lines += [f"- `{c.id}`: {_md(c.error or '')}" for c in errors[:_LIMIT]]
    return "\n".join(lines) + "\n"


def _metric_table(run: RunFile) -> list[str]:
    deltas = deltas_by_metric(run)
    limits = floors(run)
    header = "| Metric | Value |" + (" Baseline | Δ | 95% interval |" if deltas else "") + " Floor |"
    rule = "| --- | --- |" + (" --- | --- | --- |" if deltas else "") + " --- |"
    lines = [header, rule]
    for name in highlighted(run):
        value = run.metrics.get(name)
        row = f"| `{name}` | {_num(value)} |"
        if deltas:
            d = deltas.get(name)
            if d is None:
                row += " | | |"
            else:
                interval = f"{_signed(d.low)} … {_signed(d.high)}" if d.low is not None else ""
                row += (
                    f" {_num(d.baseline)} | {_signed(d.delta)}{' ⚠️' if d.regression else ''} | {interval} |"
                )
        floor = limits.get(name)
        if floor is None:
            row += " |"
        else:
            ok = value is not None and value >= floor - 1e-12
            row += f" {floor:.3f} {'✅' if ok else '❌'} |"
        lines.append(row)
    return lines


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.3f}"


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").replace("`", "'").split())
