"""Rebuild the offline reader's two models from the training corpus, reproducibly.

    python scripts/train_reader.py            # writes weights.json and answer.json in agent/brains/offline/data/
    python scripts/train_reader.py --cv 5     # clause-role k-fold cross-validation on the training split only

The clause-role model (weights.json) gives each clause its role. The answer model (answer.json)
makes the final call on the slots, ownership and off_topic from those roles and the rules'
reading; it learns from roles given by clause weights that never saw the answer (out of fold),
so it learns how the clause model errs on new answers, not how it remembers old ones.

Only the training split (evals/corpus/train) is read; the frozen test split is never used here.
Same corpus, same weights, same hash: the solver is deterministic, its linear algebra runs on one
fixed kernel set (below), and the output is rounded and sorted. Needs scikit-learn (a development dependency).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

# The solver's arithmetic runs in OpenBLAS, which picks its kernels for the CPU it finds, and
# different kernels round differently. One kernel set that every x86-64 CPU of the last decade
# runs (AVX2), on one thread, gives the same weights to the last bit on any such machine. Set
# before numpy loads OpenBLAS.
os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent.brains.offline import analyzer, judgement, model, resources
from agent.brains.offline.clauses import clauses
from agent.brains.offline.features import clause_features, is_filler
from agent.brains.offline.injection import injected_spans
from agent.brains.offline.judgement import DECIDED, answer_features
from agent.brains.offline.text import clean
from agent.domain.roles import CLAUSE_ROLES
from agent.evals.corpus import Marked, Record, aligned_roles, corpus_files, parse_marked, records, told_in_two
from agent.rubrics import load_rubric

DATA = Path(__file__).resolve().parents[1] / "agent" / "brains" / "offline" / "data"
C = 0.5
MIN_COUNT = 2
DECIMALS = 3
# Features whose largest weight is below this are dropped: they barely move a prediction, and a
# smaller table loads faster and scores fewer features per clause.
PRUNE = 0.2
SCALE = 0.0005
# The answer model: its regularisation, and the folds its out-of-fold clause roles come from.
ANSWER_C = 0.3
ANSWER_FOLDS = 5


def examples(items: list[Record]) -> tuple[list[list[str]], list[str], list[int]]:
    """Feature rows, gold roles and the record index of every clause the reader would see."""
    rows: list[list[str]] = []
    roles: list[str] = []
    owners: list[int] = []
    for index, record in enumerate(items):
        marked = parse_marked(record.marked)
        cleaned = clean(marked.answer)
        judged = analyzer.judged_text(cleaned, injected_spans(cleaned))
        spans = [span for span in clauses(judged) if not is_filler(span.words)]
        if not spans:
            continue
        rows.extend(clause_features(spans))
        roles.extend(aligned_roles([(s.start, s.end) for s in spans], marked.clauses))
        owners.extend([index] * len(spans))
    return rows, roles, owners


def fit(rows: list[list[str]], roles: list[str]) -> tuple[DictVectorizer, LogisticRegression]:
    counts = Counter(f for row in rows for f in set(row))
    kept = [{f: 1.0 for f in row if counts[f] >= MIN_COUNT} for row in rows]
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(kept)
    model = LogisticRegression(C=C, max_iter=3000, tol=1e-6)
    model.fit(matrix, roles)
    return vectorizer, model


def export(vectorizer: DictVectorizer, model: LogisticRegression) -> bytes:
    classes = [str(c) for c in model.classes_]
    order = [r for r in CLAUSE_ROLES if r in classes]
    index = [classes.index(r) for r in order]
    coef = model.coef_[index]
    keep = np.max(np.abs(coef), axis=0) >= PRUNE
    names = [str(name) for name, kept in zip(vectorizer.get_feature_names_out(), keep, strict=True) if kept]
    # Weights are stored as 16-bit integers times one scale: compact, quick to load, and exact to
    # the last bit, so the same corpus always gives the same file and hash.
    quantised = np.round(coef[:, keep].T / SCALE).astype("<i2")
    document = {
        "_about": "Clause-role weights of the offline reader, trained by scripts/train_reader.py.",
        "roles": order,
        "bias": [float(v) + 0.0 for v in np.round(model.intercept_[index], DECIMALS)],
        "scale": SCALE,
        "features": names,
        "weights": base64.b64encode(quantised.tobytes()).decode("ascii"),
    }
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode()


def answer_examples(items: list[Record]) -> tuple[list[dict[str, float]], list[dict[str, str]]]:
    """The answer model's inputs and gold labels, each answer read by clause weights trained without it."""
    rows: list[dict[str, float]] = []
    gold: list[dict[str, str]] = []
    topics = {c: load_rubric(c).topic for c in sorted({r.competency for r in items})}
    for fold in range(ANSWER_FOLDS):
        seen = [r for i, r in enumerate(items) if i % ANSWER_FOLDS != fold]
        clause_rows, roles, _ = examples(seen)
        fold_weights = resources.parse_weights(export(*fit(clause_rows, roles)))
        with clause_weights(fold_weights):
            for index, record in enumerate(items):
                if index % ANSWER_FOLDS != fold:
                    continue
                answer = parse_marked(record.marked)
                labels = record.labels
                whole = {
                    "situation": labels.situation,
                    "task": labels.task,
                    "action": labels.action,
                    "result": labels.result,
                    "ownership": labels.ownership,
                }
                for replies in tellings(answer, index):
                    found = analyzer.draft(record.question, replies, topics[record.competency])
                    if not isinstance(found, analyzer.Draft):
                        continue
                    rows.append(answer_features(found.clauses, found.reading, found.fit))
                    # Each label is learnt only where the model decides it (a slot with no clause
                    # that could be its evidence is missing whatever the model says).
                    decided = judgement.open_labels({c.role for c in found.clauses})
                    wanted = {label: value for label, value in whole.items() if label in decided}
                    # The model only adds off_topic to what the rules flag, so it learns from the rest.
                    if "off_topic" not in found.reading.red_flags:
                        wanted["off_topic"] = "yes" if "off_topic" in labels.red_flags else "no"
                    gold.append(wanted)
    return rows, gold


def tellings(answer: Marked, index: int) -> list[list[str]]:
    """The ways the answer model hears one answer: told whole and, for every other answer, as an
    interview hears it, one STAR part held back for a follow-up and given in a second reply. The
    labels are the whole story's either way, so the model learns how a story told in parts adds
    up; the clause model learns from whole answers only.
    """
    found = [[answer.answer]]
    if index % 2 == 0 and (told := told_in_two(answer, index // 2)) is not None:
        found.append(told[0])
    return found


class clause_weights:
    """Clause-role weights other than the shipped ones, while the block runs."""

    def __init__(self, weights: resources.Weights) -> None:
        self.weights = weights

    def __enter__(self) -> None:
        self.saved = model.weights, analyzer.weights
        model.weights = analyzer.weights = lambda: self.weights  # type: ignore[assignment]

    def __exit__(self, *_: object) -> None:
        model.weights, analyzer.weights = self.saved  # type: ignore[assignment]


def fit_answer_model(rows: list[dict[str, float]], gold: list[dict[str, str]]) -> bytes:
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(rows)
    names = [str(n) for n in vectorizer.get_feature_names_out()]
    labels: dict[str, object] = {}
    for label, values in DECIDED.items():
        found = LogisticRegression(C=ANSWER_C, max_iter=3000, tol=1e-6)
        use = [i for i, g in enumerate(gold) if label in g]
        found.fit(matrix[use], [gold[i][label] for i in use])
        classes = [str(c) for c in found.classes_]
        if len(classes) == 2:  # a binary model has one row: the second value's score against the first
            coef = np.vstack([np.zeros(found.coef_.shape[1]), found.coef_[0]])
            intercept = np.array([0.0, found.intercept_[0]])
        else:
            coef, intercept = found.coef_, found.intercept_
        order = [classes.index(v) for v in values]
        weights = {
            name: [float(v) + 0.0 for v in np.round(coef[order, column], 4)]
            for column, name in enumerate(names)
            if np.any(np.round(coef[order, column], 4))
        }
        labels[label] = {
            "values": list(values),
            "bias": [float(v) + 0.0 for v in np.round(intercept[order], 4)],
            "weights": weights,
        }
    document = {
        "_about": "Answer-model weights of the offline reader, trained by scripts/train_reader.py.",
        "labels": labels,
    }
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode()


def train(items: list[Record]) -> tuple[bytes, bytes]:
    """Both models' files from these answers: clause-role weights and the answer model."""
    rows, roles, _ = examples(items)
    clause_file = export(*fit(rows, roles))
    return clause_file, fit_answer_model(*answer_examples(items))


def cross_validate(items: list[Record], folds: int) -> None:
    """Clause-role accuracy over k folds of the training split (records kept whole per fold)."""
    rows, roles, owners = examples(items)
    correct = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for fold in range(folds):
        train = [i for i, o in enumerate(owners) if o % folds != fold]
        test = [i for i, o in enumerate(owners) if o % folds == fold]
        vectorizer, model = fit([rows[i] for i in train], [roles[i] for i in train])
        counts = Counter(f for i in train for f in set(rows[i]))
        matrix = vectorizer.transform([{f: 1.0 for f in rows[i] if counts[f] >= MIN_COUNT} for i in test])
        for i, guess in zip(test, model.predict(matrix), strict=True):
            correct += guess == roles[i]
            confusion[(roles[i], str(guess))] += 1
    print(f"clause-role accuracy over {folds} folds: {correct / len(roles):.3f} ({len(roles)} clauses)")
    for role in CLAUSE_ROLES:
        total = sum(n for (gold, _), n in confusion.items() if gold == role)
        hit = confusion[(role, role)]
        print(f"  {role:14s} recall {hit / total if total else 0:.2f}  n={total}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cv", type=int, default=0, help="k-fold cross-validation instead of writing weights"
    )
    parser.add_argument("--out", type=Path, default=DATA, help="the folder to write both files to")
    args = parser.parse_args()
    items = records(corpus_files("train"))
    if args.cv:
        cross_validate(items, args.cv)
        return 0
    for name, data in zip(("weights.json", "answer.json"), train(items), strict=True):
        (args.out / name).write_bytes(data)
        print(f"{len(items)} answers -> {args.out / name} sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
