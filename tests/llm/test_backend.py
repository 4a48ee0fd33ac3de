"""The OpenAI-compatible backend against a faked HTTP layer: every fault the issue lists."""

from __future__ import annotations

import json

import httpx2
import pytest
from pydantic import SecretStr

from agent.llm.errors import (
    ModelAuthError,
    ModelNotFound,
    ModelRateLimited,
    ModelReplyInvalid,
    ModelRequestRejected,
    ModelServerError,
    ModelTimeout,
    ModelUnreachable,
)
from agent.llm.openai_backend import OpenAIChatModel, strict_schema
from agent.llm.protocol import ChatMessage, ChatRequest, ChatResponse
from tests.llm.conftest import FakeServer, completion, error, sse

SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string", "maxLength": 20}, "n": {"type": "integer", "default": 1}},
    "additionalProperties": False,
}


def request(schema: bool = False, model: str = "test-model") -> ChatRequest:
    return ChatRequest(
        model=model,
        messages=(ChatMessage(role="system", content="sys"), ChatMessage(role="user", content="hi")),
        response_schema=SCHEMA if schema else None,
        schema_name="Thing" if schema else None,
        max_tokens=50,
    )


def test_a_completion_maps_content_finish_and_usage_with_cost(server: FakeServer) -> None:
    server.reply(completion("hello", usage=(1000, 200, 400), model="gpt-4o-mini"))
    chat = server.chat()

    response = chat.complete(request(model="gpt-4o-mini"))

    assert response.content == "hello"
    assert response.finish_reason == "stop"
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (1000, 200)
    assert response.usage.cached_tokens == 400
    # 600 fresh at $0.15/M, 400 cached at $0.075/M, 200 out at $0.60/M
    assert response.usage.cost_usd == pytest.approx((600 * 0.15 + 400 * 0.075 + 200 * 0.60) / 1e6)
    sent = server.bodies[0]
    assert sent["messages"] == [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi"}]
    assert sent["max_tokens"] == 50  # a non-OpenAI host gets the widely supported parameter
    assert sent["temperature"] == 0.0


def test_an_unknown_model_has_no_cost_not_a_guess(server: FakeServer) -> None:
    server.reply(completion("x", model="my-local-model"))
    assert server.chat().complete(request(model="my-local-model")).usage.cost_usd is None


def test_api_openai_com_gets_max_completion_tokens(server: FakeServer) -> None:
    server.reply(completion("x"))
    server.chat(base_url="https://api.openai.com/v1", api_key=SecretStr("sk-test")).complete(request())
    assert "max_completion_tokens" in server.bodies[0]
    assert "max_tokens" not in server.bodies[0]


def test_429_carries_retry_after_seconds(server: FakeServer) -> None:
    server.reply(error(429, "slow down", headers={"retry-after": "7"}))
    with pytest.raises(ModelRateLimited) as caught:
        server.chat().complete(request())
    assert caught.value.retry_after == 7.0
    assert caught.value.retryable


def test_429_prefers_retry_after_ms(server: FakeServer) -> None:
    server.reply(error(429, headers={"retry-after-ms": "1500", "retry-after": "9"}))
    with pytest.raises(ModelRateLimited) as caught:
        server.chat().complete(request())
    assert caught.value.retry_after == 1.5


def test_429_for_an_empty_account_is_not_retried(server: FakeServer) -> None:
    server.reply(error(429, "You exceeded your current quota", code="insufficient_quota"))
    with pytest.raises(ModelRequestRejected) as caught:
        server.chat().complete(request())
    assert not caught.value.retryable
    assert "quota" in caught.value.message


def test_500_is_a_retryable_server_error(server: FakeServer) -> None:
    server.reply(error(500, "kaput"))
    with pytest.raises(ModelServerError) as caught:
        server.chat().complete(request())
    assert caught.value.status == 500
    assert caught.value.retryable
    assert isinstance(caught.value.__cause__, Exception)  # the SDK error is chained, not lost


def test_a_timeout_is_our_timeout(server: FakeServer) -> None:
    server.reply(httpx2.ReadTimeout("slow"))
    with pytest.raises(ModelTimeout) as caught:
        server.chat(timeout=3).complete(request())
    assert "3 s" in caught.value.message
    assert caught.value.retryable


def test_connection_refused_says_what_to_check(server: FakeServer) -> None:
    server.reply(httpx2.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(ModelUnreachable) as caught:
        server.chat().complete(request())
    assert "OPENAI_BASE_URL" in (caught.value.hint or "")
    assert caught.value.retryable


def test_a_malformed_http_body_is_an_invalid_reply_that_is_not_retried(server: FakeServer) -> None:
    server.reply(httpx2.Response(200, content=b"{not json", headers={"content-type": "application/json"}))
    with pytest.raises(ModelReplyInvalid) as caught:
        server.chat().complete(request())
    assert "not valid JSON" in caught.value.message
    assert not caught.value.retryable  # the same server answers the same way


def test_401_says_exactly_what_to_set(server: FakeServer) -> None:
    server.reply(error(401, "Incorrect API key provided"))
    with pytest.raises(ModelAuthError) as caught:
        server.chat(api_key=SecretStr("sk-wrong")).complete(request())
    assert "OPENAI_API_KEY" in (caught.value.hint or "")
    assert not caught.value.retryable


def test_an_unknown_model_name_says_what_to_set(server: FakeServer) -> None:
    server.reply(error(404, "The model `nope` does not exist"))
    with pytest.raises(ModelNotFound) as caught:
        server.chat().complete(request(model="nope"))
    assert "STARLING_MODEL" in (caught.value.hint or "")


def test_the_key_never_appears_even_when_the_server_echoes_it(server: FakeServer) -> None:
    secret = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"

    def echo(req: httpx2.Request) -> httpx2.Response:
        return error(401, f"bad key {req.headers['authorization']}")

    server.reply(echo)
    chat = server.chat(api_key=SecretStr(secret))
    assert secret not in repr(chat)
    with pytest.raises(ModelAuthError) as caught:
        chat.complete(request())
    assert server.headers[0]["authorization"] == f"Bearer {secret}"  # it was sent, to the server only
    chain: BaseException | None = caught.value
    while chain is not None:
        assert secret not in str(chain)
        assert secret not in repr(chain)
        assert secret not in json.dumps(getattr(chain, "body", None), default=str)
        chain = chain.__cause__
    server.reply(lambda req: error(400, f"echo {req.headers['authorization']}"))
    with pytest.raises(ModelRequestRejected) as rejected:
        chat.complete(request())
    assert secret not in str(rejected.value)
    assert secret not in str(rejected.value.__cause__)


def test_refusal_and_content_filter_come_back_as_finish_reasons(server: FakeServer) -> None:
    server.reply(completion(None, refusal="I can't help with that."), completion("", finish="content_filter"))
    chat = server.chat()
    refused = chat.complete(request())
    assert refused.refusal == "I can't help with that."
    assert chat.complete(request()).finish_reason == "content_filter"


def test_length_cut_off_comes_back_as_a_finish_reason(server: FakeServer) -> None:
    server.reply(completion('{"title": "trunc', finish="length"))
    assert server.chat().complete(request()).finish_reason == "length"


def test_json_schema_goes_first_in_openai_strict_form(server: FakeServer) -> None:
    server.reply(completion('{"title": "x", "n": 1}'))
    server.chat().complete(request(schema=True))
    sent = server.bodies[0]["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["name"] == "Thing"
    assert sent["json_schema"]["strict"] is True
    schema = sent["json_schema"]["schema"]
    assert schema["required"] == ["title", "n"]
    assert "maxLength" not in json.dumps(schema)  # unsupported in strict mode; pydantic checks it
    assert "default" not in json.dumps(schema)


def test_strict_schema_keeps_properties_named_like_stripped_keywords() -> None:
    schema = {"type": "object", "properties": {"default": {"type": "string", "maxLength": 3}}}
    assert strict_schema(schema)["properties"] == {"default": {"type": "string"}}


def test_a_server_that_rejects_json_schema_gets_json_mode_with_the_schema_and_it_is_remembered(
    server: FakeServer,
) -> None:
    rejected = error(500, "Input should be 'text' or 'json_object'")
    server.reply(rejected, completion('{"title": "x", "n": 1}'), completion('{"title": "y", "n": 2}'))
    chat = server.chat()

    first = chat.complete(request(schema=True))
    second = chat.complete(request(schema=True))

    assert (first.content, second.content) == ('{"title": "x", "n": 1}', '{"title": "y", "n": 2}')
    assert server.bodies[0]["response_format"]["type"] == "json_schema"
    assert server.bodies[1]["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert server.bodies[2]["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert len(server.bodies) == 3  # no second json_schema attempt once the server said no
    assert chat.structured_mode == "json_object"
    assert server.chat().structured_mode == "auto"  # per backend instance


def test_a_transient_500_is_not_taken_for_a_rejected_format(server: FakeServer) -> None:
    server.reply(error(500, "overloaded"))
    chat = server.chat()
    with pytest.raises(ModelServerError):
        chat.complete(request(schema=True))
    assert len(server.bodies) == 1
    assert chat.structured_mode == "auto"


def test_modes_do_not_switch_when_json_mode_fails_too(server: FakeServer) -> None:
    server.reply(
        error(400, "response_format json_schema unsupported"), error(400, "unknown parameter schema")
    )
    chat = server.chat()
    with pytest.raises(ModelRequestRejected) as caught:
        chat.complete(request(schema=True))
    assert "json_schema unsupported" in caught.value.message  # the first refusal is what is reported
    assert chat.structured_mode == "auto"


def test_forced_json_object_mode_skips_json_schema(server: FakeServer) -> None:
    server.reply(completion("{}"))
    server.chat(structured_mode="json_object").complete(request(schema=True))
    assert server.bodies[0]["response_format"]["type"] == "json_object"


def test_a_stream_yields_text_then_the_final_response_with_usage(server: FakeServer) -> None:
    server.reply(sse(["Hel", "lo", "!"], usage=(30, 3)))
    items = list(server.chat().stream(request()))
    assert items[:3] == ["Hel", "lo", "!"]
    final = items[-1]
    assert isinstance(final, ChatResponse)
    assert final.content == "Hello!"
    assert (final.usage.prompt_tokens, final.usage.completion_tokens) == (30, 3)
    assert server.bodies[0]["stream"] is True
    assert server.bodies[0]["stream_options"] == {"include_usage": True}


def test_a_stream_cut_off_reports_length(server: FakeServer) -> None:
    server.reply(sse(['{"a":'], finish="length", usage=None))
    final = list(server.chat().stream(request()))[-1]
    assert isinstance(final, ChatResponse)
    assert final.finish_reason == "length"
    assert final.usage.prompt_tokens == 0  # not reported: the caller counts it


def test_a_stream_that_fails_to_open_raises_our_error(server: FakeServer) -> None:
    server.reply(error(503, "busy"))
    with pytest.raises(ModelServerError):
        list(server.chat().stream(request()))


def test_the_backend_repr_has_no_secret(server: FakeServer) -> None:
    chat = OpenAIChatModel(base_url="http://127.0.0.1:9/v1", api_key=SecretStr("sk-verysecretvalue123"))
    assert "sk-" not in repr(chat)
    assert "sk-verysecretvalue123" not in repr(vars(chat))
