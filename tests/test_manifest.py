"""The Slack app manifest: every command, scopes, events, and the two modes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from bot.cli import main
from bot.slack.manifest import build_manifest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "fixtures" / "corpus" / "slack" / "slack_manifest.schema.1.0.0.json"
DOCUMENTED = [
    "/calltime",
    "/callsheet",
    "/schedule-change",
    "/acks",
    "/script",
    "/rentals",
    "/crewcall",
]


def test_every_slash_command_is_in_the_manifest_with_description_and_hint() -> None:
    commands = {c["command"]: c for c in build_manifest()["features"]["slash_commands"]}

    assert sorted(commands) == sorted(DOCUMENTED)
    for entry in commands.values():
        assert 0 < len(entry["description"]) <= 100
        assert 0 < len(entry["usage_hint"]) <= 100


def test_commands_that_take_a_person_escape_mentions() -> None:
    commands = {c["command"]: c for c in build_manifest()["features"]["slash_commands"]}

    assert commands["/calltime"]["should_escape"] is True
    assert commands["/schedule-change"]["should_escape"] is True
    assert commands["/callsheet"]["should_escape"] is False


def test_the_readme_documents_the_same_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    works = readme.split("**What works in this version:**", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^- `(/[a-z-]+)", works, flags=re.MULTILINE))
    listed |= set(re.findall(r"`(/[a-z-]+)", works)) & set(DOCUMENTED)

    assert listed == set(DOCUMENTED)


@pytest.mark.parametrize("base", [None, "https://crewcall.example.com"])
def test_the_manifest_is_valid_by_slacks_own_schema(base: str | None) -> None:
    schema = json.loads(SCHEMA.read_text())

    errors = [
        e.message for e in jsonschema.Draft7Validator(schema).iter_errors(build_manifest(base))
    ]

    assert errors == []


def test_a_plain_http_base_url_is_warned_of(capsys) -> None:
    assert main(["manifest", "--http-base-url", "http://crew.example.com"]) == 0

    captured = capsys.readouterr()
    assert "Slack sends requests only to https:// addresses" in captured.err
    assert json.loads(captured.out) == build_manifest("http://crew.example.com")


@pytest.mark.parametrize("base", ["crew.example.com", "ftp://crew.example.com", "https://"])
def test_a_base_url_that_is_not_one_is_refused(capsys, base: str) -> None:
    assert main(["manifest", "--http-base-url", base]) == 2

    captured = capsys.readouterr()
    assert "is not a URL" in captured.err
    assert captured.out == ""


def test_an_https_base_url_has_no_warning(capsys) -> None:
    main(["manifest", "--http-base-url", "https://crew.example.com"])

    assert capsys.readouterr().err == ""


def test_socket_mode_manifest_has_no_request_urls() -> None:
    manifest = build_manifest()

    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert all("url" not in c for c in manifest["features"]["slash_commands"])


def test_http_manifest_points_everything_at_the_events_endpoint() -> None:
    manifest = build_manifest("https://crewcall.example.com/")
    url = "https://crewcall.example.com/slack/events"

    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert {c["url"] for c in manifest["features"]["slash_commands"]} == {url}


def test_scopes_and_events_cover_what_the_bot_does() -> None:
    manifest = build_manifest()

    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "im:write", "users:read", "users:read.email"} <= scopes
    assert {"files:read", "files:write", "im:history", "app_mentions:read"} <= scopes
    # The sender reads a DM or the crew channel back before reposting after a crash.
    assert {"im:history", "channels:history", "groups:history"} <= scopes
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_home_opened", "message.im", "app_mention", "file_shared"}
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_crewcall_manifest_prints_json(capsys) -> None:
    assert main(["manifest", "--http-base-url", "https://crew.example.com"]) == 0

    printed = json.loads(capsys.readouterr().out)
    assert printed == build_manifest("https://crew.example.com")
