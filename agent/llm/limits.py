"""Defaults of a model call (time, reply size, budgets, wording, retries): the one place they live.

Settings, the model brain's config and the retry policy all take their defaults from here."""

from __future__ import annotations

# Seconds for one call, from sending the request to the last byte of the reply.
REQUEST_TIMEOUT = 30.0
# Bytes of one reply, as received (a streamed reply with its framing). An answer of a few thousand
# tokens is well under 100 KB even streamed; anything near this cap is a runaway or not a model.
MAX_REPLY_BYTES = 2 * 1024 * 1024

# Prompt tokens one request may use, and output tokens allowed per call.
PROMPT_TOKEN_BUDGET = 3000
MAX_OUTPUT_TOKENS = 900
# Deterministic by default; unset for models that accept only their own default.
TEMPERATURE: float | None = 0.0
# Let the model word the rubric's chosen follow-up for the candidate's story.
PERSONALISE_FOLLOWUPS = True
# Attempts per call (the first included), the longest Retry-After honoured, and the total seconds
# a failing call may be retried before the offline brain takes over that turn.
MAX_ATTEMPTS = 4
RETRY_AFTER_CAP = 20.0
RETRY_SECONDS = 60.0
# How many times a reply that is not the JSON asked for is sent back to be corrected.
MAX_REASKS = 2
