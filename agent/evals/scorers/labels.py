"""Per-label accuracy and F1 of an analyser against labelled answers, and score agreement."""

from __future__ import annotations

from agent.domain.star import FOLLOWUP_TARGETS, RED_FLAGS, STAR_SLOTS, StarAnalysis, primary_gap
from agent.evals.cases import AnalysisCase, AnalysisExpect, Case
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import AnalysisOutcome, Outcome
from agent.evals.scoring import Scored, View
from agent.evals.stats import f1, macro_f1, quadratic_weighted_kappa, ratio, spearman

_YES_NO = ("yes", "no")
CLASSES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(STAR_SLOTS, ("present", "partial", "missing")),
    "ownership": ("clear", "unclear"),
    "specific_example": _YES_NO,
    "quantified_result": _YES_NO,
    "reflection": _YES_NO,
    "declined": _YES_NO,
    "followup_target": FOLLOWUP_TARGETS,
}


def expected_labels(expect: AnalysisExpect) -> dict[str, str]:
    """The categorical labels an expectation gives, as strings."""
    found: dict[str, str] = {str(slot): str(status) for slot, status in expect.star.items()}
    if expect.ownership is not None:
        found["ownership"] = expect.ownership
    for name in ("specific_example", "quantified_result", "reflection", "declined"):
        value = getattr(expect, name)
        if value is not None:
            found[name] = "yes" if value else "no"
    if expect.followup_target is not None:
        found["followup_target"] = expect.followup_target
    return found


def predicted_labels(analysis: StarAnalysis) -> dict[str, str]:
    return {
        **{slot: analysis.star.status(slot) for slot in STAR_SLOTS},
        "ownership": analysis.ownership,
        "specific_example": "yes" if analysis.specific_example else "no",
        "quantified_result": "yes" if analysis.quantified_result else "no",
        "reflection": "yes" if analysis.reflection else "no",
        "declined": "yes" if analysis.declined else "no",
        "followup_target": primary_gap(analysis).target,
    }


class LabelScorer:
    """Accuracy and macro-F1 per label, F1 per red flag, and the 1-5 score against the gold score."""

    name = "labels"
    version = 1
    kinds: frozenset[CaseKind] = frozenset({"analysis"})

    def score(self, case: Case, outcome: Outcome) -> Scored:
        scored = Scored()
        if not isinstance(case, AnalysisCase) or not isinstance(outcome, AnalysisOutcome):
            return scored
        expect, got = case.expect, outcome.analysis
        predicted = predicted_labels(got)
        stats = scored.stats
        for label, want in expected_labels(expect).items():
            have = predicted[label]
            scored.check(f"label.{label}", want == have, want, have)
            stats.add(f"n.{label}")
            stats.add(f"ok.{label}", want == have)
            stats.add(f"cm.{label}.{want}.{have}")
        if expect.red_flags is not None:
            want_flags, have_flags = set(expect.red_flags), set(got.red_flags)
            scored.check("label.red_flags", want_flags == have_flags, sorted(want_flags), sorted(have_flags))
            stats.add("n.red_flags")
            stats.add("ok.red_flags", want_flags == have_flags)
            for flag in RED_FLAGS:
                expected, predicted_flag = flag in want_flags, flag in have_flags
                stats.add(f"flag.{flag}.tp", expected and predicted_flag)
                stats.add(f"flag.{flag}.fp", predicted_flag and not expected)
                stats.add(f"flag.{flag}.fn", expected and not predicted_flag)
        if expect.not_assessed is not None:
            scored.check(
                "label.not_assessed",
                expect.not_assessed == got.not_assessed,
                expect.not_assessed,
                got.not_assessed,
            )
            stats.add("n.not_assessed")
            stats.add("ok.not_assessed", expect.not_assessed == got.not_assessed)
        if expect.score is not None and got.score is None:
            scored.check("label.score", False, expect.score, "not assessed")
            stats.add("score.n")
            stats.add("score.unscored")
        elif expect.score is not None and got.score is not None:
            close = abs(got.score - expect.score) <= 1
            scored.check("label.score", close, f"{expect.score} (±1)", got.score)
            stats.add("score.n")
            stats.add("score.exact", got.score == expect.score)
            stats.add("score.within_one", close)
            stats.add(f"score.cm.{expect.score}.{got.score}")
            stats.pair("score", expect.score, got.score)
        if expect.score_band is not None:
            low, high = expect.score_band
            if got.score is None:
                scored.check("label.score_band", False, f"{low}-{high}", "not assessed")
                return scored
            scored.check("label.score_band", low <= got.score <= high, f"{low}-{high}", got.score)
        return scored

    def metrics(self, view: View) -> dict[str, float | None]:
        values: dict[str, float | None] = {}
        for label, classes in CLASSES.items():
            values[f"accuracy.{label}"] = ratio(view.sum(f"ok.{label}"), view.sum(f"n.{label}"))
            if view.sum(f"n.{label}"):
                confusion = {(w, g): view.sum(f"cm.{label}.{w}.{g}") for w in classes for g in classes}
                values[f"f1.{label}"] = macro_f1(confusion, classes)
        values["accuracy.not_assessed"] = ratio(view.sum("ok.not_assessed"), view.sum("n.not_assessed"))
        values["accuracy.red_flags"] = ratio(view.sum("ok.red_flags"), view.sum("n.red_flags"))
        if view.sum("n.red_flags"):
            totals = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
            for flag in RED_FLAGS:
                counts = {part: view.sum(f"flag.{flag}.{part}") for part in totals}
                values[f"f1.flag.{flag}"] = f1(counts["tp"], counts["fp"], counts["fn"])
                for part, count in counts.items():
                    totals[part] += count
            values["f1.red_flags"] = f1(totals["tp"], totals["fp"], totals["fn"])
        n = view.sum("score.n")
        values["score.exact"] = ratio(view.sum("score.exact"), n)
        values["score.within_one"] = ratio(view.sum("score.within_one"), n)
        if n:
            scores = {(w, g): view.sum(f"score.cm.{w}.{g}") for w in range(1, 6) for g in range(1, 6)}
            values["score.qwk"] = quadratic_weighted_kappa(scores)
            predicted_five = sum(scores[(w, 5)] for w in range(1, 6))
            values["score.precision_5"] = ratio(scores[(5, 5)], predicted_five) if predicted_five else None
            values["score.spearman"] = spearman(view.pairs("score"))
        return values

    def metric_names(self) -> list[str]:
        names = [f"{kind}.{label}" for label in CLASSES for kind in ("accuracy", "f1")]
        names += ["accuracy.red_flags", "f1.red_flags", *(f"f1.flag.{flag}" for flag in RED_FLAGS)]
        names.append("accuracy.not_assessed")
        return [*names, "score.exact", "score.within_one", "score.qwk", "score.precision_5", "score.spearman"]

    def metric_kinds(self, metric: str) -> frozenset[CaseKind]:
        return self.kinds
