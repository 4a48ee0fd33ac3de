"""Out-of-fold answer-level figures of the offline reader on the TRAINING split, for tuning.

    python scripts/reader_cv.py [--folds 5] [--show LABEL]

Each fold's models (clause weights and answer model, trained as train_reader.py trains them) come
from the other folds, so no answer is judged by a model that saw it. The frozen test split is never read here.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_reader

from agent.brains.offline import analyzer, judgement, model, resources
from agent.domain.star import STAR_SLOTS, StarAnalysis
from agent.evals.corpus import corpus_files, gold_analysis, parse_marked, records, told_in_two
from agent.evals.scorers.labels import predicted_labels
from agent.rubrics import load_rubric

LABELS = (
    *STAR_SLOTS,
    "ownership",
    "specific_example",
    "quantified_result",
    "reflection",
    "declined",
    "target",
    "score",
)


def values(analysis: StarAnalysis) -> dict[str, object]:
    found: dict[str, object] = dict(predicted_labels(analysis))
    return {**found, "target": found.pop("followup_target"), "score": analysis.score}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show", default="")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the last run's fold weights (when only the rules changed, not the features)",
    )
    parser.add_argument("--limit", type=int, default=12)
    parser.add_argument("--confusion", default="", help="a label whose commonest errors to count")
    parser.add_argument(
        "--cell", type=int, nargs=2, help="gold and predicted score whose label errors to count"
    )
    args = parser.parse_args()
    items = records(corpus_files("train"))
    topics = {c: load_rubric(c).topic for c in sorted({r.competency for r in items})}
    hits: Counter[str] = Counter()
    # The same stories told over two replies, one part held back for a follow-up.
    replied: Counter[str] = Counter()
    told_count = 0
    flags: Counter[str] = Counter()
    cm: Counter[tuple[object, object]] = Counter()
    shown = 0
    cell: Counter[str] = Counter()
    confused: Counter[str] = Counter()
    for fold in range(args.folds):
        train = [r for i, r in enumerate(items) if i % args.folds != fold]
        test = [r for i, r in enumerate(items) if i % args.folds == fold]
        cached = Path(tempfile.gettempdir()) / f"starling-cv-{args.folds}-{fold}.json"
        answer_cached = cached.with_suffix(".answer.json")
        if args.reuse and cached.exists() and answer_cached.exists():
            data, answer_data = cached.read_bytes(), answer_cached.read_bytes()
        else:
            data, answer_data = train_reader.train(train)
            cached.write_bytes(data)
            answer_cached.write_bytes(answer_data)
        w = resources.parse_weights(data)
        model.weights = lambda w=w: w  # type: ignore[assignment]
        analyzer.weights = lambda w=w: w  # type: ignore[assignment]
        a = judgement.parse_answer_model(answer_data)
        analyzer.answer_model = lambda a=a: a  # type: ignore[assignment]
        for position, record in enumerate(test):
            marked = parse_marked(record.marked)
            topic = topics[record.competency]
            want = values(gold_analysis(record))
            told = told_in_two(marked, position)
            if told is not None:
                told_count += 1
                two = values(analyzer.analyze_answer(record.question, told[0], topic))
                for label in LABELS:
                    replied[label] += two[label] == want[label]
            analysis = analyzer.analyze_answer(record.question, [marked.answer], topic)
            got = values(analysis)
            for label in LABELS:
                hits[label] += got[label] == want[label]
            cm[(want["score"], got["score"])] += 1
            if args.cell and (want["score"], got["score"]) == tuple(args.cell):
                for label in LABELS[:-1]:
                    if got[label] != want[label]:
                        cell[f"{label}: {want[label]} -> {got[label]}"] += 1
            if args.confusion and got[args.confusion] != want[args.confusion]:
                confused[f"{args.confusion}: {want[args.confusion]} -> {got[args.confusion]}"] += 1
            g = set(analysis.red_flags)
            for f in set(record.labels.red_flags) | g:
                flags[(f, f in record.labels.red_flags, f in g)] += 1  # type: ignore[index]
            if args.show and got[args.show] != want[args.show] and shown < args.limit:
                shown += 1
                print(f"--- {record.id} want {want[args.show]} got {got[args.show]}\n{record.marked[:700]}\n")
    for what, count in (cell + confused).most_common(args.limit):
        print(f"  {count:4d}  {what}")
    n = len(items)
    for label in LABELS:
        two = replied[label] / told_count if told_count else float("nan")
        print(f"{label:18s} {hits[label] / n:.3f}   told over two replies {two:.3f}")
    print("score confusion (rows gold 1-5, cols predicted):")
    for g in (1, 2, 3, 4, 5, None):
        print(g, [cm[(g, p)] for p in (1, 2, 3, 4, 5, None)])
    for flag in sorted({f for f, _, _ in flags}):
        tp = flags[(flag, True, True)]
        fp = flags[(flag, False, True)]
        fn = flags[(flag, True, False)]
        print(f"{flag:20s} tp {tp} fp {fp} fn {fn}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
