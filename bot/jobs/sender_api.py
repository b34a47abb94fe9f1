"""The sender's Web API calls: each made with its production's workspace's token, every
failure turned into a Retry or a Permanent, and posts paced per channel and workspace."""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.jobs.outcomes import Permanent, Retry, failure_of
from bot.jobs.pacer import Pacer, Paused
from bot.notices.cards import NoticeCard

# A production's workspace's bot token (None: the client's own token).
TokenSource = Callable[[int], str | None]


class WebApi:
    """One sender's way to Slack: tokens, pacing, and what each failure means."""

    def __init__(self, client: WebClient, tokens: TokenSource | None, pacer: Pacer) -> None:
        self.client = client
        # Each production's workspace's bot token; None: the client's own (one workspace).
        self.tokens = tokens
        # Slack takes a message a second into each channel.
        self.pacer = pacer
        # Each workspace's web address (auth.test), for links to a reminder's message.
        self._workspace_urls: dict[str | None, str] = {}

    def token(self, card: NoticeCard) -> str | None:
        """The bot token of the workspace `card`'s production is in (None: the client's)."""
        return self.tokens(card.production_id) if self.tokens else None

    def call(self, method, card: NoticeCard, *, posting: bool = False, **kwargs):
        """Call the Web API with the card's workspace's token; every failure becomes Retry
        or Permanent."""
        try:
            if (token := self.token(card)) is not None:
                kwargs["token"] = token
            return method(**kwargs)
        except SlackApiError as exc:
            problem = failure_of(exc, posting=posting)
            if posting and isinstance(problem, Retry) and problem.rate_limited:
                # Posts share the workspace's limit: hold them all, as Slack asks.
                self.pacer.pause(problem.delay or 0.0)
            raise problem from None
        except (OSError, http.client.HTTPException) as exc:
            # The post may have reached Slack before the connection failed.
            raise Retry(f"network: {exc}", uncertain=posting) from None

    @contextmanager
    def slot(self, channel: str) -> Iterator[None]:
        """The pacer's turn for `channel`; a pause in force sends the work back to the queue."""
        try:
            with self.pacer.slot(channel):
                yield
        except Paused as pause:
            raise Retry("ratelimited", pause.seconds, counted=False, uncertain=False) from None

    def permalink(self, card: NoticeCard, channel: str, ts: str) -> str | None:
        """A link to a posted message, from the workspace's address (one auth.test each)."""
        token = self.token(card)
        if (url := self._workspace_urls.get(token)) is None:
            try:
                url = str(self.call(self.client.auth_test, card).get("url") or "")
            except (Retry, Permanent):
                return None  # the reminder goes without its link
            self._workspace_urls[token] = url
        return f"{url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}" if url else None

    def user_by_email(self, card: NoticeCard, email: str) -> str:
        """The Slack user id of the person with `email` in the card's workspace."""
        try:
            response = self.call(self.client.users_lookupByEmail, card, email=email)
        except Permanent as exc:
            if str(exc) == "users_not_found":
                raise Permanent(f"no Slack account has the email {email}") from None
            raise
        return str(response["user"]["id"])
