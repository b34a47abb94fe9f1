"""Keeping posted notices up to date: marked out of date, and channel posts' live counts.

Claims here are optimistic: a conditional UPDATE on the time last read, so that of
several senders exactly one updates a given post.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from bot.jobs.outbox import with_notices
from bot.notices.cards import NoticeCard
from bot.notices.standing import DAY_KINDS, Tally, tallies
from bot.storage.db import changed
from bot.storage.models import Delivery, DeliveryStatus, Notice, NoticeKind


@dataclass(frozen=True)
class Refresh:
    """A posted message to update: marked out of date, or a channel post's new count."""

    id: int
    card: NoticeCard
    detail: str
    channel: str
    ts: str
    to_channel: bool
    superseded_by: int | None
    superseded: bool
    acknowledged_at: dt.datetime | None
    tally: Tally | None
    # The latest reminder posted after the message, to be brought up to date with it.
    nudge_ts: str | None = None


def claim_refreshes(
    session: Session, *, now: dt.datetime, limit: int, tally_every: dt.timedelta
) -> list[Refresh]:
    """Posts due an update: those marked so, and channel posts whose count is behind.

    A channel post's count is updated at most once per `tally_every`, however many
    people click: hundreds of acknowledgements cost a handful of chat.update calls.
    """
    ids = _claim_marked(session, now=now, limit=limit)
    ids.extend(_claim_counts(session, now=now, cutoff=now - tally_every, exclude=ids))
    if not ids:
        return []
    rows, counts = with_notices(session, ids)
    newer = _newer_notices(session, [notice for _, notice, _ in rows])
    return [
        Refresh(
            id=delivery.id,
            card=NoticeCard.of(notice, production),
            detail=delivery.detail,
            channel=delivery.channel or "",
            ts=delivery.ts or "",
            to_channel=delivery.crew_member_id is None,
            superseded_by=newer.get(notice.id),
            superseded=notice.superseded_at is not None,
            acknowledged_at=delivery.acknowledged_at,
            tally=counts.get(notice.id),
            nudge_ts=delivery.nudge_ts,
        )
        for delivery, notice, production in rows
    ]


def _claim_marked(session: Session, *, now: dt.datetime, limit: int) -> list[int]:
    """Posts marked for an update (their notice changed), taken so no other sender does."""
    query = (
        select(Delivery.id)
        .where(
            Delivery.refresh_due <= now,
            Delivery.status == DeliveryStatus.SENT,
            Delivery.ts.is_not(None),
        )
        .order_by(Delivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if ids:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(refresh_due=None, refreshed_at=now)
            .execution_options(synchronize_session=False)
        )
    return ids


def _newer_notices(session: Session, notices: list[Notice]) -> dict[int, int]:
    """The notice that replaced each of these, where one did."""
    replaced = select(Notice.supersedes_id, Notice.id).where(
        Notice.supersedes_id.in_({notice.id for notice in notices})
    )
    newer: dict[int, int] = {old: new for old, new in session.execute(replaced) if old}
    return newer | _replacing_reminders(session, [n for n in notices if n.id not in newer])


def _replacing_reminders(session: Session, notices: list[Notice]) -> dict[int, int]:
    """For superseded morning reminders: the day's notice that replaced them."""
    reminders = {
        n.id: n.shoot_day_id
        for n in notices
        if n.kind == NoticeKind.REMINDER and n.superseded_at and n.shoot_day_id
    }
    if not reminders:
        return {}
    latest = dict(
        session.execute(
            select(Notice.shoot_day_id, func.max(Notice.id))
            .where(
                Notice.shoot_day_id.in_(set(reminders.values())),
                Notice.kind.in_(DAY_KINDS),
            )
            .group_by(Notice.shoot_day_id)
        ).all()
    )
    return {rid: latest[day] for rid, day in reminders.items() if day in latest}


# Channel posts stop following their count once the notice is this old.
COUNT_FOLLOWED_FOR = dt.timedelta(days=14)


def _claim_counts(
    session: Session, *, now: dt.datetime, cutoff: dt.datetime, exclude: list[int]
) -> list[int]:
    """Channel posts whose shown count is behind, not updated since `cutoff`; claimed."""
    posts = session.execute(
        select(Delivery.id, Delivery.notice_id, Delivery.shown_count, Delivery.refreshed_at)
        .join(Notice, Delivery.notice_id == Notice.id)
        .where(
            Delivery.crew_member_id.is_(None),
            Delivery.status == DeliveryStatus.SENT,
            Delivery.ts.is_not(None),
            or_(Delivery.refreshed_at.is_(None), Delivery.refreshed_at <= cutoff),
            Notice.acknowledge.is_(True),
            Notice.superseded_at.is_(None),
            Notice.created_at >= now - COUNT_FOLLOWED_FOR,
        )
    ).all()
    counts = tallies(session, notice_ids={post.notice_id for post in posts})
    claimed = []
    for post in posts:
        shown = counts[post.notice_id].acknowledged
        if post.id in exclude or shown == post.shown_count:
            continue
        # Conditional on the time read: of several senders, one updates the post.
        taken = changed(
            session.execute(
                update(Delivery)
                .where(Delivery.id == post.id, _same_time(Delivery.refreshed_at, post.refreshed_at))
                .values(refreshed_at=now, shown_count=shown)
                .execution_options(synchronize_session=False)
            )
        )
        if taken:
            claimed.append(post.id)
    return claimed


def _same_time(column, value: dt.datetime | None):
    return column.is_(None) if value is None else column == value


def refresh_failed(session: Session, *, delivery_id: int, retry_at: dt.datetime) -> None:
    """An update did not go through: it is tried again at `retry_at`."""
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(shown_count=None, refresh_due=retry_at)
        .execution_options(synchronize_session=False)
    )
