"""Recording posts together (outbox.record_posted): what one post at a time recorded, in
three statements however many, and never a claim another sender has taken over."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from bot.clock import now as clock_now
from bot.jobs.outbox import Posted, claim_due, record_posted
from bot.storage.db import Database
from bot.storage.models import AuditAction, AuditEntry, Delivery, DeliveryStatus
from tests.crew import make_crew
from tests.test_notices import announce_to_all

LEASE = dt.timedelta(seconds=12)


def _claimed(db: Database, *, worker: str, now: dt.datetime) -> list:
    with db.transaction() as session:
        return claim_due(session, now=now, limit=100, worker=worker, lease=LEASE)


def test_posts_are_recorded_as_one_post_at_a_time_was(db: Database) -> None:
    crew = make_crew(db, size=4)
    announce_to_all(db, crew)
    now = clock_now()
    claimed = _claimed(db, worker="w1", now=now)
    first, reminder, *rest = claimed
    # One has been posted before: this post is its reminder, and keeps the message's ts.
    with db.transaction() as session:
        session.execute(
            update(Delivery).where(Delivery.id == reminder.id).values(ts="111.000", sends=1)
        )
    posts = [
        Posted(out.id, out.card.id, out.slack_user_id, f"D{n}", f"{n}.000", out is not reminder)
        for n, out in enumerate(claimed)
    ]

    with db.transaction() as session:
        recorded = record_posted(session, posts, worker="w1", now=now)

    assert recorded == {out.id for out in claimed}
    with db.readers() as session:
        rows = {d.id: d for d in session.scalars(select(Delivery))}
        audit = list(session.scalars(select(AuditEntry)))
    assert {rows[out.id].status for out in claimed} == {DeliveryStatus.SENT}
    assert (rows[first.id].ts, rows[first.id].sends, rows[first.id].claimed_by) == (
        "0.000",
        1,
        None,
    )
    assert (rows[reminder.id].ts, rows[reminder.id].nudge_ts) == ("111.000", "1.000")
    assert rows[reminder.id].sends == 2
    assert rows[first.id].sent_at == now
    assert rows[first.id].channel == "D0"
    assert sorted((a.delivery_id, a.action, a.detail) for a in audit) == sorted(
        (out.id, AuditAction.SENT, "by w1") for out in claimed
    )
    assert rest  # and the others alike, above


def test_a_claim_taken_over_by_another_sender_is_not_recorded(db: Database) -> None:
    crew = make_crew(db, size=3)
    announce_to_all(db, crew)
    now = clock_now()
    mine = _claimed(db, worker="w1", now=now)
    # w1 stalls past its lease; w2 takes the deliveries over.
    later = now + LEASE + dt.timedelta(seconds=1)
    taken = _claimed(db, worker="w2", now=later)
    assert {out.id for out in taken} == {out.id for out in mine}
    posts = [Posted(out.id, out.card.id, None, "D1", "1.000", first=True) for out in mine]

    with db.transaction() as session:
        recorded = record_posted(session, posts, worker="w1", now=later)

    assert recorded == set()
    with db.readers() as session:
        statuses = set(session.scalars(select(Delivery.status)))
        assert session.scalars(select(AuditEntry)).first() is None
    assert statuses == {DeliveryStatus.SENDING}
