"""The Slack app manifest that `crewcall manifest` prints."""

from __future__ import annotations

from bot.core.commands import COMMANDS, SlashCommand

BOT_SCOPES = (
    "app_mentions:read",
    # Reading back a crew channel post after a crash, before posting it again.
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "files:read",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
    "users:read.email",
)
BOT_EVENTS = ("app_home_opened", "app_mention", "message.im", "file_shared")


def build_manifest(http_base_url: str | None = None) -> dict:
    """A complete manifest: Socket Mode unless an HTTP base URL for request URLs is given."""
    base = http_base_url.rstrip("/") if http_base_url else None
    events_url = f"{base}/slack/events" if base else None
    oauth_config: dict = {"scopes": {"bot": list(BOT_SCOPES)}}
    if base:
        # Where Slack sends people back after installing in another workspace (OAuth).
        oauth_config["redirect_urls"] = [f"{base}/slack/oauth_redirect"]
    return {
        "display_information": {
            "name": "Crewcall",
            "description": "Call times, schedule changes and acknowledgements for your shoot.",
            "background_color": "#1f2933",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "Crewcall", "always_online": True},
            "slash_commands": [_slash_command(command, events_url) for command in COMMANDS],
        },
        "oauth_config": oauth_config,
        "settings": _settings(events_url),
    }


def _slash_command(command: SlashCommand, events_url: str | None) -> dict:
    entry = {
        "command": command.name,
        "description": command.description,
        "usage_hint": command.usage_hint,
        "should_escape": command.should_escape,
    }
    if events_url:
        entry["url"] = events_url
    return entry


def _settings(events_url: str | None) -> dict:
    """Events and interactivity: over Socket Mode, or to `events_url` over HTTP."""
    event_subscriptions: dict = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict = {"is_enabled": True}
    if events_url:
        event_subscriptions["request_url"] = events_url
        interactivity["request_url"] = events_url
    return {
        "event_subscriptions": event_subscriptions,
        "interactivity": interactivity,
        "org_deploy_enabled": False,
        "socket_mode_enabled": events_url is None,
        "token_rotation_enabled": False,
    }
