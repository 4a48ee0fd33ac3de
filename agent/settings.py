"""One frozen settings object, built at the edge: flags over environment over the settings file."""

from __future__ import annotations

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

APP_NAME = "starling"
BrainName = Literal["offline", "openai"]


def config_file() -> Path:
    """The per-user settings file (TOML)."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class Settings(BaseSettings):
    """Everything configurable, documented in one place. The API key never leaves this object."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True)

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

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=config_file()),
        )

    @property
    def transcripts_dir(self) -> Path:
        return self.home / "transcripts"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"


def load_settings(**overrides: object) -> Settings:
    """Settings from flags (overrides that are not None), the environment and the settings file."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)  # type: ignore[arg-type]
