"""The clause-role model at inference time: a linear score per role over active features."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from math import exp

from agent.brains.offline.resources import unpack, weights
from agent.domain.roles import ClauseRole


def role_probabilities(rows: Sequence[Sequence[str]]) -> list[dict[ClauseRole, float]]:
    """For each clause's features, the probability of each role (softmax of the linear scores)."""
    model = weights()
    get = model.packed.get
    roles, bias, scale, width = model.roles, model.bias, model.scale, len(model.roles)
    out: list[dict[ClauseRole, float]] = []
    for row in rows:
        sums = unpack(sum(map(get, row, repeat(0))), width)
        scores = [b + scale * total for b, total in zip(bias, sums, strict=True)]
        top = max(scores)
        exps = [exp(s - top) for s in scores]
        whole = sum(exps)
        out.append(dict(zip(roles, [e / whole for e in exps], strict=True)))
    return out


def best_role(probabilities: dict[ClauseRole, float]) -> ClauseRole:
    return max(probabilities, key=probabilities.__getitem__)
