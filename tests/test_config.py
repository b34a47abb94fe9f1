"""Settings: defaults, rewriting, and one clear line for every bad value."""

from __future__ import annotations

import datetime as dt
import subprocess
import time

import pytest

from bot import clock
from bot.config import ConfigError, Settings, load_settings
from bot.console.slack import FakeSlack
from tests import processes


def test_defaults_are_the_embedded_ones() -> None:
    settings = load_settings(_env_file=None)

    assert settings.database_url == "sqlite:///crewcall.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert settings.log_level == "INFO"
    assert settings.slack_bot_token is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/crew", "postgresql+psycopg://u:p@db:5432/crew"),
        ("postgresql://u@db/crew", "postgresql+psycopg://u@db/crew"),
        ("postgresql+psycopg://u@db/crew", "postgresql+psycopg://u@db/crew"),
        ("sqlite:////var/lib/crewcall.db", "sqlite:////var/lib/crewcall.db"),
    ],
)
def test_database_urls_are_pinned_to_the_installed_driver(given: str, expected: str) -> None:
    assert load_settings(_env_file=None, database_url=given).database_url == expected


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=8080\n")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9000/api")

    settings = load_settings()

    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-dotenv"
    assert settings.port == 8080
    assert settings.log_level == "DEBUG"
    assert settings.slack_api_url == "http://127.0.0.1:9000/api/"


def test_secrets_never_show_in_repr() -> None:
    settings = load_settings(
        _env_file=None, slack_bot_token="xoxb-very-secret", slack_signing_secret="shh-secret"
    )

    assert "very-secret" not in repr(settings)
    assert "shh-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("slack_bot_token", "xoxp-user-token", "SLACK_BOT_TOKEN"),
        ("slack_app_token", "xoxb-not-an-app-token", "SLACK_APP_TOKEN"),
        ("slack_api_url", "slack.com/api", "SLACK_API_URL"),
        ("slack_api_url", "ftp://slack.com/api", "SLACK_API_URL"),
        ("database_url", "mysql://root@localhost/crew", "DATABASE_URL"),
        ("database_url", "not a url", "DATABASE_URL"),
        ("port", "http", "PORT"),
        ("port", "70000", "PORT"),
        ("public_url", "crew.example.com", "PUBLIC_URL"),
        ("log_level", "LOUD", "LOG_LEVEL"),
        ("web_threads", "0", "WEB_THREADS"),
        ("slack_client_id", "123.456", "SLACK_CLIENT_SECRET"),
        ("clock_offset", "a year", "CLOCK_OFFSET"),
        ("clock_offset", "P4000D", "CLOCK_OFFSET"),
    ],
)
def test_a_malformed_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str
) -> None:
    monkeypatch.setenv(name.upper(), value)

    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)

    message = str(caught.value)
    assert "\n" not in message
    assert named in message
    assert "README" in message


def test_the_clock_offset_moves_this_processs_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOCK_OFFSET", "-PT2H")

    load_settings(_env_file=None)  # the conftest puts the run's own offset back after

    real = dt.datetime.fromtimestamp(time.time(), dt.UTC)
    assert abs(clock.now() - (real - dt.timedelta(hours=2))) < dt.timedelta(seconds=1)


def test_require_names_the_missing_setting() -> None:
    settings = Settings(_env_file=None)

    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN is not set; see README"):
        settings.require("slack_bot_token", "slack_signing_secret")


def _crewcall(*args: str, env: dict) -> subprocess.CompletedProcess:
    return processes.run(processes.crewcall(*args), env=processes.environment(**env))


@pytest.mark.parametrize("mode", [[], ["--http"]])
def test_missing_bot_token_stops_start_up_with_one_line(tmp_path, mode: list[str]) -> None:
    result = _crewcall("run", *mode, env={"DATABASE_URL": f"sqlite:///{tmp_path}/c.db"})

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "crewcall: SLACK_BOT_TOKEN is not set; see README.md, 'Create the Slack app'"
    ]
    assert not (tmp_path / "c.db").exists()


def test_malformed_setting_stops_start_up_with_one_line(tmp_path) -> None:
    result = _crewcall("run", env={"PORT": "three thousand"})

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("crewcall: PORT is malformed")


@pytest.mark.parametrize(
    ("mode", "missing"), [([], "SLACK_APP_TOKEN"), (["--http"], "SLACK_SIGNING_SECRET")]
)
def test_each_mode_names_its_own_missing_secret(tmp_path, mode: list[str], missing: str) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-present", "DATABASE_URL": f"sqlite:///{tmp_path}/c.db"}

    result = _crewcall("run", *mode, env=env)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"crewcall: {missing} is not set")


@pytest.mark.parametrize(
    ("mode", "extra", "expected"),
    [
        ([], {}, "crewcall: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET install Crewcall in several"),
        (["--http"], {"SLACK_SIGNING_SECRET": "s"}, "crewcall: PUBLIC_URL is not set"),
    ],
)
def test_oauth_needs_http_mode_and_a_public_url(
    tmp_path, mode: list[str], extra: dict, expected: str
) -> None:
    env = {
        "SLACK_CLIENT_ID": "1234.5678",
        "SLACK_CLIENT_SECRET": "shh",
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
        **extra,
    }

    result = _crewcall("run", *mode, env=env)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(expected)


def test_unreachable_slack_api_url_is_one_line(tmp_path) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-present",
        "SLACK_APP_TOKEN": "xapp-present",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
    }

    result = _crewcall("run", env=env)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("crewcall: SLACK_API_URL cannot be reached")


def test_a_refused_bot_token_is_one_line(tmp_path) -> None:
    with FakeSlack() as slack:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-revoked",
            "SLACK_APP_TOKEN": "xapp-present",
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
        }
        result = _crewcall("run", env=env)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "crewcall: SLACK_BOT_TOKEN was refused by Slack (invalid_auth); "
        "see README.md, 'Create the Slack app'"
    ]
