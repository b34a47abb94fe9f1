"""The outbox's queries: claiming due deliveries and recording what became of them.

A claim marks rows `sending` with the claimant's name and time, inside one short
transaction. On PostgreSQL the claiming SELECT uses FOR UPDATE SKIP LOCKED, so
several senders take disjoint rows without waiting on each other. On SQLite the
transaction begins IMMEDIATE (bot/storage/db.py), so claims from several processes
run one after another and cannot overlap. A claim older than the lease belongs to
a sender that died; it is taken again, and its post is looked for before repeating it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import cast

from sqlalchemy import (
    BindParameter,
    Table,
    Update,
    and_,
    bindparam,
    case,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.notices.cards import NoticeCard
from bot.notices.standing import Tally, tallies
from bot.storage.db import changed
from bot.storage.models import (
    AuditAction,
    AuditEntry,
    Delivery,
    DeliveryStatus,
    Notice,
    Production,
)


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery with everything needed to post it."""

    id: int
    card: NoticeCard
    slack_user_id: str | None
    email: str | None
    detail: str
    channel: str | None
    sends: int
    attempts: int
    # A previous attempt may have posted: look for it before posting.
    check_first: bool
    since: dt.datetime
    superseded: bool
    # The crew channel's post (with its count so far) rather than a person's DM.
    to_channel: bool
    tally: Tally | None
    # The person's crew entry (None for the channel's post).
    member_id: int | None = None
    # A shoot day's notice: the call it shows the person (as bot/planning/day_notices keeps it) ...
    shown: dict | None = None
    # ... and, for a schedule change, their call before the change.
    before: dict | None = None
    # The original post's ts, which a reminder links to, and the latest reminder's.
    ts: str | None = None
    nudge_ts: str | None = None
    # What a reminder asks the person to acknowledge (empty: the notice's title).
    about: str = ""

    @classmethod
    def of(
        cls, delivery: Delivery, notice: Notice, production: Production, *, tally: Tally | None
    ) -> Outgoing:
        """A claimed delivery as the sender needs it, with its notice and production."""
        return cls(
            id=delivery.id,
            card=NoticeCard.of(notice, production),
            slack_user_id=delivery.slack_user_id,
            email=delivery.email,
            detail=delivery.detail,
            channel=delivery.channel,
            sends=delivery.sends,
            attempts=delivery.attempts,
            check_first=delivery.check_first,
            since=notice.created_at,
            superseded=notice.superseded_at is not None,
            to_channel=delivery.crew_member_id is None,
            tally=tally,
            member_id=delivery.crew_member_id,
            shown=delivery.shown,
            before=delivery.before,
            ts=delivery.ts,
            nudge_ts=delivery.nudge_ts,
        )


def claim_due(
    session: Session, *, now: dt.datetime, limit: int, worker: str, lease: dt.timedelta
) -> list[Outgoing]:
    """Take up to `limit` deliveries that are due, or whose claimant's lease ran out."""
    due = or_(
        and_(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now),
        and_(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < now - lease),
    )
    query = select(Delivery.id, Delivery.status).where(due).order_by(Delivery.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = session.execute(query).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    abandoned = [row.id for row in rows if row.status == DeliveryStatus.SENDING]
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids))
        .values(
            status=DeliveryStatus.SENDING,
            claimed_at=now,
            claimed_by=worker,
            check_first=or_(Delivery.check_first, Delivery.id.in_(abandoned)),
        )
        .execution_options(synchronize_session=False)
    )
    found, counts = with_notices(session, ids)
    return [
        Outgoing.of(delivery, notice, production, tally=counts.get(notice.id))
        for delivery, notice, production in found
    ]


def renew_claims(session: Session, *, worker: str, now: dt.datetime) -> None:
    """Keep this sender's claims from looking abandoned while it works on them."""
    session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_by == worker)
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )


def release_claims(session: Session, *, worker: str, delivery_ids: list[int]) -> int:
    """Hand back claims this sender will not work on (it is stopping): due again at once."""
    if not delivery_ids:
        return 0
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.id.in_(delivery_ids),
            Delivery.status == DeliveryStatus.SENDING,
            Delivery.claimed_by == worker,
        )
        .values(status=DeliveryStatus.PENDING, claimed_at=None, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return changed(result)


def with_notices(
    session: Session, ids: list[int]
) -> tuple[list[tuple[Delivery, Notice, Production]], dict[int, Tally]]:
    """These deliveries with their notices and productions, and the channel posts' counts."""
    found = session.execute(
        select(Delivery, Notice, Production)
        .join(Notice, Delivery.notice_id == Notice.id)
        .join(Production, Notice.production_id == Production.id)
        .where(Delivery.id.in_(ids))
        .order_by(Delivery.id)
    ).all()
    rows = [(delivery, notice, production) for delivery, notice, production in found]
    posts = {notice.id for delivery, notice, _ in rows if delivery.crew_member_id is None}
    return rows, tallies(session, notice_ids=posts)


def _mine(delivery_id: int, worker: str):
    """Only the claimant may record an outcome: a sender whose lease ran out may not."""
    return and_(
        Delivery.id == delivery_id,
        Delivery.status == DeliveryStatus.SENDING,
        Delivery.claimed_by == worker,
    )


def record_sent(
    session: Session,
    *,
    delivery_id: int,
    worker: str,
    user_id: str | None,
    channel: str,
    ts: str,
    now: dt.datetime,
    shown_count: int | None = None,
    first: bool = True,
    detail: str | None = None,
    shown: dict | None = None,
) -> bool:
    """The post went out: remember where, so it can be updated. False if no longer ours.

    The first post is the message: its ts and words are kept, for updating it later. A
    reminder after it (`first` False) is only counted, with the call it showed.
    """
    kept: dict = {"ts": ts} if first else {"nudge_ts": ts}
    if first and detail is not None:
        kept["detail"] = detail
    if shown is not None:
        kept["shown"] = shown
    done = session.execute(
        update(Delivery)
        .where(_mine(delivery_id, worker))
        .values(
            **kept,
            status=DeliveryStatus.SENT,
            slack_user_id=user_id,
            channel=channel,
            sends=Delivery.sends + 1,
            attempts=Delivery.attempts + 1,
            sent_at=case((Delivery.sent_at.is_(None), now), else_=Delivery.sent_at),
            last_notified_at=now,
            last_error="",
            check_first=False,
            claimed_by=None,
            shown_count=shown_count,
            # Superseded while it was being posted: the post needs marking out of date.
            refresh_due=case((_superseded(), now), else_=Delivery.refresh_due),
        )
        .returning(Delivery.notice_id)
    ).scalar()
    if done is not None:
        session.add(_audit(AuditAction.SENT, done, delivery_id, detail=f"by {worker}", at=now))
    return done is not None


@dataclass(frozen=True)
class Posted:
    """A post that went out, to be recorded with the others of its moment (record_posted)."""

    delivery_id: int
    notice_id: int
    user_id: str | None
    channel: str
    ts: str
    # The first post is the message (its ts and words are kept); later ones are reminders.
    first: bool
    shown_count: int | None = None
    detail: str | None = None
    shown: dict | None = None


def record_posted(
    session: Session, posts: list[Posted], *, worker: str, now: dt.datetime
) -> set[int]:
    """Record posts that went out, as record_sent does one, in three statements however
    many there are; the ids of those still this sender's to record (a sender whose lease
    ran out may not). On PostgreSQL the rows are locked until the transaction ends."""
    if not posts:
        return set()
    ids = [post.delivery_id for post in posts]
    ours = set(session.scalars(_STILL_OURS, {"ids": ids, "worker": worker}))
    shapes: dict[tuple[str, ...], list[dict]] = {}
    for post in posts:
        if post.delivery_id in ours:
            kept = _kept(post)
            row = {"_id": post.delivery_id, "_now": now, **kept}
            shapes.setdefault(tuple(sorted(kept)), []).append(row)
    for shape, rows in shapes.items():
        session.connection().execute(_sent_update(shape), rows)
    entries = [
        {"notice_id": post.notice_id, "delivery_id": post.delivery_id,
         "action": AuditAction.SENT, "detail": f"by {worker}", "at": now}
        for post in posts if post.delivery_id in ours
    ]  # fmt: skip
    if entries:
        session.execute(insert(AuditEntry), entries)
    return ours


def _kept(post: Posted) -> dict:
    """A post's own values: where it went, its ts (or, for a reminder, the reminder's)."""
    kept: dict = {"ts": post.ts} if post.first else {"nudge_ts": post.ts}
    if post.first and post.detail is not None:
        kept["detail"] = post.detail
    if post.shown is not None:
        kept["shown"] = post.shown
    return kept | {"slack_user_id": post.user_id, "channel": post.channel,
                   "shown_count": post.shown_count}  # fmt: skip


# Which of the posts' deliveries are still this sender's claims (locked, on PostgreSQL).
_STILL_OURS = (
    select(Delivery.id)
    .where(
        Delivery.id.in_(bindparam("ids", expanding=True)),
        Delivery.status == DeliveryStatus.SENDING,
        Delivery.claimed_by == bindparam("worker"),
    )
    .with_for_update()
)


@functools.cache
def _sent_update(shape: tuple[str, ...]) -> Update:
    """The UPDATE record_sent makes, for many rows at once, each row's own values bound:
    one statement per shape (which columns a post sets), compiled once."""
    table = cast(Table, Delivery.__table__)
    now: BindParameter[dt.datetime] = bindparam("_now")
    return (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values(
            **{name: bindparam(name) for name in shape},
            status=DeliveryStatus.SENT,
            sends=table.c.sends + 1,
            attempts=table.c.attempts + 1,
            sent_at=case((table.c.sent_at.is_(None), now), else_=table.c.sent_at),
            last_notified_at=now,
            last_error="",
            check_first=False,
            claimed_by=None,
            refresh_due=case((_superseded(), now), else_=table.c.refresh_due),
        )
    )


def _audit(
    action: AuditAction, notice_id: int, delivery_id: int, *, detail: str, at: dt.datetime
) -> AuditEntry:
    return AuditEntry(
        notice_id=notice_id, delivery_id=delivery_id, action=action, detail=detail, at=at
    )


def _superseded():
    """Whether a delivery's notice has been superseded (a correlated subquery)."""
    return (
        select(Notice.superseded_at)
        .where(Notice.id == Delivery.notice_id)
        .scalar_subquery()
        .is_not(None)
    )


def record_retry(
    session: Session,
    *,
    delivery_id: int,
    worker: str,
    error: str,
    retry_at: dt.datetime,
    counted: bool,
    uncertain: bool,
    channel: str | None,
) -> bool:
    """Not sent this time; try again at `retry_at`. `counted` attempts lead to failure."""
    values: dict = {
        "status": DeliveryStatus.PENDING,
        "next_attempt_at": retry_at,
        "last_error": error[:500],
        "claimed_by": None,
    }
    if counted:
        values["attempts"] = Delivery.attempts + 1
    if uncertain:
        values["check_first"] = True
    if channel:
        values["channel"] = channel
    result = session.execute(
        update(Delivery)
        .where(_mine(delivery_id, worker))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(changed(result))


def record_failed(
    session: Session, *, delivery_id: int, worker: str, error: str, now: dt.datetime
) -> int | None:
    """Given up: the delivery failed for good. Returns its notice id, None if no longer ours."""
    notice_id = session.execute(
        update(Delivery)
        .where(_mine(delivery_id, worker))
        .values(
            status=DeliveryStatus.FAILED,
            attempts=Delivery.attempts + 1,
            last_error=error[:500],
            claimed_by=None,
        )
        .returning(Delivery.notice_id)
    ).scalar()
    if notice_id is not None:
        session.add(_audit(AuditAction.FAILED, notice_id, delivery_id, detail=error[:500], at=now))
    return notice_id
