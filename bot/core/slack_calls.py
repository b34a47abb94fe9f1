"""Web API calls made while Slack waits for our answer: one try, and a short timeout.

Slack gives a command or a click 3 seconds. A call made before answering (a modal must
be opened with a trigger that lives 3 seconds; a first-time asker's email is needed to
know who they are) must not retry through a rate limit or wait on a slow connection:
it is made once, and given up after IN_REQUEST_TIMEOUT_S a network step.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.errors import UserError

log = logging.getLogger(__name__)
IN_REQUEST_TIMEOUT_S = 1
NOT_OPENED = "Slack didn't open the form just now; try again in a moment."


def in_request(client: WebClient) -> WebClient:
    """`client`'s token and base URL, with no retries and IN_REQUEST_TIMEOUT_S."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=IN_REQUEST_TIMEOUT_S,
        logger=client.logger,
        retry_handlers=[],
    )


def open_modal(client: WebClient, *, trigger_id: str, view: dict) -> None:
    """views.open, once; UserError saying so if Slack does not open it in time."""
    try:
        in_request(client).views_open(trigger_id=trigger_id, view=view)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.warning("views.open failed: %s", exc)
        raise UserError(NOT_OPENED) from None
