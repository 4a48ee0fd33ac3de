"""Settings come from flags over the environment over the settings file, each field validated once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from agent.cli import main
from agent.errors import InputError
from agent.settings import CONFIG_FILE_VARIABLE, Settings, config_file, load_settings, variable


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings file the next `load_settings` reads, empty until a test writes it."""
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(path))
    return path


def test_defaults_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch, settings_file: Path) -> None:
    monkeypatch.delenv("STARLING_HOME")
    settings = load_settings()
    assert settings.brain == "offline"
    assert settings.model is None and settings.api_key is None
    assert settings.server_url == "http://127.0.0.1:8000"
    assert settings.home.name == "starling"
    assert settings.prices == {}


def test_flags_over_environment_over_file(monkeypatch: pytest.MonkeyPatch, settings_file: Path) -> None:
    settings_file.write_text('model = "file"\nport = 8100\nhost = "file.example"\n', encoding="utf-8")
    monkeypatch.setenv("STARLING_MODEL", "env")
    monkeypatch.setenv("STARLING_PORT", "8200")
    settings = load_settings(model="flag", host=None)
    assert settings.model == "flag", "a flag beats the environment"
    assert settings.port == 8200, "the environment beats the file"
    assert settings.host == "file.example", "the file beats the default; a flag left unset is no flag"


def test_the_file_takes_short_and_variable_names(settings_file: Path) -> None:
    settings_file.write_text(
        'brain = "openai"\nSTARLING_PORT = 8300\napi_key = "from-file"\nrequest_timeout = 90\n',
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.brain == "openai"
    assert settings.port == 8300
    assert settings.api_key is not None and settings.api_key.get_secret_value() == "from-file"
    assert settings.request_timeout == 90.0


def test_the_environment_is_read_in_exact_case(monkeypatch: pytest.MonkeyPatch, settings_file: Path) -> None:
    monkeypatch.setenv("starling_model", "lower")
    monkeypatch.setenv("MODEL", "short")
    assert load_settings().model is None
    monkeypatch.setenv("STARLING_MODEL", "")
    assert load_settings().model == "", "set but empty is still set"


def test_environment_values_are_parsed_as_their_fields(
    monkeypatch: pytest.MonkeyPatch, settings_file: Path
) -> None:
    monkeypatch.setenv("STARLING_PERSONALISE_FOLLOWUPS", "no")
    monkeypatch.setenv("STARLING_REJOIN_MINUTES", "5")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = load_settings()
    assert settings.personalise_followups is False
    assert settings.rejoin_minutes == 5.0
    assert "sk-test" not in repr(settings)


def test_prices_from_file_and_environment_are_merged(
    monkeypatch: pytest.MonkeyPatch, settings_file: Path
) -> None:
    settings_file.write_text("[prices.mine]\ninput = 0.1\noutput = 0.4\n", encoding="utf-8")
    monkeypatch.setenv("prices", '{"mine": {"input": 1}, "other": {"input": 2, "output": 3}}')
    prices = load_settings().prices
    assert (prices["mine"].input, prices["mine"].output) == (1.0, 0.4), "an entry overrides key by key"
    assert prices["other"].output == 3.0


def test_a_bad_value_names_where_it_came_from(monkeypatch: pytest.MonkeyPatch, settings_file: Path) -> None:
    monkeypatch.setenv("STARLING_PORT", "eighty")
    with pytest.raises(ValidationError) as from_env:
        load_settings()
    assert [e["loc"] for e in from_env.value.errors()] == [("STARLING_PORT",)]
    with pytest.raises(ValidationError) as from_flag:
        load_settings(port=0)
    assert [e["loc"] for e in from_flag.value.errors()] == [("port",)]


def test_an_unreadable_settings_file_is_a_clear_error(settings_file: Path) -> None:
    settings_file.write_text("port = = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"Cannot read the settings file .*config\.toml"):
        load_settings()


def test_a_table_variable_must_be_json(monkeypatch: pytest.MonkeyPatch, settings_file: Path) -> None:
    monkeypatch.setenv("prices", "{not json")
    with pytest.raises(InputError, match="prices is not valid JSON"):
        load_settings()


def test_an_empty_file_variable_reads_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_text('model = "per-user"\n', encoding="utf-8")
    assert load_settings().model == "per-user"
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, "")
    assert load_settings().model is None
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(config_file().with_name("missing.toml")))
    assert load_settings().model is None


def test_the_command_reports_a_broken_settings_file_without_a_traceback(
    settings_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file.write_text("[prices\n", encoding="utf-8")
    assert main(["rubrics", "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"starling: Cannot read the settings file {settings_file}")
    done = subprocess.run(
        [sys.executable, "-m", "agent.cli", "rubrics", "list"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "Cannot read the settings file" in done.stderr


def test_the_public_address_must_be_one_a_browser_opens(settings_file: Path) -> None:
    for good in ("https://interviews.example.com", "http://127.0.0.1:8765/", "https://x.example/base/"):
        assert load_settings(public_url=good).server_url == good.rstrip("/")
    for bad in ("example.com", "ftp://example.com", "https://", "http://a b", "//example.com"):
        with pytest.raises(ValidationError) as refused:
            load_settings(public_url=bad)
        assert "give the full address candidates open" in str(refused.value), bad


def test_every_setting_is_read_from_its_own_variable_first(monkeypatch: pytest.MonkeyPatch) -> None:
    assert variable("model") == "STARLING_MODEL"
    assert variable("base_url") == "OPENAI_BASE_URL", "the model endpoint keeps the name clients know"
    assert variable("api_key") == "OPENAI_API_KEY"
    for field in Settings.model_fields:
        if field not in {"base_url", "api_key"}:
            assert variable(field) == f"STARLING_{field.upper()}"
    monkeypatch.setenv("STARLING_PRICES", '{"mine": {"input": 1, "output": 2}}')
    assert load_settings().prices["mine"].output == 2.0
