"""Subscribed events that need no answer yet: acknowledged, so Slack does not retry them."""

from slack_bolt import App


def register(app: App) -> None:
    """Acknowledge the subscribed events nothing answers yet (after every other listener)."""
    for event_type in ("file_shared", "message"):
        app.event(event_type)(acknowledge_only)


def acknowledge_only() -> None:
    """Nothing to do (yet); Bolt acknowledges the event."""
