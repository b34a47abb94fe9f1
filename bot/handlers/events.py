"""Subscribed events that need no answer yet: acknowledged, so Slack does not retry them."""

from bot.handlers.router import Router


def register(router: Router) -> None:
    """Acknowledge the subscribed events nothing answers yet."""
    for event_type in ("file_shared", "message"):
        router.event(event_type, acknowledge_only)


def acknowledge_only() -> None:
    """Nothing to do (yet); Bolt acknowledges the event."""
