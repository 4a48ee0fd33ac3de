"""Perturbations add no evidence: an injected instruction, swapped genders and names, filler."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from agent.evals.perturb import FILLER_AFTER, FILLER_BEFORE, INJECTION, perturb, swap_people


def test_injection_is_appended_as_its_own_paragraph() -> None:
    assert perturb("I fixed it.", "injection") == f"I fixed it.\n\n{INJECTION}"


def test_filler_wraps_the_answer() -> None:
    assert perturb("I fixed it.", "filler") == f"{FILLER_BEFORE}I fixed it.{FILLER_AFTER}"


def test_pronouns_titles_and_names_swap_with_their_capitals() -> None:
    text = "Mrs Patel rang. She said her order was late, so I called her back and Priya thanked me. He left."
    assert swap_people(text) == (
        "Mr Patel rang. He said his order was late, so I called him back and Tom thanked me. She left."
    )


def test_words_containing_a_swapped_word_are_left_alone() -> None:
    assert swap_people("The theme, the shepherd and the manager helped.") == (
        "The theme, the shepherd and the manager helped."
    )


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_swapping_keeps_everything_but_the_swapped_words(text: str) -> None:
    swapped = swap_people(text)
    assert len(swapped.split()) == len(text.split())
