"""Slack's requests, checked before anything reads them.

Every POST to /slack/events must carry a well-formed, fresh, correct signature over a
body that is UTF-8, form-encoded or JSON as Slack sends it, and must not have been
seen before; anything else is answered 401 (or 413 when too big), before Bolt, the
database or an error handler sees a byte of it. So a request nobody signed can never
make Crewcall call out (to a response_url it names), write, or log a traceback.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

from sqlalchemy.exc import SQLAlchemyError

from bot.clock import now as utcnow
from bot.slack.shapes import command_shape, event_shape, payload_shape
from bot.storage.db import Database
from bot.storage.event_deliveries import remember

log = logging.getLogger(__name__)
# Slack's own payloads are small; a modal submission with every field full is well under.
MAX_BODY = 1 << 20
# Slack refuses requests signed more than five minutes ago; so do we.
FRESH_FOR_S = 5 * 60
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused: its HTTP status, and the reason (for the log only)."""

    status: str
    reason: str


class Gate:
    """Checks a request's body and headers; `check` gives None when it may pass."""

    def __init__(
        self,
        signing_secret: str,
        db: Database,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = signing_secret.encode()
        self._db = db
        self._clock = clock

    def check(self, headers: dict[str, str], body: bytes) -> Refusal | None:
        """None if the request is Slack's, whole and new; else why not."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        seconds = request_timestamp(timestamp)
        if seconds is None or not _SIGNATURE.fullmatch(signature):
            return Refusal("401 Unauthorized", "missing or malformed signature headers")
        if abs(self._clock() - seconds) > FRESH_FOR_S:
            return Refusal("401 Unauthorized", "stale timestamp")
        expected = self._sign(timestamp, body)
        if not hmac.compare_digest(expected, signature):
            return Refusal("401 Unauthorized", "bad signature")
        if (problem := _unreadable(headers.get("content-type", ""), body)) is not None:
            return Refusal("401 Unauthorized", problem)
        if (problem := _not_slacks_shape(headers.get("content-type", ""), body)) is not None:
            log.warning("a signed request of a shape Slack does not send: %s", problem)
            return Refusal("400 Bad Request", problem)
        if not self._first_time(signature):
            return Refusal("200 OK", "a signed request already handled (a replay)")
        return None

    def _sign(self, timestamp: str, body: bytes) -> str:
        base = b"v0:" + timestamp.encode() + b":" + body
        return "v0=" + hmac.new(self._secret, base, "sha256").hexdigest()

    def _first_time(self, signature: str) -> bool:
        """Record the signature (it is unique to one body and timestamp); False if seen.

        With the database down the request goes on, to be told so by the app itself.
        """
        now = utcnow()
        statement = remember(self._db.engine.dialect.name)
        try:
            return bool(self._db.write_one(statement, {"event_id": signature[3:], "now": now}))
        except SQLAlchemyError:
            log.warning("could not record a request's signature: database unavailable")
            return True


def request_timestamp(text: str) -> int | None:
    """X-Slack-Request-Timestamp's seconds, or None unless it is 1 to 12 ASCII digits and
    nothing else: int() alone takes ` 1733300000`, `1_733_300_000` and Arabic-Indic digits,
    and a regex's `$` matches before a final newline."""
    if 0 < len(text) <= 12 and text.isascii() and text.isdigit():
        return int(text)
    return None


def _not_slacks_shape(content_type: str, body: bytes) -> str | None:
    """Why a readable body is not of a shape Slack sends (bot/slack/shapes.py), or None."""
    text = body.decode("utf-8")
    if content_type.split(";", 1)[0].strip().lower() == JSON:
        return event_shape(json.loads(text))
    fields = parse_qs(text)
    if "payload" in fields:
        return payload_shape(json.loads(fields["payload"][0]))
    return command_shape(fields)


def _unreadable(content_type: str, body: bytes) -> str | None:
    """Why the body is not what Slack sends (UTF-8 form fields or JSON), or None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body is not UTF-8"
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == FORM:
        try:
            fields = parse_qs(text, strict_parsing=bool(text), errors="strict")
        except (ValueError, UnicodeDecodeError):
            return "body is not form-encoded"
        if "payload" in fields:
            try:
                json.loads(fields["payload"][0])
            except ValueError:
                return "payload is not JSON"
        return None
    if kind == JSON:
        try:
            json.loads(text)
        except ValueError:
            return "body is not JSON"
        return None
    return "content type is neither form nor JSON"
