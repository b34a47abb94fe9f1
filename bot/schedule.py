"""Shoot days and call times: whose call is when, and where it comes from."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from bot.clock import after_anchor
from bot.errors import UserError
from bot.storage.models import (
    Call,
    CallKind,
    CrewMember,
    DayStatus,
    Department,
    Production,
    ShootDay,
)
from bot.when import When


class Source(StrEnum):
    PERSONAL = "personal"
    DEPARTMENT = "department"
    GENERAL = "general"


@dataclass(frozen=True)
class EffectiveCall:
    """A call resolved for one day: minutes after local midnight, or None when not called."""

    minutes: int | None
    source: Source
    note: str = ""
    # Minutes from the general crew call, when the call is written as an offset.
    offset: int | None = None

    @property
    def called(self) -> bool:
        return self.minutes is not None


def call_minutes(call: Call, general_call: int) -> int | None:
    """Where a stored call lands on its day: offsets follow the general crew call."""
    if call.kind == CallKind.OFF:
        return None
    if call.kind == CallKind.OFFSET:
        return general_call + call.minutes
    return after_anchor(call.minutes, general_call)


def effective_call(
    day: ShootDay, *, personal: Call | None, departmental: Call | None
) -> EffectiveCall:
    """The person's override, else their department's call, else the general crew call."""
    for call, source in ((personal, Source.PERSONAL), (departmental, Source.DEPARTMENT)):
        if call is not None:
            offset = call.minutes if call.kind == CallKind.OFFSET else None
            return EffectiveCall(call_minutes(call, day.general_call), source, call.note, offset)
    return EffectiveCall(day.general_call, Source.GENERAL)


def department_call(day: ShootDay, departmental: Call | None) -> EffectiveCall:
    """A department's call for the day: its own, or the general crew call."""
    return effective_call(day, personal=None, departmental=departmental)


def local_datetime(production: Production, day: dt.date, minutes: int) -> dt.datetime:
    """The wall-clock moment `minutes` after the day's local midnight, in the production's zone.

    Wall-clock arithmetic: on the day the clocks change, 06:30 is still 06:30.
    """
    midnight = dt.datetime.combine(day, dt.time(0))
    zone = zoneinfo.ZoneInfo(production.timezone)
    return (midnight + dt.timedelta(minutes=minutes)).replace(tzinfo=zone)


def local_today(production: Production, now: dt.datetime) -> dt.date:
    """The production's calendar date at `now`."""
    return now.astimezone(zoneinfo.ZoneInfo(production.timezone)).date()


def find_day(session: Session, *, production: Production, when: When) -> ShootDay | None:
    """The shoot day for a date or a day number (not `next`); None when there is none."""
    query = select(ShootDay).where(ShootDay.production_id == production.id)
    if when.day_number is not None:
        query = query.where(ShootDay.day_number == when.day_number).order_by(
            ShootDay.status != DayStatus.SCHEDULED, ShootDay.date
        )
    else:
        query = query.where(ShootDay.date == when.date)
    return session.scalars(query.options(selectinload(ShootDay.scenes)).limit(1)).first()


def require_day_number(session: Session, *, production: Production, when: When) -> None:
    """UserError naming the last day when `day N` is beyond the schedule."""
    if when.day_number is None or find_day(session, production=production, when=when):
        return
    last = session.scalar(
        select(ShootDay.day_number)
        .where(ShootDay.production_id == production.id, ShootDay.day_number.is_not(None))
        .order_by(ShootDay.day_number.desc())
        .limit(1)
    )
    schedule = f"the schedule runs to day {last}" if last else "no day numbers are scheduled"
    raise UserError(f"There is no day {when.day_number}: {schedule}.")


@dataclass(frozen=True)
class NoShoot:
    """No shoot (or a cancelled one) on the date asked; the next shoot day, if any."""

    date: dt.date
    cancelled: ShootDay | None
    next_day: ShootDay | None


def shoot_day_for(session: Session, *, production: Production, when: When) -> ShootDay | NoShoot:
    """The scheduled day for a date or day number, or why there is none and what comes next."""
    require_day_number(session, production=production, when=when)
    day = find_day(session, production=production, when=when)
    if day is not None and day.status != DayStatus.CANCELLED:
        return day
    date = day.date if day else when.date
    following = upcoming_days(
        session, production=production, start=date + dt.timedelta(days=1), limit=1
    )
    return NoShoot(date, day, following[0] if following else None)


def upcoming_days(
    session: Session, *, production: Production, start: dt.date, limit: int | None = None
) -> list[ShootDay]:
    """Scheduled shoot days on or after `start`, in order."""
    query = (
        select(ShootDay)
        .where(
            ShootDay.production_id == production.id,
            ShootDay.date >= start,
            ShootDay.status == DayStatus.SCHEDULED,
        )
        .order_by(ShootDay.date)
    )
    return list(session.scalars(query.limit(limit) if limit else query))


def calls_for(session: Session, *, member: CrewMember, days: list[ShootDay]) -> dict:
    """{(day id, 'person'|'department'): Call} for the member on those days, in one query."""
    if not days:
        return {}
    subject = [Call.crew_member_id == member.id]
    if member.department_id is not None:
        subject.append(Call.department_id == member.department_id)
    query = select(Call).where(Call.shoot_day_id.in_([d.id for d in days]), or_(*subject))
    return {
        (call.shoot_day_id, "person" if call.crew_member_id else "department"): call
        for call in session.scalars(query)
    }


def member_call(session: Session, *, member: CrewMember, day: ShootDay) -> EffectiveCall:
    """One person's effective call on one day."""
    calls = calls_for(session, member=member, days=[day])
    return effective_call(
        day, personal=calls.get((day.id, "person")), departmental=calls.get((day.id, "department"))
    )


def next_call(
    session: Session, *, production: Production, member: CrewMember, now: dt.datetime
) -> tuple[ShootDay, EffectiveCall] | None:
    """The member's first call that is still ahead of `now`, or None."""
    today = local_today(production, now)
    # From yesterday: a night shoot's call can fall after midnight.
    days = upcoming_days(session, production=production, start=today - dt.timedelta(days=1))
    calls = calls_for(session, member=member, days=days)
    for day in days:
        call = effective_call(
            day,
            personal=calls.get((day.id, "person")),
            departmental=calls.get((day.id, "department")),
        )
        if call.called and local_datetime(production, day.date, call.minutes) > now:
            return day, call
    return None


def department_named(session: Session, *, production: Production, name: str) -> Department | None:
    """The production's department called `name`, ignoring case and spacing."""
    return session.scalar(
        select(Department).where(
            Department.production_id == production.id, Department.key == department_key(name)
        )
    )


def department_key(name: str) -> str:
    """How a department's name is matched: lower case, single spaces."""
    return " ".join(name.lower().split())
