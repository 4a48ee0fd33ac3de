"""The compact state sent per request, kept within the prompt-token budget.

Only the current question, its replies and the follow-ups asked go in, so prompt size stays
flat however long the interview runs. When the replies alone would break the budget, the
longest ones are cut (start and end kept, a marker in the middle) and the caller says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agent.errors import BrainError
from agent.llm.protocol import ChatMessage
from agent.llm.tokens import TokenCounter
from agent.prompting import Exchange

# Per cut reply: room for the marker and the re-encoding slack at the cut.
_MARKER_TOKENS = 30
_MIN_KEEP = 40


def exchanges(replies: Sequence[str], followups: Sequence[str]) -> list[Exchange]:
    """Reply 1 answers the question; reply k+1 answers follow-up k, when it is known."""
    return [
        Exchange(followup=followups[index - 1] if 0 < index <= len(followups) else None, reply=reply)
        for index, reply in enumerate(replies)
    ]


@dataclass(frozen=True)
class Fitted:
    messages: tuple[ChatMessage, ...]
    prompt_tokens: int
    cut_tokens: int


def fit(
    items: list[Exchange],
    render: Callable[[list[Exchange], bool], tuple[ChatMessage, ...]],
    counter: TokenCounter,
    budget: int,
) -> Fitted:
    """Render the messages, cutting the longest replies until the whole request fits `budget`."""
    messages = render(items, False)
    total = counter.count_messages(messages)
    if total <= budget:
        return Fitted(messages, total, 0)
    sizes = [counter.count(item.reply) for item in items]
    for slack in (0, 60, 200):
        allowed = sum(sizes) - (total - budget) - slack - _MARKER_TOKENS * len(items)
        cap = _water_level(sizes, allowed)
        if cap < _MIN_KEEP:
            break
        trimmed: list[Exchange] = []
        cut = 0
        for item, size in zip(items, sizes, strict=True):
            if size > cap:
                text, removed = counter.truncate(item.reply, cap)
                cut += removed
                trimmed.append(item.model_copy(update={"reply": text}))
            else:
                trimmed.append(item)
        messages = render(trimmed, True)
        fitted_total = counter.count_messages(messages)
        if fitted_total <= budget:
            return Fitted(messages, fitted_total, cut)
    raise BrainError(
        f"The prompt needs more than the token budget of {budget} even with the answers cut.",
        hint="Raise STARLING_PROMPT_TOKEN_BUDGET (prompt_token_budget in the settings file).",
    )


def _water_level(sizes: list[int], allowed: int) -> int:
    """The largest per-reply cap such that the capped sizes add up to at most `allowed`."""
    if allowed <= 0:
        return 0
    ordered = sorted(sizes)
    remaining = allowed
    for position, size in enumerate(ordered):
        left = len(ordered) - position
        if size * left > remaining:
            return remaining // left
        remaining -= size
    return ordered[-1]
