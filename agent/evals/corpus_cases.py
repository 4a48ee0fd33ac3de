"""Corpus records as analysis cases: the labels a source asks for, whole or told over two replies."""

from __future__ import annotations

from agent.domain.star import primary_gap
from agent.evals.cases import AnalysisCase, AnalysisExpect
from agent.evals.corpus import Record, gold_analysis, parse_marked, told_in_two
from agent.evals.suite import AnalysisSource


def labelled_case(item: Record, source: AnalysisSource, position: int) -> AnalysisCase | None:
    """A corpus record as an analysis case checking the labels the source asks for.

    With `told_in_two`, the story comes in two replies (see `told_in_two`; `position` picks the
    part held back, in turn), or None when it has no part to hold back.
    """
    marked = parse_marked(item.marked)
    replies = [marked.answer]
    if source.told_in_two:
        told = told_in_two(marked, position)
        if told is None:
            return None
        replies = told[0]
    labels = item.labels
    gold = gold_analysis(item)
    wanted = set(source.labels)
    star = {slot: found.status for slot, found in gold.star.items() if slot in wanted}

    def pick(name: str, value: object) -> object:
        return value if name in wanted else None

    expect = AnalysisExpect(
        star=star,
        ownership=pick("ownership", labels.ownership),
        specific_example=pick("specific_example", labels.specific_example),
        quantified_result=pick("quantified_result", labels.quantified_result),
        reflection=pick("reflection", labels.reflection),
        declined=pick("declined", labels.declined),
        red_flags=list(gold.red_flags) if "red_flags" in wanted else None,
        followup_target=pick("followup_target", primary_gap(gold).target),
        score=gold.score if "score" in wanted else None,
        not_assessed=labels.not_assessed if "score" in wanted else None,
    )
    return AnalysisCase(
        id=item.id,
        question=item.question,
        answer=replies[0],
        replies=replies[1:],
        expect=expect,
        invariance=list(source.invariance),
        critical=source.critical,
        tags=[tag for tag in item.tags if is_tag(tag)],
        note="",
        competency=item.competency,
    )


def is_tag(text: str) -> bool:
    return bool(text) and len(text) <= 40 and all(c.islower() or c.isdigit() or c in "-_" for c in text)
