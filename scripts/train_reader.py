"""Rebuild the offline reader's clause-role weights from the training corpus, reproducibly.

    python scripts/train_reader.py            # writes agent/brains/offline/data/weights.json
    python scripts/train_reader.py --cv 5     # k-fold cross-validation on the training split only

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

from agent.brains.offline.clauses import clauses
from agent.brains.offline.features import clause_features, is_filler
from agent.brains.offline.injection import blank, injected_spans
from agent.brains.offline.text import clean, without_headings
from agent.domain.roles import CLAUSE_ROLES
from agent.evals.corpus import Record, aligned_roles, corpus_files, parse_marked, records

WEIGHTS = Path(__file__).resolve().parents[1] / "agent" / "brains" / "offline" / "data" / "weights.json"
C = 0.5
MIN_COUNT = 2
DECIMALS = 3
# Features whose largest weight is below this are dropped: they barely move a prediction, and a
# smaller table loads faster and scores fewer features per clause.
PRUNE = 0.2
SCALE = 0.0005


def examples(items: list[Record]) -> tuple[list[list[str]], list[str], list[int]]:
    """Feature rows, gold roles and the record index of every clause the reader would see."""
    rows: list[list[str]] = []
    roles: list[str] = []
    owners: list[int] = []
    for index, record in enumerate(items):
        marked = parse_marked(record.marked)
        cleaned = clean(marked.answer)
        judged = without_headings(blank(cleaned, injected_spans(cleaned)))
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
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()
    items = records(corpus_files("train"))
    if args.cv:
        cross_validate(items, args.cv)
        return 0
    rows, roles, _ = examples(items)
    data = export(*fit(rows, roles))
    args.out.write_bytes(data)
    print(
        f"{len(items)} answers, {len(rows)} clauses -> {args.out} sha256 {hashlib.sha256(data).hexdigest()[:16]}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
