"""The clause-role model at inference time: a linear score per role over active features."""

from __future__ import annotations

import math
from collections.abc import Sequence

from agent.brains.offline.resources import weights
from agent.domain.roles import ClauseRole


def role_probabilities(rows: Sequence[Sequence[str]]) -> list[dict[ClauseRole, float]]:
    """For each clause's features, the probability of each role (softmax of the linear scores)."""
    model = weights()
    table = model.features
    scale = model.scale
    out: list[dict[ClauseRole, float]] = []
    for row in rows:
        vectors = [values for values in map(table.get, row) if values is not None]
        if vectors:
            columns = zip(*vectors, strict=True)
            scores = [bias + scale * sum(column) for bias, column in zip(model.bias, columns, strict=True)]
        else:
            scores = list(model.bias)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        out.append({role: e / total for role, e in zip(model.roles, exps, strict=True)})
    return out


def best_role(probabilities: dict[ClauseRole, float]) -> ClauseRole:
    return max(probabilities, key=probabilities.__getitem__)
