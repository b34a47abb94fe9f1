"""Workspaces, productions, their crew and departments, and each person's chosen production."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clock import now as utcnow
from bot.storage.models.base import Base, stored_enum
from bot.storage.models.kinds import WGA_COLOURS, DateOrder, Role, TimeFormat


class Workspace(Base):
    """A Slack workspace (team) that Crewcall is installed in."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

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
        stored_enum(TimeFormat, "time_format"), default=TimeFormat.H24
    )
    date_order: Mapped[DateOrder] = mapped_column(
        stored_enum(DateOrder, "date_order"), default=DateOrder.DAY_FIRST
    )
    revision_colours: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(WGA_COLOURS))
    # ISO 4217: rental rates written without a currency are in this one.
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    # Rises with every change to the production's crew, departments, days or calls, so that
    # each process knows when its in-memory copy of the schedule is out of date.
    schedule_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

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
    role: Mapped[Role] = mapped_column(stored_enum(Role, "role"), default=Role.CREW)
    phone: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

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
