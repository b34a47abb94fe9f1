"""Database models. Timestamps are aware UTC; local times are wall-clock in a production's zone."""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.storage.types import UTCDateTime

# Stable constraint names, so that migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WGA_COLOURS = (
    "White",
    "Blue",
    "Pink",
    "Yellow",
    "Green",
    "Goldenrod",
    "Buff",
    "Salmon",
    "Cherry",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {dt.datetime: UTCDateTime()}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Role(enum.StrEnum):
    CREW = "crew"
    HEAD = "head"
    COORDINATOR = "coordinator"


class TimeFormat(enum.StrEnum):
    H24 = "24h"
    H12 = "12h"


class DateOrder(enum.StrEnum):
    DAY_FIRST = "dmy"
    MONTH_FIRST = "mdy"


class DayStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    WRAPPED = "wrapped"


class CallKind(enum.StrEnum):
    CLOCK = "clock"
    OFFSET = "offset"
    OFF = "off"


class NoticeKind(enum.StrEnum):
    CALLSHEET = "callsheet"
    SCHEDULE_CHANGE = "schedule_change"
    SCRIPT = "script"
    ANNOUNCEMENT = "announcement"
    RENTAL = "rental"
    # Told to heads and coordinators, never acknowledged: escalations and failure reports.
    ESCALATION = "escalation"
    REPORT = "report"
    # Morning reminders before each person's call: read, never acknowledged.
    REMINDER = "reminder"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Superseded before it was sent: there is nothing left to tell.
    CANCELLED = "cancelled"


class OccurrenceKind(enum.StrEnum):
    """What the scheduler sends at a set time: each goes out once per person per day."""

    CALLSHEET = "callsheet"
    REMINDER = "reminder"
    DAILY_CHECK = "daily_check"


class RentalStatus(enum.StrEnum):
    RESERVED = "reserved"
    OUT = "out"
    RETURNED = "returned"
    LOST = "lost"
    DAMAGED = "damaged"


class RatePeriod(enum.StrEnum):
    DAY = "day"
    WEEK = "week"


class ChangeStatus(enum.StrEnum):
    PROPOSED = "proposed"
    SENT = "sent"
    CANCELLED = "cancelled"


class AuditAction(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    ACKNOWLEDGED = "acknowledged"
    NUDGED = "nudged"
    ESCALATED = "escalated"
    SUPERSEDED = "superseded"


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    """Enums are stored as their values in a plain string column with a CHECK."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class Workspace(Base):
    """A Slack workspace (team) that Crewcall is installed in."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    productions: Mapped[list[Production]] = relationship(back_populates="workspace")


class Production(Base):
    """One show: its zone, crew channel and the settings that drive automatic messages."""

    __tablename__ = "productions"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slug"),
        CheckConstraint("reminder_lead >= 0 AND reminder_lead <= 720", name="reminder_lead"),
        CheckConstraint("renotify_every >= 5 AND renotify_every <= 1440", name="renotify_every"),
        CheckConstraint("renotify_max >= 0 AND renotify_max <= 20", name="renotify_max"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64))
    crew_channel: Mapped[str] = mapped_column(String(32), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    callsheet_time: Mapped[dt.time] = mapped_column(Time, default=dt.time(18, 0))
    reminder_lead: Mapped[int] = mapped_column(default=90, doc="minutes before a call; 0 = off")
    renotify_every: Mapped[int] = mapped_column(default=30, doc="minutes")
    renotify_max: Mapped[int] = mapped_column(default=3)
    quiet_start: Mapped[dt.time] = mapped_column(Time, default=dt.time(22, 0))
    quiet_end: Mapped[dt.time] = mapped_column(Time, default=dt.time(6, 0))
    rentals_time: Mapped[dt.time] = mapped_column(Time, default=dt.time(9, 0))
    time_format: Mapped[TimeFormat] = mapped_column(
        _enum(TimeFormat, "time_format"), default=TimeFormat.H24
    )
    date_order: Mapped[DateOrder] = mapped_column(
        _enum(DateOrder, "date_order"), default=DateOrder.DAY_FIRST
    )
    revision_colours: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(WGA_COLOURS))
    # ISO 4217: rental rates written without a currency are in this one.
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    # Rises with every change to the production's crew, departments, days or calls, so that
    # each process knows when its in-memory copy of the schedule is out of date.
    schedule_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="productions")
    crew: Mapped[list[CrewMember]] = relationship(
        back_populates="production", cascade="all, delete-orphan"
    )
    departments: Mapped[list[Department]] = relationship(
        back_populates="production", cascade="all, delete-orphan"
    )


class CrewMember(Base):
    """A person on a production's crew list, with their role there."""

    __tablename__ = "crew_members"
    __table_args__ = (
        UniqueConstraint("production_id", "slack_user_id"),
        UniqueConstraint("production_id", "email"),
        CheckConstraint("slack_user_id IS NOT NULL OR email IS NOT NULL", name="identified"),
        Index("ix_crew_members_slack_user_id", "slack_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.CREW)
    phone: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    production: Mapped[Production] = relationship(back_populates="crew")
    department: Mapped[Department | None] = relationship(back_populates="members")


class Department(Base):
    """A department of a production's crew (Camera, Grip, Hair & Make-up ...)."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("production_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # Lower-cased, single-spaced name: how people and files refer to it.
    key: Mapped[str] = mapped_column(String(100))

    production: Mapped[Production] = relationship(back_populates="departments")
    members: Mapped[list[CrewMember]] = relationship(back_populates="department")


class ShootDay(Base):
    """One shoot day. Times are minutes after the day's local midnight (>= 1440: next day)."""

    __tablename__ = "shoot_days"
    __table_args__ = (
        UniqueConstraint("production_id", "date"),
        CheckConstraint("general_call >= 0 AND general_call < 2880", name="general_call"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    day_number: Mapped[int | None]
    general_call: Mapped[int]
    shooting_call: Mapped[int | None]
    wrap: Mapped[int | None]
    location_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    parking: Mapped[str] = mapped_column(String(500), default="")
    hospital: Mapped[str] = mapped_column(String(500), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[DayStatus] = mapped_column(
        _enum(DayStatus, "day_status"), default=DayStatus.SCHEDULED
    )
    # Rises with every change to the day or its calls (calendar SEQUENCE, stale previews).
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_utcnow, onupdate=_utcnow)

    scenes: Mapped[list[Scene]] = relationship(
        back_populates="day", cascade="all, delete-orphan", order_by="Scene.position"
    )
    calls: Mapped[list[Call]] = relationship(back_populates="day", cascade="all, delete-orphan")


class Scene(Base):
    """A scene shot on a day: number, set, day or night, length in eighths of a page."""

    __tablename__ = "scenes"

    id: Mapped[int] = mapped_column(primary_key=True)
    shoot_day_id: Mapped[int] = mapped_column(
        ForeignKey("shoot_days.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    number: Mapped[str] = mapped_column(String(20))
    set_name: Mapped[str] = mapped_column(String(200), default="")
    day_night: Mapped[str] = mapped_column(String(10), default="")
    eighths: Mapped[int] = mapped_column(default=0)

    day: Mapped[ShootDay] = relationship(back_populates="scenes")


class Call(Base):
    """A department's or a person's call on one day: a clock time, an offset, or off.

    A clock call is kept where it lands on the day (1440 and more: the next morning),
    so that moving the general crew call never moves it.
    """

    __tablename__ = "calls"
    __table_args__ = (
        UniqueConstraint("shoot_day_id", "department_id"),
        UniqueConstraint("shoot_day_id", "crew_member_id"),
        CheckConstraint("(department_id IS NULL) != (crew_member_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shoot_day_id: Mapped[int] = mapped_column(
        ForeignKey("shoot_days.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE")
    )
    crew_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("crew_members.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CallKind] = mapped_column(_enum(CallKind, "call_kind"))
    # CLOCK: minutes after the day's local midnight, as placed when written (bot/core/clock.py);
    # OFFSET: signed minutes from the general call.
    minutes: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(500), default="")

    day: Mapped[ShootDay] = relationship(back_populates="calls")


class ProductionChoice(Base):
    """The production a person chose with `/crewcall use <slug>`."""

    __tablename__ = "production_choices"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))

    workspace: Mapped[Workspace] = relationship()
    production: Mapped[Production] = relationship()


class ProcessedEvent(Base):
    """An Events API delivery already handled, so that Slack's retries do nothing twice."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=_utcnow, index=True)


class Notice(Base):
    """Something people must read (and usually acknowledge): one version of it."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_production_subject", "production_id", "kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind, "notice_kind"))
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
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

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
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
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
    action: Mapped[AuditAction] = mapped_column(_enum(AuditAction, "audit_action"))
    actor: Mapped[str | None] = mapped_column(String(32), doc="Slack user id; None: Crewcall")
    detail: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[dt.datetime] = mapped_column(default=_utcnow)


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
        _enum(ChangeStatus, "change_status"), default=ChangeStatus.PROPOSED
    )
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
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
    kind: Mapped[OccurrenceKind] = mapped_column(_enum(OccurrenceKind, "occurrence_kind"))
    day: Mapped[dt.date] = mapped_column(Date)
    person: Mapped[int]
    # When it was due, and the notice that carried it.
    due_at: Mapped[dt.datetime]
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)


class ScriptRevision(Base):
    """One revision of the script: its colour, the pages it replaces, and its announcement."""

    __tablename__ = "script_revisions"
    __table_args__ = (UniqueConstraint("production_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    # 1 for the first revision announced, and so on: its place in the colour sequence.
    number: Mapped[int]
    colour: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    pages: Mapped[str] = mapped_column(String(1000), doc="as written back: `12, 14-16, 23A`")
    scenes: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    author: Mapped[str | None] = mapped_column(String(32), doc="Slack user id")
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)


class Rental(Base):
    """Equipment hired for the production: what, from whom, for which department, until when."""

    __tablename__ = "rentals"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity"),
        CheckConstraint("rate_cents >= 0", name="rate_cents"),
        CheckConstraint("due_on >= pickup_on", name="due_after_pickup"),
        Index("ix_rentals_production_status", "production_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="RESTRICT"))
    vendor: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(default=1)
    pickup_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    # The rate in the currency's minor unit (pence, cents), per day or per week.
    rate_cents: Mapped[int]
    rate_period: Mapped[RatePeriod] = mapped_column(_enum(RatePeriod, "rate_period"))
    currency: Mapped[str] = mapped_column(String(3))
    po_number: Mapped[str] = mapped_column(String(50), default="")
    vendor_contact: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[RentalStatus] = mapped_column(
        _enum(RentalStatus, "rental_status"), default=RentalStatus.RESERVED
    )
    # The day it stopped costing: returned, lost or damaged (local date).
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    department: Mapped[Department] = relationship()
    events: Mapped[list[RentalEvent]] = relationship(
        back_populates="rental", order_by="RentalEvent.id", cascade="all, delete-orphan"
    )


class RentalEvent(Base):
    """A rental's history: added, each change of status, each extension."""

    __tablename__ = "rental_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    rental_id: Mapped[int] = mapped_column(ForeignKey("rentals.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(
        String(200), doc="`added`, `out -> returned`, `due 4 Dec -> 11 Dec`"
    )
    actor: Mapped[str | None] = mapped_column(String(32), doc="Slack user id; None: an import")
    at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    rental: Mapped[Rental] = relationship(back_populates="events")


class CalendarFeed(Base):
    """A calendar feed's secret: one per person, and one for the production (no person).

    The secret is the feed's address (`/calendar/<secret>.ics`); replacing it (rotating)
    keeps the row, so the feed's events keep their UIDs and sequence numbers.
    """

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        UniqueConstraint("crew_member_id"),
        Index(
            "uq_calendar_feeds_production",
            "production_id",
            unique=True,
            sqlite_where=text("crew_member_id IS NULL"),
            postgresql_where=text("crew_member_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    crew_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("crew_members.id", ondelete="CASCADE")
    )
    secret: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
    rotated_at: Mapped[dt.datetime | None]


class CalendarEvent(Base):
    """What a feed last said about one day: the SEQUENCE rises each time that changes.

    `fingerprint` digests everything the event shows; the times and summary are kept so
    that an event which has left the feed (the person is no longer called) can be written
    again, cancelled, for calendars that hold it.
    """

    __tablename__ = "calendar_events"
    __table_args__ = (UniqueConstraint("feed_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("calendar_feeds.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    summary: Mapped[str] = mapped_column(String(200))
    # The event as the feed serves it (a VEVENT), so that reading costs no writing.
    written: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)
