"""The app's own global middleware: text no database can keep refused, Slack's event
retries let through once."""

from __future__ import annotations

import logging

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.core.errors import UserError
from bot.core.mrkdwn import as_typed
from bot.storage.event_deliveries import first_delivery

log = logging.getLogger(__name__)

NUL_REFUSAL = (
    "That has a NUL character in it, which Crewcall can't keep. Nothing was changed; "
    "type it again without it."
)


class RefuseUnstorableText(Middleware):
    """A NUL anywhere in what was sent: a clear answer, before anything reads or stores it.

    PostgreSQL refuses NUL in text, and no one means to type one.
    """

    def process(self, *, req: BoltRequest, resp: BoltResponse, next) -> BoltResponse | None:
        """Refuse the request if anything in it holds a NUL; else go on."""
        if _has_nul(req.body):
            raise UserError(NUL_REFUSAL)
        return next()


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class TextAsTyped(Middleware):
    """A command's text and a message's, as the person typed them: Slack sends `&`, `<` and
    `>` as entities, and every listener reads (and quotes back, escaped once) what was typed."""

    def process(self, *, req: BoltRequest, resp: BoltResponse, next) -> BoltResponse | None:
        """Turn Slack's entities back into characters in the text people wrote; go on."""
        body = req.body
        if isinstance(body.get("text"), str) and body.get("command"):
            body["text"] = as_typed(body["text"])
        event = body.get("event")
        if isinstance(event, dict) and isinstance(event.get("text"), str):
            event["text"] = as_typed(event["text"])
        return next()


class DedupeEventRetries(Middleware):
    """Let each Events API delivery through once, whatever Slack's retries do.

    A Middleware subclass rather than a decorated function: it runs on every
    request, and skips Bolt's per-call argument injection.
    """

    def process(self, *, req: BoltRequest, resp: BoltResponse, next) -> BoltResponse | None:
        """Answer an Events API delivery Slack has already had answered with an empty 200."""
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not first_delivery(
            req.context["db"], event_id=event_id, now=req.context["now"]
        ):
            log.info("event %s already handled; retry ignored", event_id)
            return BoltResponse(status=200, body="")
        return next()
