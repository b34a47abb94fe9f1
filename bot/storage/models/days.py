"""Shoot days, their scenes and their calls."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clock import now as utcnow
from bot.storage.models.base import Base, stored_enum
from bot.storage.models.kinds import CallKind, DayStatus


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
        stored_enum(DayStatus, "day_status"), default=DayStatus.SCHEDULED
    )
    # Rises with every change to the day or its calls (calendar SEQUENCE, stale previews).
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

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
    kind: Mapped[CallKind] = mapped_column(stored_enum(CallKind, "call_kind"))
    # CLOCK: minutes after the day's local midnight, as placed when written (bot/core/clock.py);
    # OFFSET: signed minutes from the general call.
    minutes: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(500), default="")

    day: Mapped[ShootDay] = relationship(back_populates="calls")
