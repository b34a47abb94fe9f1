"""What became of one attempt at a delivery, as the sender and its look-back share it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.jobs.outbox import Outgoing


class Retry(Exception):
    """This attempt failed; try again after `delay` seconds (None: back off by attempts)."""

    def __init__(
        self, error: str, delay: float | None = None, *, counted: bool = True, uncertain: bool
    ) -> None:
        super().__init__(error)
        self.delay, self.counted, self.uncertain = delay, counted, uncertain


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
