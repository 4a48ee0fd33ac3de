"""Picks and builds the brain from settings: the one place that knows which brains exist.

The offline brain is the default. The model-backed brain is imported only when chosen, so the
offline path never loads `openai`, `tiktoken` or `jinja2`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from agent.brains.offline import OfflineBrain
from agent.brains.protocol import Brain
from agent.errors import StarlingError
from agent.settings import Settings, config_file

if TYPE_CHECKING:
    import httpx2

    from agent.brains.llm import Listener, LlmBrain
    from agent.llm.protocol import ChatModel

EXAMPLE_MODEL = "gpt-4o-mini"


def build_brain(
    settings: Settings,
    *,
    http_client: httpx2.Client | None = None,
    listener: Listener | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Brain:
    """The brain the settings ask for. Raises StarlingError saying what to set when one is missing."""
    if settings.brain == "offline":
        return OfflineBrain()
    return build_llm_brain(settings, http_client=http_client, listener=listener, sleep=sleep)


def build_llm_brain(
    settings: Settings,
    *,
    chat: ChatModel | None = None,
    http_client: httpx2.Client | None = None,
    listener: Listener | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LlmBrain:
    """The model-backed brain over an OpenAI-compatible endpoint (or over `chat`, e.g. a fake)."""
    from agent.brains.llm import LlmBrain, LlmConfig
    from agent.llm.retry import Retrier, RetryPolicy

    model = (settings.model or "").strip()
    if not model:
        raise StarlingError(
            "The openai brain needs a model name.",
            hint=f"Set STARLING_MODEL (or pass --model NAME), e.g. STARLING_MODEL={EXAMPLE_MODEL}, "
            f"or set model in {config_file()}.",
        )
    if chat is None:
        chat = openai_chat(settings, http_client)
    policy = RetryPolicy(
        max_attempts=settings.max_attempts,
        retry_after_cap=settings.retry_after_cap,
        total_seconds=settings.retry_seconds,
    )
    config = LlmConfig(
        model=model,
        prompt_token_budget=settings.prompt_token_budget,
        max_output_tokens=settings.max_output_tokens,
        temperature=settings.temperature,
        personalise_followups=settings.personalise_followups,
        request_seconds=settings.request_timeout,
    )
    return LlmBrain(chat, config, retrier=Retrier(policy=policy, sleep=sleep), listener=listener)


def openai_chat(settings: Settings, http_client: httpx2.Client | None = None) -> ChatModel:
    """The OpenAI-compatible backend the settings describe; refuses early when a key is needed."""
    from agent.llm.openai_backend import OPENAI_BASE_URL, OpenAIChatModel, is_openai_host

    base_url = settings.base_url or OPENAI_BASE_URL
    key = settings.api_key
    if (key is None or not key.get_secret_value().strip()) and is_openai_host(base_url):
        raise StarlingError(
            f"The openai brain needs an API key for {base_url}.",
            hint="Set OPENAI_API_KEY to your key (or api_key in "
            f"{config_file()}). For a local server that needs no key, set OPENAI_BASE_URL to it, "
            "e.g. OPENAI_BASE_URL=http://127.0.0.1:8080/v1.",
        )
    return OpenAIChatModel(
        base_url=base_url,
        api_key=key,
        timeout=settings.request_timeout,
        max_reply_bytes=settings.max_reply_bytes,
        structured_mode=settings.structured_output,
        prices=settings.prices,
        http_client=http_client,
    )
