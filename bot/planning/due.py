"""When the automatic messages are due: evening call sheets, morning reminders, daily checks.

Pure functions of a loaded schedule and `now`. Every moment is worked out in the
production's own zone and compared in UTC, so the days the clocks change need no
special case: a wall-clock time the clocks skip (02:30 on a spring-forward night)
falls at the moment just after the jump, one they repeat (01:30 in autumn) at its
first occurrence, and either way it is one moment, due once. What has already gone
out is for the caller to know (bot/planning/planner.py keeps it in the database).

- The call sheet for a day is due at `callsheet_time` on the day before, and stays
  useful until the day's general crew call: after downtime it still goes, to those
  whose own call has not passed.
- A reminder is due `reminder_lead` minutes before a person's call and is dropped
  once the call has passed. A lead of 0 turns reminders off.
- The daily check (rentals due back) is due at `rentals_time` each day, until midnight.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass

from bot.core.effective_calls import EffectiveCall, local_datetime, local_today, member_call
from bot.core.schedule import Schedule
from bot.core.views import DayView, MemberView, ProductionView
from bot.storage.models import DayStatus

# Days looked at around today: yesterday for night shoots whose calls fall after
# midnight, the day after tomorrow for what falls due tomorrow evening.
LOOK_BEHIND = dt.timedelta(days=1)
LOOK_AHEAD = dt.timedelta(days=2)


@dataclass(frozen=True)
class Called:
    """One person called on a day, and the moment (UTC) of their call."""

    member: MemberView
    call: EffectiveCall
    at: dt.datetime


@dataclass(frozen=True)
class DayPlan:
    """A scheduled day's moments: its call sheet, its general call, everyone's calls.

    `called` is in order of call, `call_times` the same moments, for bisecting.
    """

    day: DayView
    callsheet_at: dt.datetime
    general_call_at: dt.datetime
    called: tuple[Called, ...]
    call_times: tuple[dt.datetime, ...]

    def calls_after(
        self, moment: dt.datetime, until: dt.datetime | None = None
    ) -> tuple[Called, ...]:
        """Those whose call is after `moment` (and no later than `until`)."""
        first = bisect.bisect_right(self.call_times, moment)
        last = len(self.called) if until is None else bisect.bisect_right(self.call_times, until)
        return self.called[first:last]


def day_plans(schedule: Schedule, *, now: dt.datetime) -> list[DayPlan]:
    """The plans of the scheduled days around `now` (see LOOK_BEHIND and LOOK_AHEAD)."""
    today = local_today(schedule.production, now)
    plans = []
    for day in schedule.days_from(today - LOOK_BEHIND):
        if day.date > today + LOOK_AHEAD:
            break
        if day.status == DayStatus.SCHEDULED:
            plan = functools.partial(_plan, schedule, day)
            plans.append(schedule.memo(("day plan", day.id), plan))
    return plans


def _plan(schedule: Schedule, day: DayView) -> DayPlan:
    production = schedule.production
    called = []
    for member in schedule.crew:
        call = member_call(schedule, member=member, day=day)
        if call.minutes is not None:
            called.append(Called(member, call, _utc(production, day.date, call.minutes)))
    called.sort(key=lambda person: person.at)
    callsheet = callsheet_time(production, day.date)
    general = _utc(production, day.date, day.general_call)
    return DayPlan(day, callsheet, general, tuple(called), tuple(p.at for p in called))


def callsheet_time(production: ProductionView, date: dt.date) -> dt.datetime:
    """When the call sheet for `date` goes out: `callsheet_time` on the day before (UTC)."""
    return _utc_at(production, date - dt.timedelta(days=1), production.callsheet_time)


def callsheet_due(plan: DayPlan, *, now: dt.datetime) -> tuple[Called, ...]:
    """Who the day's call sheet goes to now: none before it is due or after the general call."""
    if not plan.callsheet_at <= now < plan.general_call_at:
        return ()
    return plan.calls_after(now)


def reminders_due(
    production: ProductionView, plan: DayPlan, *, now: dt.datetime
) -> tuple[Called, ...]:
    """Everyone whose reminder is due and whose call has not passed."""
    if production.reminder_lead <= 0:
        return ()
    return plan.calls_after(now, until=now + dt.timedelta(minutes=production.reminder_lead))


def daily_check_at(production: ProductionView, date: dt.date) -> dt.datetime:
    """When the day's check (rentals due back) runs: `rentals_time` on `date` (UTC)."""
    return _utc_at(production, date, production.rentals_time)


def daily_check_due(production: ProductionView, *, now: dt.datetime) -> dt.date | None:
    """The local date whose daily check is due now; None before `rentals_time`."""
    today = local_today(production, now)
    return today if daily_check_at(production, today) <= now else None


def next_due(
    schedule: Schedule, plans: list[DayPlan], *, now: dt.datetime, daily_check: bool = False
) -> dt.datetime:
    """The first moment after `now` at which something more falls due for this production.

    Never later than the day after tomorrow's midnight, when more days come into view.
    """
    production = schedule.production
    today = local_today(production, now)
    moments = [local_datetime(production, today + LOOK_AHEAD, 0).astimezone(dt.UTC)]
    if daily_check:
        moments.extend(daily_check_at(production, today + dt.timedelta(days=n)) for n in (0, 1))
    lead = dt.timedelta(minutes=production.reminder_lead)
    for plan in plans:
        moments.append(plan.callsheet_at)
        # The first reminder after now is for the first call after now + lead.
        if lead and (later := plan.calls_after(now + lead)):
            moments.append(later[0].at - lead)
    return min((moment for moment in moments if moment > now), default=moments[0])


def _utc(production: ProductionView, date: dt.date, minutes: int) -> dt.datetime:
    return local_datetime(production, date, minutes).astimezone(dt.UTC)


def _utc_at(production: ProductionView, date: dt.date, clock: dt.time) -> dt.datetime:
    return _utc(production, date, clock.hour * 60 + clock.minute)
