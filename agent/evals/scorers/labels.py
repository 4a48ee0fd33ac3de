"""Per-label accuracy and F1 of an analyser against labelled answers, and score agreement.

This is the one definition of the label figures: `starling eval` reports these metrics, and the
quality report (`python -m agent.evals.quality`) prints them for the frozen test split.
"""

from __future__ import annotations

from agent.domain.star import FOLLOWUP_TARGETS, RED_FLAGS, STAR_SLOTS, RedFlag, StarAnalysis, primary_gap
from agent.evals.cases import AnalysisCase, AnalysisExpect, Case
from agent.evals.defaults import CaseKind
from agent.evals.outcomes import AnalysisOutcome, Outcome
from agent.evals.scoring import Metric, MetricValue, Scored, View
from agent.evals.stats import f1, macro_f1, quadratic_weighted_kappa, ratio, spearman

NAME = "labels"
KINDS: frozenset[CaseKind] = frozenset({"analysis"})

_YES_NO = ("yes", "no")
# Every categorical label, in report order, with the values it takes.
CLASSES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(STAR_SLOTS, ("present", "partial", "missing")),
    "ownership": ("clear", "unclear"),
    "specific_example": _YES_NO,
    "quantified_result": _YES_NO,
    "reflection": _YES_NO,
    "declined": _YES_NO,
    "followup_target": FOLLOWUP_TARGETS,
}
_SCORES = range(1, 6)


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
    """Every categorical label of an analysis, as strings (see `CLASSES`)."""
    return {
        **{slot: analysis.star.status(slot) for slot in STAR_SLOTS},
        "ownership": analysis.ownership,
        "specific_example": "yes" if analysis.specific_example else "no",
        "quantified_result": "yes" if analysis.quantified_result else "no",
        "reflection": "yes" if analysis.reflection else "no",
        "declined": "yes" if analysis.declined else "no",
        "followup_target": primary_gap(analysis).target,
    }


def labelled(view: View, label: str) -> int:
    """How many answers of the view have `label` checked (a `CLASSES` label, red_flags or not_assessed)."""
    return int(view.sum(f"n.{label}"))


def agreeing(view: View, label: str) -> int:
    """How many answers of the view got the expected `label`."""
    return int(view.sum(f"ok.{label}"))


def left_unscored(view: View) -> int:
    """Answers with a gold score that the analyser did not assess."""
    return int(view.sum("score.unscored"))


def score_confusion(view: View) -> dict[tuple[int, int], float]:
    """Answers by (gold, predicted) score, over the answers both scored."""
    return {(want, got): view.sum(f"score.cm.{want}.{got}") for want in _SCORES for got in _SCORES}


def _metric(name: str, description: str, value: MetricValue) -> Metric:
    return Metric(scorer=NAME, name=name, description=description, kinds=KINDS, value=value)


def _accuracy(label: str) -> Metric:
    return _metric(
        f"accuracy.{label}",
        f"share of labelled answers whose {label} label is the expected one",
        lambda view: ratio(agreeing(view, label), labelled(view, label)),
    )


def _macro_f1(label: str, classes: tuple[str, ...]) -> Metric:
    def value(view: View) -> float | None:
        if not labelled(view, label):
            return None
        confusion = {(w, g): view.sum(f"cm.{label}.{w}.{g}") for w in classes for g in classes}
        return macro_f1(confusion, classes)

    return _metric(f"f1.{label}", f"macro F1 of the {label} label over its values", value)


def _flag_counts(view: View, flags: tuple[RedFlag, ...]) -> tuple[float, float, float] | None:
    """True positives, false positives and false negatives of the flags, summed; None if unlabelled."""
    if not view.sum("n.red_flags"):
        return None
    parts = [sum(view.sum(f"flag.{flag}.{part}") for flag in flags) for part in ("tp", "fp", "fn")]
    return parts[0], parts[1], parts[2]


def _flags_f1(flags: tuple[RedFlag, ...]) -> MetricValue:
    def value(view: View) -> float | None:
        counts = _flag_counts(view, flags)
        return None if counts is None else f1(*counts)

    return value


def _scored(view: View) -> float:
    return view.sum("score.n")


def _qwk(view: View) -> float | None:
    return quadratic_weighted_kappa(score_confusion(view)) if _scored(view) else None


def _precision_5(view: View) -> float | None:
    if not _scored(view):
        return None
    scores = score_confusion(view)
    return ratio(scores[(5, 5)], sum(scores[(want, 5)] for want in _SCORES))


ACCURACY: dict[str, Metric] = {label: _accuracy(label) for label in CLASSES}
MACRO_F1: dict[str, Metric] = {label: _macro_f1(label, classes) for label, classes in CLASSES.items()}
NOT_ASSESSED_ACCURACY = _accuracy("not_assessed")
RED_FLAGS_ACCURACY = _metric(
    "accuracy.red_flags",
    "share of answers whose red flags are exactly the expected ones",
    lambda view: ratio(agreeing(view, "red_flags"), labelled(view, "red_flags")),
)
FLAG_F1: dict[RedFlag, Metric] = {
    flag: _metric(f"f1.flag.{flag}", f"F1 of the {flag} red flag", _flags_f1((flag,))) for flag in RED_FLAGS
}
RED_FLAGS_F1 = _metric("f1.red_flags", "F1 of every red flag together (micro-averaged)", _flags_f1(RED_FLAGS))
SCORE_EXACT = _metric(
    "score.exact",
    "share of scored answers given exactly the gold 1-5 score",
    lambda view: ratio(view.sum("score.exact"), _scored(view)),
)
SCORE_WITHIN_ONE = _metric(
    "score.within_one",
    "share of scored answers within one of the gold score",
    lambda view: ratio(view.sum("score.within_one"), _scored(view)),
)
SCORE_QWK = _metric("score.qwk", "quadratic weighted kappa of the score against the gold score", _qwk)
SCORE_PRECISION_5 = _metric(
    "score.precision_5", "share of predicted 5s that the gold score is 5", _precision_5
)
SCORE_SPEARMAN = _metric(
    "score.spearman",
    "Spearman correlation of the score with the gold score",
    lambda view: spearman(view.pairs("score")) if _scored(view) else None,
)

METRICS: tuple[Metric, ...] = (
    *(metric for label in CLASSES for metric in (ACCURACY[label], MACRO_F1[label])),
    NOT_ASSESSED_ACCURACY,
    RED_FLAGS_ACCURACY,
    *FLAG_F1.values(),
    RED_FLAGS_F1,
    SCORE_EXACT,
    SCORE_WITHIN_ONE,
    SCORE_QWK,
    SCORE_PRECISION_5,
    SCORE_SPEARMAN,
)


class LabelScorer:
    """Accuracy and macro-F1 per label, F1 per red flag, and the 1-5 score against the gold score."""

    name = NAME
    version = 1
    kinds = KINDS
    metrics: tuple[Metric, ...] = METRICS

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
