"""The sender: posts the outbox's due deliveries to Slack and keeps posted ones up to date.

Any number of senders may run against one database (bot/jobs/outbox.py says how
they share the work). Each posts with bounded concurrency, never faster than one
message a second into one channel, and stops posting altogether for as long as a
429's Retry-After asks. A failure is recorded on the delivery and retried with
backoff; after MAX_ATTEMPTS, or at once for an error that retrying cannot cure, the
delivery fails and the coordinators are told.

A DM is one call: a post to the person's user id lands in the app's DM with them, and
the DM's channel id comes back to be kept. A delivery whose earlier post may have
reached Slack (its answer was lost, or its sender died) is looked for before it is
posted again. Apps outside the Slack Marketplace may read a conversation's history
once a minute per workspace, 15 messages a page, so those reads are paced per
workspace and made one per conversation: one read settles every uncertain delivery
in that conversation.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.logs import fields
from bot.core.schedule import Schedules
from bot.jobs.lookback import HISTORY_EVERY_S, Lookback
from bot.jobs.messages import posted_message, updated_messages
from bot.jobs.outbox import (
    Outgoing,
    claim_due,
    release_claims,
    renew_claims,
)
from bot.jobs.outcomes import Outcome, Permanent, Retry, record, record_all
from bot.jobs.pacer import Pacer
from bot.jobs.refreshes import Refresh, claim_refreshes, refresh_failed
from bot.jobs.sender_api import TokenSource, WebApi
from bot.notices.blocks import delivery_metadata
from bot.notices.cards import NoticeCard
from bot.planning.day_notices import all_written_now
from bot.storage.db import Database

# A sender's clock: the run's `now`, moved on as the run goes.
Clock = Callable[[], dt.datetime]

log = logging.getLogger(__name__)

# A live sender renews its claims every HEARTBEAT_S while it works on them; a claim
# not renewed for LEASE belongs to a sender that died, and is taken over.
HEARTBEAT_S = 3.0
LEASE = dt.timedelta(seconds=12)
SEND_TIMEOUT = 5
# A channel post's count is updated at most this often.
TALLY_EVERY = dt.timedelta(seconds=3)
REFRESH_RETRY = dt.timedelta(seconds=30)
# Outcomes of posts are recorded together, at least this often while posts go out.
RECORD_EVERY_S = 0.05


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    refreshed: int = 0

    def add(self, outcome: str) -> None:
        """Count one more delivery with this outcome."""
        setattr(self, outcome, getattr(self, outcome) + 1)


class Sender:
    """Posts due deliveries; `run(now=...)` is called on a timer by the scheduler."""

    def __init__(
        self,
        db: Database,
        client: WebClient,
        *,
        concurrency: int = 16,
        lease: dt.timedelta = LEASE,
        tally_every: dt.timedelta = TALLY_EVERY,
        worker: str | None = None,
        tokens: TokenSource | None = None,
        history_every: float = HISTORY_EVERY_S,
        history_burst: int = 1,
        post_every: float = 1.0,
    ) -> None:
        self.db = db
        self.api = WebApi(client, tokens, Pacer(post_every))
        # Slack takes a message a second into each channel.
        self.pacer = self.api.pacer
        self.lease = lease
        self.tally_every = tally_every
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.concurrency = concurrency
        # Claimed ahead of the pool, so that a thread never waits for the database.
        self.batch = concurrency * 2
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="crewcall-sender")
        # Set by stop(): claim nothing more, hand back what is not yet being posted.
        self._stopping = threading.Event()
        # Looking for posts that may have been made before posting again.
        self.lookback = Lookback(
            client, self.api.call, self.api.token, every=history_every, burst=history_burst
        )
        # Schedules for writing shoot-day messages as they stand (only this thread reads it).
        self._schedules = Schedules(kept=64)

    def run(self, *, now: dt.datetime, budget: float = 20.0) -> SendReport:
        """Send what is due until nothing is or `budget` seconds pass; then update posts."""
        started = time.monotonic()

        def clock() -> dt.datetime:
            return now + dt.timedelta(seconds=time.monotonic() - started)

        report = SendReport()
        self._post_due(report, clock, deadline=started + budget)
        if not self._stopping.is_set():
            report.refreshed = self._refresh_posted(clock)
        return report

    def _post_due(self, report: SendReport, clock: Clock, *, deadline: float) -> None:
        """Post due deliveries until none are left, `deadline` (monotonic) passes or stop().

        The pool is kept full: as posts finish, more deliveries are claimed, so no post
        waits for a slow one; their outcomes are recorded together, every RECORD_EVERY_S
        or as soon as half the pool's worth wait (a transaction costs as much as the rows
        it writes). Pool threads only talk to Slack; this thread alone writes to the
        database. An outcome not yet recorded when a sender dies is one the look-back
        finds: its post carries the delivery in its metadata.
        """
        in_flight: dict[Future, Outgoing] = {}
        waiting: list[Outcome] = []
        exhausted = False
        renewed = recorded = time.monotonic()
        while True:
            if self._stopping.is_set():
                exhausted = True
                self._hand_back(in_flight)
            if not exhausted and len(in_flight) < self.concurrency:
                exhausted = self._claim_more(in_flight, report, clock)
                exhausted = exhausted or time.monotonic() >= deadline
            if not in_flight and not waiting:
                return
            if in_flight:
                timeout = RECORD_EVERY_S if waiting else HEARTBEAT_S
                done, _ = wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    del in_flight[future]
                    outcome = future.result()
                    self._judge(outcome)
                    waiting.append(outcome)
            now = time.monotonic()
            record_now = waiting and (
                not in_flight
                or len(waiting) >= self.concurrency // 2
                or now - recorded >= RECORD_EVERY_S
            )
            renew_now = in_flight and now - renewed >= HEARTBEAT_S
            if not (record_now or renew_now):
                continue
            with self.db.transaction() as session:
                if record_now:
                    for kind in record_all(session, waiting, worker=self.worker, now=clock()):
                        report.add(kind)
                    waiting, recorded = [], now
                if renew_now:
                    # Claims still being worked on must not look abandoned.
                    renew_claims(session, worker=self.worker, now=clock())
                    renewed = now

    def _claim_more(
        self, in_flight: dict[Future, Outgoing], report: SendReport, clock: Clock
    ) -> bool:
        """Claim due deliveries to fill the batch and start posting them; True when fewer
        were due than wanted. Deliveries the look-back settles are recorded at once."""
        wanted = self.batch - len(in_flight)
        with self.db.transaction() as session:
            batch = claim_due(
                session, now=clock(), limit=wanted, worker=self.worker, lease=self.lease
            )
            # Shoot-day messages in the words of the schedule as it is now.
            batch = all_written_now(session, batch, self._schedules)
        batch, settled = self.lookback.settle(batch)
        if settled:
            with self.db.transaction() as session:
                for outcome in settled:
                    report.add(self._record(session, outcome, clock()))
        in_flight |= {self._pool.submit(self._deliver, out): out for out in batch}
        return len(batch) < wanted

    def _refresh_posted(self, clock: Clock) -> int:
        """Bring posted messages whose notice changed up to date; how many went through."""
        with self.db.transaction() as session:
            refreshes = claim_refreshes(
                session, now=clock(), limit=self.batch, tally_every=self.tally_every
            )
        return sum(self._pool.map(lambda item: self._refresh(item, clock), refreshes))

    def stop(self) -> None:
        """At shutdown: claim nothing more; the run in progress hands back what it has not
        started posting and finishes only the posts under way (each at most SEND_TIMEOUT)."""
        self._stopping.set()

    def close(self) -> None:
        """Wait for the posts under way, then let the pool's threads go."""
        self._pool.shutdown(wait=True)

    def _hand_back(self, in_flight: dict[Future, Outgoing]) -> None:
        """Give back the claims whose posts have not started, for another sender."""
        unstarted = [future for future in in_flight if future.cancel()]
        if not unstarted:
            return
        ids = [in_flight.pop(future).id for future in unstarted]
        with self.db.transaction() as session:
            released = release_claims(session, worker=self.worker, delivery_ids=ids)
        log.info("stopping: handed back deliveries", extra=fields(handed_back=released))

    # -- one delivery

    def _deliver(self, out: Outgoing) -> Outcome:
        """Post one delivery (in a pool thread); what happened, to be recorded."""
        user_id, channel = out.slack_user_id, out.channel
        try:
            if not out.to_channel:
                user_id = user_id or self.api.user_by_email(out.card, out.email or "")
                # Posted to the user id, a DM lands in the app's DM with them.
                channel = channel or user_id
            assert channel is not None
            channel, ts = self._post(out, channel)
            return Outcome(out, user_id=user_id, channel=channel, ts=ts)
        except (Retry, Permanent) as problem:
            return Outcome(out, user_id=user_id, channel=channel, problem=problem)

    def _record(self, session: Session, outcome: Outcome, now: dt.datetime) -> str:
        """Write one outcome: "sent", "retried" or "failed"; remember whether a post may
        have been made, for the look-back."""
        self._judge(outcome)
        return record(session, outcome, worker=self.worker, now=now)

    def _judge(self, outcome: Outcome) -> None:
        """Remember, for the look-back, whether the attempt may have posted after all."""
        problem = outcome.problem
        if isinstance(problem, Retry) and problem.uncertain:
            self.lookback.doubt(outcome.out.id)
        else:
            self.lookback.trust(outcome.out.id)

    def _post(self, out: Outgoing, channel: str) -> tuple[str, str]:
        """Post the delivery: the channel it landed in (a DM's id for a user id) and its ts."""
        send = out.sends + 1
        reminder = not out.to_channel and out.sends and out.card.acknowledge
        link = self.api.permalink(out.card, channel, out.ts) if reminder and out.ts else None
        fallback, blocks = posted_message(out, link=link)
        with self.api.slot(channel):
            response = self.api.call(
                self.api.client.chat_postMessage,
                out.card,
                posting=True,
                channel=channel,
                text=fallback,
                blocks=blocks,
                unfurl_links=False,
                metadata=delivery_metadata(notice_id=out.card.id, delivery_id=out.id, send=send),
            )
        landed = str(response.get("channel") or channel)
        if out.sends and out.nudge_ts:
            self._delete(out.card, landed, out.nudge_ts)
        return landed, str(response["ts"])

    def _delete(self, card: NoticeCard, channel: str, ts: str) -> None:
        """Take down the reminder a newer one replaces: one reminder in the DM, and the
        only one showing the call, is the latest. If Slack refuses, the old one stays."""
        try:
            self.api.call(self.api.client.chat_delete, card, channel=channel, ts=ts)
        except (Retry, Permanent) as problem:
            log.info("an older reminder was not taken down", extra=fields(error=str(problem)))

    # -- one update

    def _refresh(self, item: Refresh, clock: Clock) -> int:
        """Update a posted message to its current state; 1 if it went through."""
        try:
            for ts, text, shown in updated_messages(item):
                with self.api.slot(item.channel):
                    self.api.call(
                        self.api.client.chat_update,
                        item.card,
                        channel=item.channel,
                        ts=ts,
                        text=text,
                        blocks=shown,
                    )
        except Permanent:
            return 0  # the message is gone, or no longer ours to update
        except Retry as retry:
            delay = dt.timedelta(seconds=retry.delay) if retry.delay else REFRESH_RETRY
            with self.db.transaction() as session:
                refresh_failed(session, delivery_id=item.id, retry_at=clock() + delay)
            return 0
        return 1
