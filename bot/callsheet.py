"""/callsheet: the whole day — calls by department, personal calls, scenes, what comes next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.schedule import (
    EffectiveCall,
    department_call,
    effective_call,
    local_datetime,
    local_today,
    upcoming_days,
)
from bot.storage.models import Call, CrewMember, Production, ShootDay


@dataclass(frozen=True)
class DepartmentLine:
    """A department's call and how many of its people are called."""

    name: str
    call: EffectiveCall
    called: int
    people: int


@dataclass(frozen=True)
class PersonLine:
    """Someone whose call differs from their department's: a personal call, or off."""

    name: str
    department: str
    call: EffectiveCall


@dataclass(frozen=True)
class CallSheet:
    """Everything the call sheet shows for one day."""

    day: ShootDay
    departments: list[DepartmentLine]
    personal: list[PersonLine]
    next_days: list[ShootDay]


def default_day(session: Session, *, production: Production, now: dt.datetime) -> ShootDay | None:
    """Today's shoot day until it wraps, then the next one."""
    today = local_today(production, now)
    for day in upcoming_days(
        session, production=production, start=today - dt.timedelta(days=1), limit=3
    ):
        end = day.wrap if day.wrap is not None else day.general_call + 12 * 60
        if local_datetime(production, day.date, end) > now:
            return day
    return None


def build_callsheet(session: Session, *, production: Production, day: ShootDay) -> CallSheet:
    """Resolve every call on `day` in a few queries, whatever the size of the crew."""
    calls = list(session.scalars(select(Call).where(Call.shoot_day_id == day.id)))
    by_department = {c.department_id: c for c in calls if c.department_id is not None}
    by_person = {c.crew_member_id: c for c in calls if c.crew_member_id is not None}
    crew = list(
        session.scalars(
            select(CrewMember)
            .where(CrewMember.production_id == production.id)
            .options(selectinload(CrewMember.department))
            .order_by(CrewMember.name)
        )
    )
    departments = []
    for department in sorted(production.departments, key=lambda d: d.name):
        members = [m for m in crew if m.department_id == department.id]
        own = by_department.get(department.id)
        called = sum(
            effective_call(day, personal=by_person.get(m.id), departmental=own).called
            for m in members
        )
        departments.append(
            DepartmentLine(department.name, department_call(day, own), called, len(members))
        )
    personal = [
        PersonLine(
            member.name or member.email or member.slack_user_id or "?",
            member.department.name if member.department else "",
            effective_call(day, personal=by_person[member.id], departmental=None),
        )
        for member in crew
        if member.id in by_person
    ]
    following = upcoming_days(
        session, production=production, start=day.date + dt.timedelta(days=1), limit=2
    )
    return CallSheet(day, departments, personal, following)
