"""Where notices stand: how many have acknowledged each, and where one person stands on a
shoot day's live notice (call sheet or schedule change)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.storage.db import Glance
from bot.storage.models import (
    CrewMember,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeKind,
)

# A shoot day's notices: each supersedes the day's live one, whatever its kind.
DAY_KINDS = (NoticeKind.CALLSHEET, NoticeKind.SCHEDULE_CHANGE)


@dataclass(frozen=True)
class Tally:
    """How many of a notice's recipients have acknowledged it."""

    acknowledged: int
    total: int


def tallies(
    session: Session, *, notice_ids: Iterable[int], department_id: int | None = None
) -> dict[int, Tally]:
    """Acknowledged and total recipients per notice (people only, cancelled ones left out),
    of one department if given."""
    ids = list(notice_ids)
    if not ids:
        return {}
    query = (
        select(
            Delivery.notice_id,
            func.count(Delivery.acknowledged_at),
            func.count(),
        )
        .where(
            Delivery.notice_id.in_(ids),
            Delivery.crew_member_id.is_not(None),
            Delivery.status != DeliveryStatus.CANCELLED,
        )
        .group_by(Delivery.notice_id)
    )
    if department_id is not None:
        query = query.join(CrewMember, CrewMember.id == Delivery.crew_member_id).where(
            CrewMember.department_id == department_id
        )
    rows = session.execute(query)
    found = {notice_id: Tally(acked, total) for notice_id, acked, total in rows}
    return {notice_id: found.get(notice_id, Tally(0, 0)) for notice_id in ids}


def day_subject(date: dt.date) -> str:
    """The subject of a shoot day's call sheet and schedule changes: `day:2026-11-24`."""
    return f"day:{date.isoformat()}"


@dataclass(frozen=True)
class Standing:
    """Where one person stands on a live notice: which it is, and when they acknowledged."""

    notice_id: int
    acknowledged_at: dt.datetime | None
    kind: NoticeKind = NoticeKind.CALLSHEET


# Built once: /calltime runs it on every answer about the asker's own day.
_DAY_STANDING = (
    select(Notice.id, Delivery.acknowledged_at, Notice.kind)
    .join(Delivery, Delivery.notice_id == Notice.id)
    .where(
        Notice.production_id == bindparam("production_id"),
        Notice.kind.in_(DAY_KINDS),
        Notice.subject == bindparam("subject"),
        Notice.superseded_at.is_(None),
        Delivery.slack_user_id == bindparam("user_id"),
        Delivery.crew_member_id.is_not(None),
        Delivery.status != DeliveryStatus.CANCELLED,
    )
    .order_by(Notice.version.desc())
    .limit(1)
)


def day_standing(
    glance: Glance, *, production_id: int, date: dt.date, user_id: str
) -> Standing | None:
    """The person's standing on the day's live notice (call sheet or change); None if not
    sent to them. One indexed query, so that every answer shows the standing as it is."""
    rows = glance(
        _DAY_STANDING,
        {"production_id": production_id, "subject": day_subject(date), "user_id": user_id},
    )
    return Standing(*rows[0]) if rows else None
