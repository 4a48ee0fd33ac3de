"""One frozen settings object, built at the edge: flags over environment over the settings file.

Each field is read under its environment variable first ($STARLING_<FIELD> unless the field names
another), then its own name, which the settings file uses. `load_settings` gathers the three sources and the model validates
them once, so every default, bound and type lives on the field.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_origin

import platformdirs
from pydantic import AliasChoices, AliasGenerator, BaseModel, ConfigDict, Field, SecretStr, field_validator

from agent.domain.defaults import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REJOIN_MINUTES
from agent.errors import InputError
from agent.llm.limits import (
    MAX_ATTEMPTS,
    MAX_OUTPUT_TOKENS,
    MAX_REPLY_BYTES,
    PERSONALISE_FOLLOWUPS,
    PROMPT_TOKEN_BUDGET,
    REQUEST_TIMEOUT,
    RETRY_AFTER_CAP,
    RETRY_SECONDS,
    TEMPERATURE,
)
from agent.llm.pricing import ModelPrice

APP_NAME = "starling"
BrainName = Literal["offline", "openai"]
StructuredOutput = Literal["auto", "json_schema", "json_object"]


# Names another settings file; set but empty, it means none (a candidate's process reads only
# what `starling serve` hands it).
CONFIG_FILE_VARIABLE = "STARLING_CONFIG_FILE"


def config_file() -> Path:
    """The per-user settings file (TOML)."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def active_config_file() -> Path | None:
    """The settings file in use: the one $STARLING_CONFIG_FILE names, none if it is empty, else the
    per-user one."""
    chosen = os.environ.get(CONFIG_FILE_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen else None
    return config_file()


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def _read_as(field: str) -> AliasChoices:
    """Where a field is read unless it says otherwise: $STARLING_<FIELD>, then its own name."""
    return AliasChoices(f"STARLING_{field.upper()}", field)


class Settings(BaseModel):
    """Everything configurable, documented in one place. The API key never leaves this object."""

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        populate_by_name=True,
        validate_default=True,
        alias_generator=AliasGenerator(validation_alias=_read_as),
    )

    home: Path = Field(
        default_factory=default_home,
        description="Data folder for transcripts, exports and user rubrics.",
    )
    brain: BrainName = Field(
        default="offline",
        description="Which brain analyses answers: the embedded offline one or an OpenAI-compatible model.",
    )
    model: str | None = Field(
        default=None,
        description="Model name for the OpenAI-compatible endpoint.",
    )
    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "base_url"),
        description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY", "api_key"),
        description="API key for the endpoint; never written to transcripts, logs or reports.",
    )

    request_timeout: float = Field(
        default=REQUEST_TIMEOUT,
        gt=0,
        description="Seconds to wait for one model call, its whole reply included, before it counts "
        "as timed out.",
    )
    max_reply_bytes: int = Field(
        default=MAX_REPLY_BYTES,
        ge=64 * 1024,
        description="Largest model reply read, in bytes; a larger one is a fault and the offline "
        "brain takes over that turn.",
    )
    retry_seconds: float = Field(
        default=RETRY_SECONDS,
        ge=0,
        description="Total seconds a failing call may be retried (timeouts, 429, 5xx) before the "
        "offline brain takes over that turn.",
    )
    max_attempts: int = Field(
        default=MAX_ATTEMPTS,
        ge=1,
        le=10,
        description="Attempts per model call, the first included.",
    )
    retry_after_cap: float = Field(
        default=RETRY_AFTER_CAP,
        ge=0,
        description="Longest wait honoured from a server's Retry-After header, in seconds.",
    )
    prompt_token_budget: int = Field(
        default=PROMPT_TOKEN_BUDGET,
        ge=600,
        description="Most prompt tokens one request may use; longer answers are cut with a visible marker.",
    )
    max_output_tokens: int = Field(
        default=MAX_OUTPUT_TOKENS,
        ge=100,
        description="Output tokens allowed per call (raised once, to twice this, if an answer is cut off).",
    )
    temperature: float | None = Field(
        default=TEMPERATURE,
        ge=0.0,
        le=2.0,
        description="Sampling temperature; unset it for models that accept only their default.",
    )
    structured_output: StructuredOutput = Field(
        default="auto",
        description="How to ask for JSON: 'auto' tries json_schema, then JSON mode with the schema "
        "(llama.cpp); or force one of them.",
    )
    personalise_followups: bool = Field(
        default=PERSONALISE_FOLLOWUPS,
        description="Let the model word the rubric's chosen follow-up for the candidate's story.",
    )
    host: str = Field(
        default=DEFAULT_HOST,
        min_length=1,
        description="Address `starling serve` listens on.",
    )
    port: int = Field(
        default=DEFAULT_PORT,
        ge=1,
        le=65535,
        description="Port `starling serve` listens on.",
    )
    public_url: str | None = Field(
        default=None,
        description="The address candidates reach the server at, if not http://HOST:PORT (a proxy); "
        "`starling invite` puts it in links.",
    )
    rejoin_minutes: float = Field(
        default=DEFAULT_REJOIN_MINUTES,
        gt=0,
        le=24 * 60,
        description="How long a candidate whose connection dropped may reopen their link and carry on.",
    )
    prices: dict[str, ModelPrice] = Field(
        default_factory=dict,
        description="Extra or corrected prices, USD per million tokens, by model name "
        "(settings file: [prices.my-model] input = 0.1, output = 0.4).",
    )

    @field_validator("public_url")
    @classmethod
    def _an_address_a_browser_opens(cls, value: str | None) -> str | None:
        # A link is this address and a path, so it must be one a browser opens as given.
        if value is not None and not re.fullmatch(r"https?://[^/?#\s]+(/\S*)?", value):
            raise ValueError("give the full address candidates open, such as https://interviews.example.com")
        return value

    @property
    def server_url(self) -> str:
        """Where candidates reach `starling serve`: the public URL, else http://HOST:PORT."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def transcripts_dir(self) -> Path:
        return self.home / "transcripts"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def invitations_dir(self) -> Path:
        return self.home / "invitations"

    @property
    def reviews_dir(self) -> Path:
        return self.home / "reviews"

    @property
    def interviews_dir(self) -> Path:
        """One folder per invitation: all that its candidate's app may reach."""
        from agent.interviews import INTERVIEWS

        return self.home / INTERVIEWS


def load_settings(**overrides: object) -> Settings:
    """Settings from flags (overrides that are not None), the environment and the settings file.

    Raises pydantic's ValidationError for a value out of bounds, and InputError for a settings file
    or a variable that cannot be read at all."""
    flags = {key: value for key, value in overrides.items() if value is not None}
    path = active_config_file()
    sources = (
        _by_first_name(flags),
        _environment(os.environ),
        _by_first_name(_read_config(path)) if path is not None else {},
    )
    merged: dict[str, Any] = {}
    for source in sources:  # highest first: what is already merged stays
        merged = _merge(source, merged)
    for field, names in _NAMES.items():  # a flag's value is validated under the flag's own name
        if field in flags:
            value = merged[names[0]]
            for name in names:
                merged.pop(name, None)
            merged[field] = value
    return Settings.model_validate(merged)


def _names(field: str) -> tuple[str, ...]:
    """The names a field is read under, its environment variable first, its own name last."""
    alias = Settings.model_fields[field].validation_alias
    choices = tuple(str(c) for c in alias.choices) if isinstance(alias, AliasChoices) else ()
    return (*choices, field) if field not in choices else choices


_NAMES = {field: _names(field) for field in Settings.model_fields}


def variable(field: str) -> str:
    """The environment variable a setting is read from, e.g. STARLING_MODEL for `model`."""
    return _NAMES[field][0]


def _by_first_name(given: Mapping[str, Any]) -> dict[str, Any]:
    """Values under any of a field's names, keyed by its first; of several, the earliest name wins.
    Keys that name no field are kept, and the model ignores them."""
    out: dict[str, Any] = {}
    used: set[str] = set()
    for names in _NAMES.values():
        found = next((name for name in names if name in given), None)
        if found is not None:
            out[names[0]] = given[found]
            used.update(name for name in names if name in given)
    out.update((key, value) for key, value in given.items() if key not in used)
    return out


def _environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Each field's value from the first of its names set in the environment, in exact case so that
    the short names never pick up HOME or MODEL; a table-valued field's variable holds JSON."""
    out: dict[str, Any] = {}
    for field, names in _NAMES.items():
        name = next((name for name in names if name in environ), None)
        if name is None:
            continue
        value: Any = environ[name]
        if get_origin(Settings.model_fields[field].annotation) is dict:
            try:
                value = json.loads(value)
            except ValueError as error:
                raise InputError(
                    f"The environment variable {name} is not valid JSON ({error}).",
                    hint='Give it as a JSON object, e.g. {"my-model": {"input": 0.1, "output": 0.4}}.',
                ) from error
        out[names[0]] = value  # keyed as the other sources are, so the merge ranks them
    return out


def _read_config(path: Path) -> dict[str, Any]:
    """The settings file's keys and values; none when there is no such file."""
    path = path.expanduser()
    if not path.is_file():
        return {}
    import tomllib  # only when there is a file to read

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(
            f"Cannot read the settings file {path}: {error}.",
            hint=f"Fix or remove it, or point ${CONFIG_FILE_VARIABLE} at another file.",
        ) from error


def _merge(lower: dict[str, Any], higher: dict[str, Any]) -> dict[str, Any]:
    """`lower` updated with `higher`, tables merged key by key so each source may add entries."""
    merged = dict(lower)
    for key, value in higher.items():
        below = merged.get(key)
        if isinstance(below, dict) and isinstance(value, dict):
            merged[key] = _merge(below, value)
        else:
            merged[key] = value
    return merged
