"""Whom a schedule change goes to: the people it affects, and those the day's live notice
(call sheet or earlier change) told, whom it replaces; never its author."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.changes.change import Impact, PersonChange
from bot.core.schedule import Schedule
from bot.notices.notices import live_notice
from bot.notices.standing import day_subject
from bot.storage.models import Delivery, DeliveryStatus, NoticeKind


@dataclass(frozen=True)
class Earlier:
    """The day's live notice before a change: what it was, and whom it went to."""

    kind: str
    # Crew member ids it went to (cancelled deliveries left out) ...
    told: frozenset[int]
    # ... and, of those it never reached, the call each had before it (Delivery.before).
    unsent_before: dict[int, dict]


def earlier_notice(session: Session, schedule: Schedule, date: dt.date) -> Earlier | None:
    """The day's live notice (call sheet or earlier change) and whom it told, if any."""
    notice = live_notice(
        session,
        production_id=schedule.production.id,
        kind=NoticeKind.SCHEDULE_CHANGE,
        subject=day_subject(date),
    )
    if notice is None:
        return None
    # (crew member id, the call they were last told, whether it never reached them)
    rows: list[tuple[int, dict | None, bool]] = session.execute(
        select(
            Delivery.crew_member_id,
            Delivery.before,
            (Delivery.sends == 0) & Delivery.acknowledged_at.is_(None),
        ).where(
            Delivery.notice_id == notice.id,
            Delivery.crew_member_id.is_not(None),
            Delivery.status != DeliveryStatus.CANCELLED,
        )
    ).all()  # type: ignore[assignment]  # SQLAlchemy types the boolean column as object
    kind = "call sheet" if notice.kind == NoticeKind.CALLSHEET else "change"
    # Never posted, nor acknowledged (which would mean it was read): it never reached them.
    unsent: dict[int, dict] = {
        member: before for member, before, unseen in rows if unseen and before
    }
    return Earlier(kind, frozenset(row[0] for row in rows), unsent)


def also_told_of(impact: Impact, earlier: Earlier | None) -> tuple[PersonChange, ...]:
    """Whoever got the day's live notice (call sheet or earlier change) and is not among
    this one's affected: this one replaces it, for them too."""
    if earlier is None:
        return ()
    affected = {p.member.id for p in impact.affected}
    return tuple(p for p in impact.people if p.member.id in earlier.told - affected)


def told(
    impact: Impact, also_told: tuple[PersonChange, ...], *, author: str | None
) -> list[PersonChange]:
    """Whom a change is sent to: the affected and those told of the day before, but never
    its author, who wrote it."""
    everyone = (*impact.affected, *also_told)
    return [p for p in everyone if author is None or p.member.slack_user_id != author]
