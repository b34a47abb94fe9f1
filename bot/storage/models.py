"""Database models. Timestamps are aware UTC; local times are wall-clock in a production's zone."""

from __future__ import annotations

import datetime as dt
import enum
from typing import ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    MetaData,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.storage.db import UTCDateTime

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
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="productions")
    crew: Mapped[list[CrewMember]] = relationship(
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
    department: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.CREW)
    phone: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_utcnow)

    production: Mapped[Production] = relationship(back_populates="crew")


class ProcessedEvent(Base):
    """An Events API delivery already handled, so that Slack's retries do nothing twice."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=_utcnow, index=True)
