"""What became of one attempt at a delivery, as the sender and its look-back share it."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.jobs.outbox import Outgoing

# Slack errors that retrying can cure; any other error fails the delivery at once.
TRANSIENT_ERRORS = {
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "ratelimited",
}


class Retry(Exception):
    """This attempt failed; try again after `delay` seconds (None: back off by attempts)."""

    def __init__(
        self, error: str, delay: float | None = None, *, counted: bool = True, uncertain: bool
    ) -> None:
        super().__init__(error)
        self.delay, self.counted, self.uncertain = delay, counted, uncertain

    @property
    def rate_limited(self) -> bool:
        """Slack answered 429: every post waits for its Retry-After."""
        return self.args[0] == "ratelimited"


class Permanent(Exception):
    """This delivery cannot be made; retrying would not help."""


@dataclass(frozen=True)
class Outcome:
    """What became of one attempt at a delivery: posted (ts), or a problem."""

    out: Outgoing
    user_id: str | None
    channel: str | None
    ts: str | None = None
    problem: Exception | None = None


def unsettled(out: Outgoing, problem: Exception) -> Outcome:
    """An outcome that leaves the delivery as it was: `problem` says when to try again."""
    return Outcome(out, user_id=out.slack_user_id, channel=out.channel, problem=problem)


def failure_of(exc: SlackApiError, *, posting: bool) -> Retry | Permanent:
    """What a Web API error means for a delivery: a 429 waits for its Retry-After, a
    server error or a transient one is retried (a post's may hide a post that was made),
    anything else fails it."""
    response = exc.response
    error = _error_code(exc)
    if response.status_code == 429 or error == "ratelimited":
        delay = float(response.headers.get("Retry-After", 1))
        return Retry("ratelimited", delay, counted=False, uncertain=False)
    if response.status_code >= 500 or error in TRANSIENT_ERRORS:
        return Retry(error, uncertain=posting)
    return Permanent(error)


def _error_code(exc: SlackApiError) -> str:
    try:
        return str(exc.response.get("error") or f"http_{exc.response.status_code}")
    except (AttributeError, TypeError, ValueError):
        return f"http_{exc.response.status_code}"
