"""`/crewcall calendar [production] [reset]`: the feed's link and its .ics file, in a DM."""

from __future__ import annotations

import datetime as dt
import logging

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy.orm import Session

from bot.calendars.blocks import calendar_dm, feed_links
from bot.calendars.feeds import FeedRequest, Rendered, open_feed
from bot.core.asker import identify_command
from bot.core.deps import Deps

log = logging.getLogger(__name__)


def calendar_command(
    command: dict, words: list[str], *, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> str:
    """Save the feed (and any new secret), then DM its link and file after answering."""
    request = FeedRequest.parse(words)
    asker = identify_command(db, client, deps, command, now=now)
    feed_of, feed = open_feed(db, asker.schedule, asker.member, request, now=now)
    # The secret must stand before a link to it is sent; the feed is written outside this
    # request's transaction.
    db.commit()
    rendered = deps.feeds.render(feed_of, feed_id=feed.id, created=feed.created_at, now=now)
    links = feed_links(deps.public_url, feed.secret)
    fallback, blocks = calendar_dm(title=feed_of.name, links=links, personal=not request.production)
    respond = Respond(response_url=command["response_url"]) if command.get("response_url") else None
    deps.after_answer(
        lambda: _send(
            client, respond, asker.user_id, fallback=fallback, blocks=blocks, file=rendered
        )
    )
    sent = "the link and the .ics file" if links else "the .ics file"
    if request.reset:
        return f"The old link has stopped working. I'm sending the new one, with {sent}, to our DM."
    return f"I'm sending {sent} to our DM."


def _send(
    client: WebClient,
    respond: Respond | None,
    user_id: str,
    fallback: str,
    blocks: list[dict],
    file: Rendered,
) -> None:
    """The DM, then the file in it; if Slack refuses, say so where the command was typed."""
    try:
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.chat_postMessage(channel=channel, text=fallback, blocks=blocks)
        client.files_upload_v2(
            channel=channel, filename=file.filename, title=file.filename, content=file.body
        )
    except (SlackApiError, SlackRequestError) as exc:
        log.warning("calendar DM to %s failed: %s", user_id, exc)
        if respond is not None:
            respond(
                response_type="ephemeral",
                text="I couldn't send your calendar to our DM just now. Try again in a minute.",
            )
