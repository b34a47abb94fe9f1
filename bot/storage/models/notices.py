"""Notices and their deliveries, the audit log, schedule changes, and what has happened once."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clock import now as utcnow
from bot.storage.models.base import Base, stored_enum
from bot.storage.models.kinds import (
    AuditAction,
    ChangeStatus,
    DeliveryStatus,
    NoticeKind,
    OccurrenceKind,
)

if TYPE_CHECKING:  # relationships name their classes; the mapper resolves them
    from bot.storage.models.crew import CrewMember


class ProcessedEvent(Base):
    """An Events API delivery already handled, so that Slack's retries do nothing twice."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class Notice(Base):
    """Something people must read (and usually acknowledge): one version of it."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_production_subject", "production_id", "kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(stored_enum(NoticeKind, "notice_kind"))
    # What the notice is about ("day:2026-11-24", "script"): a newer notice on the same
    # subject supersedes the older one. None: it stands alone.
    subject: Mapped[str | None] = mapped_column(String(100))
    shoot_day_id: Mapped[int | None] = mapped_column(
        ForeignKey("shoot_days.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("notices.id", ondelete="SET NULL"), unique=True
    )
    superseded_at: Mapped[dt.datetime | None]
    urgent: Mapped[bool] = mapped_column(default=False)
    acknowledge: Mapped[bool] = mapped_column(default=True, doc="carries an Acknowledge button")
    author: Mapped[str | None] = mapped_column(String(32), doc="Slack user id; None: Crewcall")
    title: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text, default="")
    # Follow-ups stop here (a call sheet means nothing after the day's wrap).
    expires_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    deliveries: Mapped[list[Delivery]] = relationship(back_populates="notice")


class Delivery(Base):
    """One notice to one person's DM, or (no crew member) its post in the crew channel."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("notice_id", "crew_member_id"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_slack_user_id", "slack_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    crew_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("crew_members.id", ondelete="CASCADE")
    )
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    # Looked up with users.lookupByEmail when the person has no Slack id yet.
    email: Mapped[str | None] = mapped_column(String(320))
    # This person's own part of the notice ("Your call Tue 24 Nov: 06:30, was 07:00").
    detail: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str | None] = mapped_column(String(32))
    # The message (its first post), and the latest reminder posted after it.
    ts: Mapped[str | None] = mapped_column(String(32))
    nudge_ts: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[DeliveryStatus] = mapped_column(
        stored_enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    next_attempt_at: Mapped[dt.datetime | None]
    claimed_at: Mapped[dt.datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    # An attempt may have reached Slack without an answer: look before posting again.
    check_first: Mapped[bool] = mapped_column(default=False)
    # Messages posted for this delivery so far (the first, then one per nudge).
    sends: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[dt.datetime | None]
    acknowledged_at: Mapped[dt.datetime | None]
    renotify_count: Mapped[int] = mapped_column(default=0)
    last_notified_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]
    # The posted message is out of date (superseded) and is to be updated.
    refresh_due: Mapped[dt.datetime | None]
    refreshed_at: Mapped[dt.datetime | None]
    # Channel posts: the acknowledgement count the message shows.
    shown_count: Mapped[int | None]
    # A shoot day's notice to a person: the call and day it last showed them
    # (bot/planning/day_notices), and for a schedule change, the call before the change
    # (for when nothing was shown yet).
    before: Mapped[dict | None] = mapped_column(JSON)
    shown: Mapped[dict | None] = mapped_column(JSON)

    notice: Mapped[Notice] = relationship(back_populates="deliveries")
    crew_member: Mapped[CrewMember | None] = relationship()


class AuditEntry(Base):
    """What happened to a notice: every send, acknowledgement, nudge and escalation."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"))
    action: Mapped[AuditAction] = mapped_column(stored_enum(AuditAction, "audit_action"))
    actor: Mapped[str | None] = mapped_column(String(32), doc="Slack user id; None: Crewcall")
    detail: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScheduleChange(Base):
    """A coordinator's change to one shoot day: proposed (previewed), then sent or cancelled."""

    __tablename__ = "schedule_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    shoot_day_id: Mapped[int] = mapped_column(
        ForeignKey("shoot_days.id", ondelete="CASCADE"), index=True
    )
    # The day's revision the preview was made from: a later one makes the preview stale.
    base_revision: Mapped[int]
    author: Mapped[str | None] = mapped_column(String(32), doc="Slack user id; None: an import")
    # The change as bot/changes/change.py writes it (Change.as_json).
    change: Mapped[dict] = mapped_column(JSON)
    status: Mapped[ChangeStatus] = mapped_column(
        stored_enum(ChangeStatus, "change_status"), default=ChangeStatus.PROPOSED
    )
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]


class Occurrence(Base):
    """One automatic message planned for one person (or the crew channel) on one day.

    Unique per (production, kind, day, person): whichever scheduler inserts the row
    first sends the message, and no other can. `person` is the crew member's id, or
    0 for the crew channel's post (or a check made once for the whole production).
    """

    __tablename__ = "occurrences"
    __table_args__ = (UniqueConstraint("production_id", "kind", "day", "person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    kind: Mapped[OccurrenceKind] = mapped_column(stored_enum(OccurrenceKind, "occurrence_kind"))
    day: Mapped[dt.date] = mapped_column(Date)
    person: Mapped[int]
    # When it was due, and the notice that carried it.
    due_at: Mapped[dt.datetime]
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
