"""Looking before posting again: a delivery whose earlier post may have reached Slack
is looked for in its conversation's history first.

Apps outside the Slack Marketplace may read a conversation's history once a minute per
workspace, 15 messages a page, so reads are paced per workspace and made one per
conversation: one read settles every uncertain delivery in that conversation.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from slack_sdk import WebClient

from bot import clock
from bot.jobs.outbox import Outgoing
from bot.jobs.outcomes import Outcome, Permanent, Retry, unsettled
from bot.notices.blocks import METADATA_TYPE
from bot.notices.cards import NoticeCard

# conversations.history for apps outside the Marketplace: a read a minute per
# workspace, 15 messages a page (Marketplace apps may read more often).
HISTORY_EVERY_S = 60.0
# Approved Marketplace apps read at Tier 3: 50 a minute, and may spend them in a burst.
MARKETPLACE_HISTORY_EVERY_S = 60.0 / 50
MARKETPLACE_HISTORY_BURST = 50
HISTORY_PAGE = 15
READS_KEPT_S = 600.0


@dataclass(frozen=True)
class _Read:
    """A page of a conversation's history: when it was read (monotonic), back to when,
    each (delivery, send) it showed posted, and whether it reached back that far. A
    later page of a read settles only the deliveries waiting for its first (`covers`)."""

    at: float
    oldest: dt.datetime
    found: dict[tuple[int, int], str]
    complete: bool
    covers: frozenset[int] | None = None


class Lookback:
    """One sender's reads of conversations' histories, and what they showed."""

    def __init__(
        self,
        client: WebClient,
        call: Callable[..., dict],
        token: Callable[[NoticeCard], str | None],
        *,
        every: float = HISTORY_EVERY_S,
        burst: int = 1,
    ) -> None:
        self.client = client
        # The sender's Web API call (every failure a Retry or Permanent) and token lookup.
        self._call = call
        self._token = token
        # Each workspace's next allowed read (monotonic): reads are spent from a burst of
        # `burst` that refills one every `every` seconds.
        self.every = every
        self.burst = burst
        self._next_read: dict[str | None, float] = {}
        # Where each conversation's next page starts, and DM channel ids.
        self._cursors: dict[tuple[str | None, str], tuple[str, frozenset[int] | None]] = {}
        self._dm_channels: dict[tuple[str | None, str], str] = {}
        # The last whole read of each conversation, and when this sender's doubtful post
        # of each delivery was made: a later read shows whether it was.
        self._reads: dict[tuple[str | None, str], _Read] = {}
        self._doubted: dict[int, float] = {}

    def doubt(self, delivery_id: int) -> None:
        """A post of this delivery may have been made just now (its answer was lost)."""
        self._doubted.setdefault(delivery_id, time.monotonic())

    def trust(self, delivery_id: int) -> None:
        """What became of this delivery's last post is known."""
        self._doubted.pop(delivery_id, None)

    def settle(self, batch: list[Outgoing]) -> tuple[list[Outgoing], list[Outcome]]:
        """The batch with each uncertain delivery settled: found posted (an outcome to
        record), not posted (back in the batch to post), or still unknown until the
        workspace's next history read (an outcome that retries then).

        One read answers for every uncertain delivery in its conversation, in this batch
        and in later ones whose doubtful post this sender made before the read; a
        workspace reads at most once every `every` seconds.
        """
        to_post = [out for out in batch if not out.check_first]
        settled: list[Outcome] = []
        by_conversation: dict[tuple[str | None, str], list[Outgoing]] = defaultdict(list)
        for out in batch:
            if not out.check_first:
                continue
            if not (out.channel or out.slack_user_id):
                to_post.append(replace(out, check_first=False))  # never found, never posted
                continue
            try:
                key = (self._token(out.card), self._conversation(out))
            except (Retry, Permanent) as problem:
                settled.append(unsettled(out, problem))
                continue
            if (read := self._read_since(key, out)) is not None:
                self._settle(out, key[1], read, to_post, settled)
            else:
                by_conversation[key].append(out)
        for key, waiting in by_conversation.items():
            try:
                read = self._read_history(key, waiting)
            except (Retry, Permanent) as problem:
                settled += [unsettled(out, problem) for out in waiting]
                continue
            for out in waiting:
                self._settle(out, key[1], read, to_post, settled)
        return to_post, settled

    def _settle(
        self,
        out: Outgoing,
        conversation: str,
        read: _Read,
        to_post: list[Outgoing],
        settled: list[Outcome],
    ) -> None:
        if ts := read.found.get((out.id, out.sends + 1)):
            settled.append(Outcome(out, out.slack_user_id, conversation, ts=ts))
        elif read.complete and (read.covers is None or out.id in read.covers):
            # Not posted: post it, and a doubt about that post dates from then.
            self._doubted.pop(out.id, None)
            to_post.append(replace(out, check_first=False))
        else:
            settled.append(unsettled(out, self._wait_to_read(self._token(out.card))))

    def _read_since(self, key: tuple[str | None, str], out: Outgoing) -> _Read | None:
        """A whole read of the conversation made after this sender's doubtful post of
        `out`, which therefore shows whether that post was made."""
        read, doubted_at = self._reads.get(key), self._doubted.get(out.id)
        if read is None or doubted_at is None or not read.complete or read.covers is not None:
            return None
        return read if read.at > doubted_at and out.since >= read.oldest else None

    def _conversation(self, out: Outgoing) -> str:
        """The conversation an uncertain delivery was posted in: its channel, or for a DM
        first posted to a user id, the DM's id (conversations.open, once per person)."""
        channel = out.channel or out.slack_user_id
        assert channel is not None
        if channel[:1] not in ("U", "W"):
            return channel
        key = (self._token(out.card), channel)
        if (known := self._dm_channels.get(key)) is None:
            response = self._call(self.client.conversations_open, out.card, users=channel)
            known = self._dm_channels[key] = str(response["channel"]["id"])
        return known

    def _wait_to_read(self, token: str | None) -> Retry:
        wait = max(1.0, self._next_read.get(token, 0.0) - time.monotonic())
        return Retry("looking for an earlier post", wait, counted=False, uncertain=True)

    def _read_history(self, key: tuple[str | None, str], waiting: list[Outgoing]) -> _Read:
        """One page of the conversation's history since the oldest waiting delivery, or
        the next page of an earlier read that did not reach back that far."""
        token, conversation = key
        self._spend_read(token)
        oldest = min(out.since for out in waiting)
        cursor, covers = self._cursors.pop(key, (None, None))
        page = {"cursor": cursor} if cursor else {}
        at = time.monotonic()
        try:
            response = self._call(
                self.client.conversations_history,
                waiting[0].card,
                channel=conversation,
                oldest=f"{clock.real(oldest).timestamp():.6f}",  # Slack's ts are real time
                include_all_metadata=True,
                limit=HISTORY_PAGE,
                **page,
            )
        except Retry as retry:
            # Only reading waits: a 429 here holds no post.
            self._next_read[token] = time.monotonic() + max(retry.delay or 0, self.every)
            if cursor:
                self._cursors[key] = (cursor, covers)
            raise self._wait_to_read(token) from None
        found = _posted_in(response.get("messages", []))
        next_cursor = (response.get("response_metadata") or {}).get("next_cursor")
        # Only those waiting when the first page was read can be settled by a later page:
        # a newer post would sit above the page the cursor continues from.
        covers = covers if cursor else frozenset(out.id for out in waiting)
        complete = not (response.get("has_more") and next_cursor)
        if not complete:
            self._cursors[key] = (str(next_cursor), covers)
        read = _Read(at, oldest, found, complete, covers=None if not cursor else covers)
        if complete and not cursor:
            self._remember(key, read)
        return read

    def _spend_read(self, token: str | None) -> None:
        """Take one of the workspace's history reads, or Retry when none is left yet."""
        now = time.monotonic()
        if self._next_read.get(token, 0.0) > now:
            raise self._wait_to_read(token)
        burst_start = now - (self.burst - 1) * self.every
        self._next_read[token] = max(self._next_read.get(token, 0.0), burst_start) + self.every

    def _remember(self, key: tuple[str | None, str], read: _Read) -> None:
        stale = time.monotonic() - READS_KEPT_S
        self._reads = {k: r for k, r in self._reads.items() if r.at > stale}
        self._reads[key] = read


def _posted_in(messages: list[dict]) -> dict[tuple[int, int], str]:
    """Each (delivery, send) these messages' metadata shows posted, with its ts."""
    found: dict[tuple[int, int], str] = {}
    for message in messages:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        delivery, send = payload.get("delivery"), payload.get("send")
        # Ours all say which delivery, and which send of it, they were.
        ours = metadata.get("event_type") == METADATA_TYPE
        if ours and isinstance(delivery, int) and isinstance(send, int):
            found[(delivery, send)] = str(message["ts"])
    return found
