"""The app's one error handler: what a person is told when a request fails, and what
Slack is answered."""

from __future__ import annotations

import json
import logging

from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from bot.changes.form import outcome_view
from bot.core.errors import UserError
from bot.storage.event_deliveries import first_delivery

log = logging.getLogger(__name__)

DB_DOWN = "Crewcall can't reach its database right now. Nothing was changed; try again in a minute."
SOMETHING_WRONG = "Sorry, something went wrong on Crewcall's side. Nothing was changed."
# What input missed being bounded and its column could not hold (PostgreSQL's 22003, a
# Python int past SQLite's 64 bits): that it is too large, not that the database is down.
TOO_LARGE = "A number in that is larger than Crewcall can keep. Nothing was changed."


def handle_error(
    error: Exception, body: dict, context: dict, response: BoltResponse, respond, client, logger
) -> None:
    """The one error handler: roll back; bad input is explained, anything else logged too."""
    context["db"].rollback()
    if isinstance(error, UserError):
        _tell(body, respond, client, str(error), response)
        if body.get("type") == "event_callback":
            # Answered, so Slack's retries must not be answered again.
            first_delivery(context["db"], event_id=body["event_id"], now=context["now"])
        return
    logger.error(
        "request failed: team=%s user=%s type=%s command=%s",
        context.get("team_id"),
        context.get("user_id"),
        body.get("type"),
        body.get("command"),
        exc_info=error,
    )
    if isinstance(error, DataError | OverflowError):
        message = TOO_LARGE
    elif isinstance(error, DBAPIError | PoolTimeoutError):
        message = DB_DOWN
    else:
        message = SOMETHING_WRONG
    if body.get("type") != "event_callback":
        _tell(body, respond, client, message, response)


def _tell(body: dict, respond, client, message: str, response: BoltResponse) -> None:
    """Answer in the command's HTTP response, an action's response_url, or to the event's author.

    A failed event that is not bad input keeps its 500, so that Slack retries it later.
    Slack gets its HTTP answer whether or not telling the person works.
    """
    response.status = 200
    try:
        _say(body, respond, client, message, response)
    except Exception as exc:  # the HTTP answer to Slack must not fail with the message
        log.warning("could not tell the person %r: %s", message, exc)


def _say(body: dict, respond, client, message: str, response: BoltResponse) -> None:
    event = body.get("event", {})
    if body.get("command"):
        _json_body(response, {"response_type": "ephemeral", "text": message})
    elif body.get("type") == "view_submission":
        _json_body(response, {"response_action": "update", "view": outcome_view(message)})
    elif body.get("response_url") and respond is not None:
        respond(text=message, response_type="ephemeral", replace_original=False)
    elif event.get("channel_type") == "im":
        client.chat_postMessage(channel=event["channel"], text=message)
    elif event.get("channel") and event.get("user"):
        client.chat_postEphemeral(
            channel=event["channel"],
            user=event["user"],
            text=message,
            thread_ts=event.get("thread_ts") or event.get("ts"),
        )


def _json_body(response: BoltResponse, body: dict) -> None:
    response.body = json.dumps(body)
    response.headers["content-type"] = ["application/json;charset=utf-8"]


def commit_failed_response(req: BoltRequest) -> BoltResponse:
    """What Slack gets when the unit of work could not be committed."""
    if req.body.get("command"):
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": DB_DOWN})
    return BoltResponse(status=500, body="")
