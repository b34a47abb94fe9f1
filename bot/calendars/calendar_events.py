"""Calendar events from a schedule: a person's calls, or the production's shoot days.

Pure functions of a loaded Schedule. Each event runs from the call (the person's own,
or the general crew call) to the estimated wrap, in the production's zone, wall-clock:
06:30 on the morning the clocks change is still 06:30. bot/calendars/ics_writer.py writes them out.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from bot.core.effective_calls import EffectiveCall, call_minutes, local_datetime, member_call
from bot.core.format import clock_text, source_text
from bot.core.scenes import pages_text
from bot.core.schedule import Schedule
from bot.core.views import DayView, MemberView, ProductionView
from bot.storage.models import DayStatus

# A call after the day's estimated wrap (a driver taking the crew home) still lasts an hour.
SHORTEST = dt.timedelta(hours=1)
# Without an estimated wrap, a day is taken to last this long from its general call.
UNWRAPPED = 12 * 60


@dataclass(frozen=True)
class FeedEvent:
    """One shoot day as a calendar shows it."""

    day: dt.date
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str
    description: str
    cancelled: bool
    geo: tuple[float, float] | None

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of everything the event shows: it changes exactly when the event does."""
        shown = (
            self.start.isoformat(),
            str(self.start.tzinfo),
            self.end.isoformat(),
            self.summary,
            self.location,
            self.description,
            self.cancelled,
            self.geo,
        )
        return hashlib.sha256(repr(shown).encode()).hexdigest()


@dataclass(frozen=True)
class FeedOf:
    """Whose feed: a crew member's own, or (member None) the production's."""

    schedule: Schedule
    member: MemberView | None

    @property
    def key(self) -> str:
        """What the feed's UIDs are made from: stable for the life of the production."""
        production = self.schedule.production.id
        return f"crewcall-p{production}" + (f"-m{self.member.id}" if self.member else "")

    @property
    def name(self) -> str:
        """`Hollis Farm · Ada Moreau`, or `Hollis Farm · shoot days`."""
        production = self.schedule.production.name
        return f"{production} · {self.member.name if self.member else 'shoot days'}"

    @property
    def filename(self) -> str:
        """`hollis-ada-moreau.ics`."""
        who = "-".join(self.member.name.lower().split()) if self.member else "shoot-days"
        safe = "".join(c for c in who if c.isalnum() or c == "-") or "calls"
        return f"{self.schedule.production.slug}-{safe}.ics"


def event_uid(feed_key: str, day: dt.date) -> str:
    """One UID per feed and day, whatever changes in it."""
    return f"{feed_key}-{day:%Y%m%d}@crewcall"


def feed_events(feed: FeedOf) -> list[FeedEvent]:
    """The feed's events: each day the person is called, or every shoot day."""
    schedule = feed.schedule
    if feed.member is None:
        return schedule.memo(("calendar",), lambda: production_events(schedule))
    return [
        event
        for day in schedule.days
        if (event := personal_event(schedule, feed.member, day)) is not None
    ]


def personal_event(schedule: Schedule, member: MemberView, day: DayView) -> FeedEvent | None:
    """The person's call on `day`, to the estimated wrap; None when they are not called."""
    call = member_call(schedule, member=member, day=day)
    if call.minutes is None:
        return None
    production = schedule.production
    yours = f"Your call: {_your_call(production, member, day, call)}"
    return _event(production, day, call.minutes, _description(production, day, first=[yours]))


def production_events(schedule: Schedule) -> list[FeedEvent]:
    """Every shoot day, from its general crew call, with the departments' own calls."""
    production = schedule.production
    events = []
    for day in schedule.days:
        departments = _department_calls(schedule, day)
        calls = [f"Department calls: {departments}"] if departments else []
        description = _description(production, day, after_times=calls)
        events.append(_event(production, day, day.general_call, description))
    return events


def _event(production: ProductionView, day: DayView, call: int, description: str) -> FeedEvent:
    start = local_datetime(production, day.date, call)
    end = local_datetime(production, day.date, _end_minutes(day))
    cancelled = day.status == DayStatus.CANCELLED
    summary = " · ".join(
        part
        for part in (
            production.name,
            f"Day {day.day_number}" if day.day_number else "",
            day.location_name,
        )
        if part
    )
    has_geo = day.latitude is not None and day.longitude is not None
    return FeedEvent(
        day=day.date,
        start=start,
        end=max(end, start + SHORTEST),
        summary=f"Cancelled: {summary}" if cancelled else summary,
        location=", ".join(part for part in (day.location_name, day.address) if part),
        description=description,
        cancelled=cancelled,
        geo=(day.latitude, day.longitude) if has_geo else None,  # type: ignore[arg-type]
    )


def _end_minutes(day: DayView) -> int:
    return day.wrap if day.wrap is not None else day.general_call + UNWRAPPED


def _your_call(
    production: ProductionView, member: MemberView, day: DayView, call: EffectiveCall
) -> str:
    """`05:45 (personal call) — pickup 05:15 at hotel`."""
    text = f"{clock_text(production, call.minutes, date=day.date)} ({source_text(member, call)})"
    return f"{text} — {call.note}" if call.note else text


def _description(
    production: ProductionView,
    day: DayView,
    *,
    first: tuple[str, ...] | list[str] = (),
    after_times: tuple[str, ...] | list[str] = (),
) -> str:
    """The day's times, scenes and place, one `Name: value` per line (imports read them back)."""
    date = day.date
    lines = ["This shoot day is cancelled."] if day.status == DayStatus.CANCELLED else []
    lines.extend(first)
    lines.append(f"General crew call: {clock_text(production, day.general_call, date=date)}")
    if day.shooting_call is not None:
        lines.append(f"Shooting call: {clock_text(production, day.shooting_call, date=date)}")
    if day.wrap is not None:
        lines.append(f"Estimated wrap: {clock_text(production, day.wrap, date=date)}")
    lines.extend(after_times)
    if day.scenes:
        numbers = ", ".join(scene.number for scene in day.scenes)
        pages = pages_text([scene.eighths for scene in day.scenes])
        lines.append(f"Scenes: {numbers} ({pages})" if pages else f"Scenes: {numbers}")
    for name, value in (
        ("Address", day.address),
        ("Parking", day.parking),
        ("Hospital", day.hospital),
        ("Notes", day.notes),
    ):
        if value:
            lines.append(f"{name}: {value}")
    return "\n".join(lines)


def _department_calls(schedule: Schedule, day: DayView) -> str:
    """`Camera 06:00, Grip 06:30`: the departments with a call of their own."""
    production = schedule.production
    names = {department.id: department.name for department in production.departments}
    calls = []
    for department_id, call in schedule.day_calls(day).department.items():
        minutes = call_minutes(call, day.general_call)
        text = "off" if minutes is None else clock_text(production, minutes, date=day.date)
        calls.append((names.get(department_id, "?"), text))
    return ", ".join(f"{name} {text}" for name, text in sorted(calls))
