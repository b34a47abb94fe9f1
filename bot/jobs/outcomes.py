"""What became of one attempt at a delivery, as the sender and its look-back share it."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.logs import fields
from bot.jobs.outbox import (
    Outgoing,
    Posted,
    record_failed,
    record_posted,
    record_retry,
    record_sent,
)
from bot.notices.notices import report_failure

# Each delivery's line is the sender's, as it always was (logger=bot.jobs.sender).
log = logging.getLogger("bot.jobs.sender")

MAX_ATTEMPTS = 8
MAX_BACKOFF_S = 300
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


def record(session: Session, outcome: Outcome, *, worker: str, now: dt.datetime) -> str:
    """Write one outcome for the sender `worker`: "sent", "retried" or "failed". After
    MAX_ATTEMPTS counted failures a delivery fails, and the coordinators are told."""
    out, problem = outcome.out, outcome.problem
    if isinstance(problem, Retry) and problem.counted and out.attempts + 1 >= MAX_ATTEMPTS:
        problem = Permanent(f"{problem} (after {MAX_ATTEMPTS} attempts)")
    ids = {"production": out.card.production_id, "notice": out.card.id, "delivery": out.id}
    if isinstance(problem, Permanent):
        log.warning("delivery failed", extra=fields(**ids, error=str(problem)))
        if record_failed(session, delivery_id=out.id, worker=worker, error=str(problem), now=now):
            report_failure(session, delivery_id=out.id, error=str(problem), now=now)
        return "failed"
    if isinstance(problem, Retry):
        delay = problem.delay if problem.delay is not None else backoff(out.attempts)
        log.info(
            "delivery retried", extra=fields(**ids, error=str(problem), retry_in=round(delay, 1))
        )
        _retried(
            session, outcome, problem, worker=worker, retry_at=now + dt.timedelta(seconds=delay)
        )
        return "retried"
    log.info("delivery sent", extra=fields(**ids, attempt=out.attempts + 1))
    _sent(session, outcome, worker=worker, now=now)
    return "sent"


def record_all(
    session: Session, outcomes: list[Outcome], *, worker: str, now: dt.datetime
) -> list[str]:
    """Write the outcomes of one moment, as record writes each: the posts that went out
    together, in three statements however many (outbox.record_posted), the rest one by one."""
    went = [outcome for outcome in outcomes if outcome.problem is None]
    kinds = [
        record(session, outcome, worker=worker, now=now)
        for outcome in outcomes
        if outcome.problem is not None
    ]
    record_posted(session, [_posted(outcome) for outcome in went], worker=worker, now=now)
    for outcome in went:
        ids = {"production": outcome.out.card.production_id, "notice": outcome.out.card.id}
        log.info("delivery sent", extra=fields(**ids, delivery=outcome.out.id,
                                                attempt=outcome.out.attempts + 1))  # fmt: skip
    return kinds + ["sent"] * len(went)


def _posted(outcome: Outcome) -> Posted:
    out = outcome.out
    return Posted(
        delivery_id=out.id,
        notice_id=out.card.id,
        user_id=outcome.user_id,
        channel=outcome.channel or "",
        ts=outcome.ts or "",
        first=out.sends == 0,
        shown_count=out.tally.acknowledged if out.tally else None,
        detail=out.detail,
        shown=out.shown,
    )


def _retried(
    session: Session, outcome: Outcome, problem: Retry, *, worker: str, retry_at: dt.datetime
) -> None:
    record_retry(
        session,
        delivery_id=outcome.out.id,
        worker=worker,
        error=str(problem),
        retry_at=retry_at,
        counted=problem.counted,
        uncertain=problem.uncertain,
        channel=outcome.channel,
    )


def _sent(session: Session, outcome: Outcome, *, worker: str, now: dt.datetime) -> None:
    out = outcome.out
    record_sent(
        session,
        delivery_id=out.id,
        worker=worker,
        user_id=outcome.user_id,
        channel=outcome.channel or "",
        ts=outcome.ts or "",
        now=now,
        shown_count=out.tally.acknowledged if out.tally else None,
        first=out.sends == 0,
        detail=out.detail,
        shown=out.shown,
    )


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: 1, 2, 4 ... at most 5 min."""
    return float(min(MAX_BACKOFF_S, 2**attempts))
