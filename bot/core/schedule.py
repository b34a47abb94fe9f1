"""A production's schedule in memory: crew, departments, days, scenes and calls.

Answers are computed from a `Schedule` (bot/core/effective_calls.py works out whose call is
when): one production loaded whole, read-only and shared between threads.
bot/core/directory.py keeps each process's copy current.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core.views import CallView, DayView, DepartmentView, MemberView, ProductionView
from bot.storage import models
from bot.storage.models import DayStatus

T = TypeVar("T")
# How many answers to typed text (`recall`) a schedule keeps.
RECALLED = 1024
_MISSING = object()


@dataclass
class DayCalls:
    """One day's calls by department id and by crew member id."""

    department: dict[int, CallView] = field(default_factory=dict)
    person: dict[int, CallView] = field(default_factory=dict)


@dataclass
class Schedule:
    """A production's whole schedule in memory, indexed for answering at once."""

    production: ProductionView
    version: int
    crew: list[MemberView]
    days: list[DayView]
    calls: dict[int, DayCalls]
    crew_by_user: dict[str, MemberView] = field(init=False)
    crew_by_id: dict[int, MemberView] = field(init=False)
    departments_by_key: dict[str, DepartmentView] = field(init=False)
    # Indexes built once at load: the schedule never changes after that.
    _by_department: dict[int | None, list[MemberView]] = field(init=False)
    _dates: list[dt.date] = field(init=False)
    _scheduled: list[DayView] = field(init=False)
    _scheduled_dates: list[dt.date] = field(init=False)
    _numbered: dict[int, DayView] = field(init=False)
    _memo: dict = field(init=False, default_factory=dict)
    _recent: dict = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.crew_by_user = {m.slack_user_id: m for m in self.crew if m.slack_user_id}
        self.crew_by_id = {m.id: m for m in self.crew}
        self.departments_by_key = {d.key: d for d in self.production.departments}
        self._by_department = {}
        for member in self.crew:
            self._by_department.setdefault(member.department_id, []).append(member)
        self._dates = [day.date for day in self.days]
        self._scheduled = [day for day in self.days if day.status == DayStatus.SCHEDULED]
        self._scheduled_dates = [day.date for day in self._scheduled]
        # `day 12` is the scheduled day 12 if there is one, else the earliest so numbered.
        self._numbered = {}
        for day in sorted(self.days, key=lambda d: (d.status != DayStatus.SCHEDULED, d.date)):
            if day.day_number is not None:
                self._numbered.setdefault(day.day_number, day)

    def memo(self, key: tuple, compute: Callable[[], T]) -> T:
        """`compute()` once per key for this version of the schedule (it never changes).

        Results are shared by every request and thread: callers must not mutate them.
        Two threads may both compute a missing key; either result is the same.
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def recall(self, key: tuple, compute: Callable[[], T]) -> T:
        """As `memo`, for keys drawn from what people type: at most RECALLED are kept.

        When full, all are forgotten at once (one assignment, safe across threads);
        what is asked often is back after its next asking.
        """
        found = self._recent.get(key, _MISSING)
        if found is _MISSING:
            if len(self._recent) >= RECALLED:
                self._recent = {}
            found = self._recent[key] = compute()
        return found

    def day_by_id(self, day_id: int) -> DayView | None:
        """The day with this id, whatever its status."""
        by_id = self.memo(("days by id",), lambda: {day.id: day for day in self.days})
        return by_id.get(day_id)

    def numbered(self, number: int) -> DayView | None:
        """The day called `day <number>`."""
        return self._numbered.get(number)

    def last_day_number(self) -> int | None:
        """The highest shoot day number on the schedule, if any day has one."""
        return max(self._numbered, default=None)

    def department_names(self) -> str:
        """`Art, Camera, Grip`: the departments, for answers that say which exist."""
        return ", ".join(sorted(d.name for d in self.production.departments)) or "none yet"

    def day_calls(self, day: DayView) -> DayCalls:
        """The department and personal calls of `day`."""
        return self.calls.get(day.id) or DayCalls()

    def members_of(self, department: DepartmentView) -> list[MemberView]:
        """The crew members of `department`."""
        return self._by_department.get(department.id, [])

    def days_from(self, start: dt.date) -> list[DayView]:
        """Days on or after `start`, in date order (any status)."""
        return self.days[bisect.bisect_left(self._dates, start) :]

    def scheduled_from(self, start: dt.date) -> list[DayView]:
        """Scheduled (not cancelled or wrapped) days on or after `start`, in date order."""
        return self._scheduled[bisect.bisect_left(self._scheduled_dates, start) :]


def load_schedule(session: Session, *, production_id: int, day_id: int | None = None) -> Schedule:
    """Load one production whole (or with one day only), in four queries, as read-only views."""
    production = session.scalar(
        select(models.Production)
        .where(models.Production.id == production_id)
        .options(selectinload(models.Production.departments))
    )
    if production is None:
        raise LookupError(production_id)
    departments = {d.id: DepartmentView.of(d) for d in production.departments}
    crew = [
        MemberView.of(member, departments)
        for member in session.scalars(
            select(models.CrewMember)
            .where(models.CrewMember.production_id == production_id)
            .order_by(models.CrewMember.name, models.CrewMember.id)
        )
    ]
    day_query = (
        select(models.ShootDay)
        .where(models.ShootDay.production_id == production_id)
        .options(selectinload(models.ShootDay.scenes))
        .order_by(models.ShootDay.date)
    )
    call_query = (
        select(models.Call)
        .join(models.ShootDay)
        .where(models.ShootDay.production_id == production_id)
    )
    if day_id is not None:
        day_query = day_query.where(models.ShootDay.id == day_id)
        call_query = call_query.where(models.Call.shoot_day_id == day_id)
    days = [DayView.of(day) for day in session.scalars(day_query)]
    calls = _by_day(CallView.of(row) for row in session.scalars(call_query))
    view = ProductionView.of(production, tuple(departments.values()))
    return Schedule(view, production.schedule_version, crew, days, calls)


def _by_day(calls: Iterable[CallView]) -> dict[int, DayCalls]:
    """Calls sorted into each day's department calls and personal calls."""
    found: dict[int, DayCalls] = {}
    for call in calls:
        day_calls = found.setdefault(call.shoot_day_id, DayCalls())
        if call.department_id is not None:
            day_calls.department[call.department_id] = call
        else:
            day_calls.person[call.crew_member_id] = call  # type: ignore[index]
    return found


class Schedules:
    """Schedules held by production id, each loaded again once its version has moved.

    Whoever holds one asks for the current versions on every use (`at`), so nothing it
    returns is older than the database when asked; it only saves the reloading of what
    has not changed. At most `kept` are held, the least recently used forgotten first.
    """

    def __init__(self, *, kept: int = 256) -> None:
        self._held: OrderedDict[int, Schedule] = OrderedDict()
        self._kept = kept

    def current(self, session: Session, production_ids: Iterable[int]) -> dict[int, Schedule]:
        """These productions' schedules as they stand (one query, and a load for each that
        changed); productions that no longer exist are left out."""
        versions = dict(
            session.execute(
                select(models.Production.id, models.Production.schedule_version).where(
                    models.Production.id.in_(set(production_ids))
                )
            ).all()
        )
        return self.at(session, versions)

    def stale(self, versions: Mapping[int, int]) -> bool:
        """Whether any of these (production id: version just read) must be loaded."""
        return any(
            (held := self._held.get(pid)) is None or held.version != version
            for pid, version in versions.items()
        )

    def at(
        self, session: Session | None, versions: Mapping[int, int], *, only: bool = False
    ) -> dict[int, Schedule]:
        """The schedules at these versions (production id: version just read), loading in
        `session` those that moved (None only when none did); with `only`, every other
        schedule held is forgotten."""
        if only:
            self._held = OrderedDict((k, v) for k, v in self._held.items() if k in versions)
        found = {}
        for production_id, version in versions.items():
            held = self._held.get(production_id)
            if held is None or held.version != version:
                assert session is not None, "a schedule to load, and no session to load it in"
                held = load_schedule(session, production_id=production_id)
            self._held[production_id] = held
            self._held.move_to_end(production_id)
            found[production_id] = held
        while len(self._held) > self._kept:
            self._held.popitem(last=False)
        return found
