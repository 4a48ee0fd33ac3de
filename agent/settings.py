"""One frozen settings object, built at the edge: flags over environment over the settings file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from agent.domain.defaults import DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REJOIN_MINUTES
from agent.llm.limits import MAX_REPLY_BYTES, REQUEST_TIMEOUT
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


class Settings(BaseSettings):
    """Everything configurable, documented in one place. The API key never leaves this object."""

    # Case-sensitive, so the short aliases (for the settings file) never pick up HOME, MODEL or API_KEY.
    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True, case_sensitive=True)

    home: Path = Field(
        default_factory=default_home,
        validation_alias=AliasChoices("STARLING_HOME", "home"),
        description="Data folder for transcripts, exports and user rubrics.",
    )
    brain: BrainName = Field(
        default="offline",
        validation_alias=AliasChoices("STARLING_BRAIN", "brain"),
        description="Which brain analyses answers: the embedded offline one or an OpenAI-compatible model.",
    )
    model: str | None = Field(
        default=None,
        validation_alias=AliasChoices("STARLING_MODEL", "model"),
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
        validation_alias=AliasChoices("STARLING_REQUEST_TIMEOUT", "request_timeout"),
        description="Seconds to wait for one model call, its whole reply included, before it counts "
        "as timed out.",
    )
    max_reply_bytes: int = Field(
        default=MAX_REPLY_BYTES,
        ge=64 * 1024,
        validation_alias=AliasChoices("STARLING_MAX_REPLY_BYTES", "max_reply_bytes"),
        description="Largest model reply read, in bytes; a larger one is a fault and the offline "
        "brain takes over that turn.",
    )
    retry_seconds: float = Field(
        default=60.0,
        ge=0,
        validation_alias=AliasChoices("STARLING_RETRY_SECONDS", "retry_seconds"),
        description="Total seconds a failing call may be retried (timeouts, 429, 5xx) before the "
        "offline brain takes over that turn.",
    )
    max_attempts: int = Field(
        default=4,
        ge=1,
        le=10,
        validation_alias=AliasChoices("STARLING_MAX_ATTEMPTS", "max_attempts"),
        description="Attempts per model call, the first included.",
    )
    retry_after_cap: float = Field(
        default=20.0,
        ge=0,
        validation_alias=AliasChoices("STARLING_RETRY_AFTER_CAP", "retry_after_cap"),
        description="Longest wait honoured from a server's Retry-After header, in seconds.",
    )
    prompt_token_budget: int = Field(
        default=3000,
        ge=600,
        validation_alias=AliasChoices("STARLING_PROMPT_TOKEN_BUDGET", "prompt_token_budget"),
        description="Most prompt tokens one request may use; longer answers are cut with a visible marker.",
    )
    max_output_tokens: int = Field(
        default=900,
        ge=100,
        validation_alias=AliasChoices("STARLING_MAX_OUTPUT_TOKENS", "max_output_tokens"),
        description="Output tokens allowed per call (raised once, to twice this, if an answer is cut off).",
    )
    temperature: float | None = Field(
        default=0.0,
        ge=0.0,
        le=2.0,
        validation_alias=AliasChoices("STARLING_TEMPERATURE", "temperature"),
        description="Sampling temperature; unset it for models that accept only their default.",
    )
    structured_output: StructuredOutput = Field(
        default="auto",
        validation_alias=AliasChoices("STARLING_STRUCTURED_OUTPUT", "structured_output"),
        description="How to ask for JSON: 'auto' tries json_schema, then JSON mode with the schema "
        "(llama.cpp); or force one of them.",
    )
    personalise_followups: bool = Field(
        default=True,
        validation_alias=AliasChoices("STARLING_PERSONALISE_FOLLOWUPS", "personalise_followups"),
        description="Let the model word the rubric's chosen follow-up for the candidate's story.",
    )
    host: str = Field(
        default=DEFAULT_HOST,
        min_length=1,
        validation_alias=AliasChoices("STARLING_HOST", "host"),
        description="Address `starling serve` listens on.",
    )
    port: int = Field(
        default=DEFAULT_PORT,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("STARLING_PORT", "port"),
        description="Port `starling serve` listens on.",
    )
    public_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("STARLING_PUBLIC_URL", "public_url"),
        description="The address candidates reach the server at, if not http://HOST:PORT (a proxy); "
        "`starling invite` puts it in links.",
    )
    rejoin_minutes: float = Field(
        default=DEFAULT_REJOIN_MINUTES,
        gt=0,
        le=24 * 60,
        validation_alias=AliasChoices("STARLING_REJOIN_MINUTES", "rejoin_minutes"),
        description="How long a candidate whose connection dropped may reopen their link and carry on.",
    )
    prices: dict[str, ModelPrice] = Field(
        default_factory=dict,
        description="Extra or corrected prices, USD per million tokens, by model name "
        "(settings file: [prices.my-model] input = 0.1, output = 0.4).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = active_config_file()
        if path is None:
            return (init_settings, env_settings)
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=path))

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
    """Settings from flags (overrides that are not None), the environment and the settings file."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)  # type: ignore[arg-type]
