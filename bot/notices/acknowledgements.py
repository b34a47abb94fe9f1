"""Acknowledging a notice: recorded once per person and version, however often they click."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from bot.notices.cards import CARD_COLUMNS, NoticeCard
from bot.storage.db import changed
from bot.storage.models import AuditAction, AuditEntry, Delivery, Notice, Production, Workspace


@dataclass(frozen=True)
class Acknowledgement:
    """The outcome of a click on Acknowledge."""

    card: NoticeCard
    # The clicker's delivery: None when the notice was not sent to them.
    delivery_id: int | None
    detail: str = ""
    acknowledged_at: dt.datetime | None = None
    # True when this click recorded it; False when it was already recorded (or can't be).
    recorded: bool = False
    superseded: bool = False
    superseded_by: int | None = None
    # The delivery's message (its first post) in the person's DM; whether a reminder followed.
    ts: str | None = None
    reminded: bool = False


def acknowledge(
    session: Session, *, notice_id: int, team_id: str, user_id: str, now: dt.datetime
) -> Acknowledgement | None:
    """Record that `user_id` acknowledged this notice version; once, however often they click.

    None when there is no such notice in the workspace `team_id`. A notice that was not
    sent to the person, or has been superseded, is not acknowledged: the outcome says
    which. Three plain statements, as it runs on every click: one read, a conditional
    update, the audit.
    """
    found = _clicked(session, notice_id=notice_id, team_id=team_id, user_id=user_id)
    if found is None:
        return None
    card = NoticeCard(*found[: len(CARD_COLUMNS)])
    if found.delivery_id is None or not card.acknowledge:
        return Acknowledgement(card, None)
    if found.superseded_at is not None:
        newer = session.scalar(select(Notice.id).where(Notice.supersedes_id == notice_id))
        return Acknowledgement(
            card, found.delivery_id, found.detail, superseded=True, superseded_by=newer, ts=found.ts
        )
    if found.acknowledged_at is not None:
        return Acknowledgement(
            card, found.delivery_id, found.detail, found.acknowledged_at, ts=found.ts
        )
    if not _record(session, notice_id, found.delivery_id, user_id=user_id, now=now):
        at = session.scalar(
            select(Delivery.acknowledged_at).where(Delivery.id == found.delivery_id)
        )
        return Acknowledgement(card, found.delivery_id, found.detail, at, ts=found.ts)
    return Acknowledgement(
        card,
        found.delivery_id,
        found.detail,
        now,
        recorded=True,
        ts=found.ts,
        reminded=found.nudge_ts is not None,
    )


def _clicked(session: Session, *, notice_id: int, team_id: str, user_id: str) -> Row | None:
    """The notice's card, whether it was superseded, and the clicker's delivery, if any."""
    mine = (Delivery.notice_id == Notice.id) & (Delivery.slack_user_id == user_id)
    return session.execute(
        select(
            *CARD_COLUMNS,
            Notice.superseded_at,
            Delivery.id.label("delivery_id"),
            Delivery.detail,
            Delivery.acknowledged_at,
            Delivery.ts,
            Delivery.nudge_ts,
        )
        .join(Production, Notice.production_id == Production.id)
        .join(Workspace, Production.workspace_id == Workspace.id)
        .outerjoin(Delivery, mine & Delivery.crew_member_id.is_not(None))
        .where(Notice.id == notice_id, Workspace.team_id == team_id)
    ).first()


def _record(
    session: Session, notice_id: int, delivery_id: int, *, user_id: str, now: dt.datetime
) -> bool:
    """Acknowledged now, and audited, unless already acknowledged: False then.

    The condition makes a concurrent second click update nothing: once, whatever the race.
    """
    recorded = changed(
        session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.acknowledged_at.is_(None))
            .values(acknowledged_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if not recorded:
        return False
    session.execute(
        insert(AuditEntry).values(
            notice_id=notice_id,
            delivery_id=delivery_id,
            action=AuditAction.ACKNOWLEDGED,
            actor=user_id,
            detail="",
            at=now,
        )
    )
    return True


def show_acknowledged(session: Session, *, delivery_id: int, now: dt.datetime) -> None:
    """Have the sender update the person's message (and latest reminder) to show it is
    acknowledged: for a click anywhere but on that message itself."""
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.ts.is_not(None))
        .values(refresh_due=now)
        .execution_options(synchronize_session=False)
    )
