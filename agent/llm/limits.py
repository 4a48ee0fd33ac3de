"""How long one model call may take and how large its reply may be: the one place these defaults live."""

from __future__ import annotations

# Seconds for one call, from sending the request to the last byte of the reply.
REQUEST_TIMEOUT = 30.0
# Bytes of one reply, as received (a streamed reply with its framing). An answer of a few thousand
# tokens is well under 100 KB even streamed; anything near this cap is a runaway or not a model.
MAX_REPLY_BYTES = 2 * 1024 * 1024
