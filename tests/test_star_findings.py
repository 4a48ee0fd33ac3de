"""The four STAR findings of an answer, read slot by slot with their types intact."""

from __future__ import annotations

from agent.domain.star import STAR_SLOTS
from tests.conftest import analysis


def test_items_gives_each_slot_its_own_finding_in_star_order() -> None:
    quotes = {"situation": ["at the desk"], "action": ["I called them"], "result": ["they stayed"]}
    star = analysis("+~+-", evidence=quotes).star
    found = list(star.items())
    assert [slot for slot, _ in found] == list(STAR_SLOTS)
    assert [finding.status for _, finding in found] == ["present", "partial", "present", "missing"]
    assert {slot: finding.evidence for slot, finding in found} == {
        "situation": ["at the desk"],
        "task": [],
        "action": ["I called them"],
        "result": ["they stayed"],
    }
    assert all(finding is star.finding(slot) for slot, finding in found)
