"""Schedule changes: what a coordinator asks to change on a day, and what it does to whom.

Pure: a `Change` and the day as it stands (a `Schedule`) give an `Impact`, each crew
member's call before and after. The preview, the saved change and every DM come from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.changes.places import Place
from bot.core.clock import CallSpec, after_anchor, placed, wrap_after_call
from bot.core.day_checks import FAR_FROM_GENERAL
from bot.core.effective_calls import EffectiveCall, effective_call
from bot.core.schedule import Schedule
from bot.core.views import CallView, DayView, MemberView
from bot.storage.models import CallKind, DayStatus


@dataclass(frozen=True)
class Change:
    """What a coordinator asked to change on one shoot day; None and () leave a thing as it is."""

    date: dt.date
    general_call: int | None = None
    shooting_call: int | None = None
    wrap: int | None = None
    location: Place | None = None
    # (department id, call) and (crew member id, call).
    departments: tuple[tuple[int, CallSpec], ...] = ()
    people: tuple[tuple[int, CallSpec], ...] = ()
    cancel: bool = False
    note: str = ""
    urgent: bool = False

    def as_json(self) -> dict:
        """The change as stored with its proposal."""
        data = dataclasses.asdict(self)
        data["date"] = self.date.isoformat()
        data["departments"] = [
            [key, spec.kind.value, spec.minutes] for key, spec in self.departments
        ]
        data["people"] = [[key, spec.kind.value, spec.minutes] for key, spec in self.people]
        return data

    @classmethod
    def from_json(cls, data: dict) -> Change:
        """The change `as_json` stored."""
        fields = dict(data)
        fields["date"] = dt.date.fromisoformat(data["date"])
        fields["location"] = Place(**data["location"]) if data.get("location") else None
        for name in ("departments", "people"):
            fields[name] = tuple(
                (key, CallSpec(CallKind(kind), minutes)) for key, kind, minutes in data[name]
            )
        return cls(**fields)


@dataclass(frozen=True)
class MovedNote:
    """A department's or a person's note ("pickup 05:15 at the hotel") on a call that moves:
    written for the call before, it may no longer hold after."""

    whose: str
    note: str
    before: int
    after: int


@dataclass(frozen=True)
class PersonChange:
    """One crew member's call on the day, before and after the change."""

    member: MemberView
    before: EffectiveCall
    after: EffectiveCall

    @property
    def call_moved(self) -> bool:
        """Whether this person's call is at another time after the change."""
        return self.before.minutes != self.after.minutes


@dataclass(frozen=True)
class Impact:
    """A change applied to a day, in memory: the day before and after, and everyone's calls."""

    change: Change
    before: DayView
    after: DayView
    # Every crew member, in the schedule's order.
    people: tuple[PersonChange, ...]
    # Clock calls that the change leaves far from the general crew call: (whose, minutes).
    far_calls: tuple[tuple[str, int], ...] = ()
    # Notes on calls the change moves, written for the call as it was.
    moved_notes: tuple[MovedNote, ...] = ()

    @property
    def general_moved(self) -> bool:
        """Whether the general crew call moves."""
        return self.before.general_call != self.after.general_call

    @property
    def shooting_moved(self) -> bool:
        """Whether the shooting call moves."""
        return self.before.shooting_call != self.after.shooting_call

    @property
    def wrap_moved(self) -> bool:
        """Whether the estimated wrap moves."""
        return self.before.wrap != self.after.wrap

    @property
    def location_moved(self) -> bool:
        """Whether the day moves to another location."""
        return self.before.location_name != self.after.location_name

    def without(self, user_id: str | None) -> Impact:
        """The change with `user_id`'s own entry left out: as its author (never sent their
        own change) previews it, so that its lines add up to whom Send tells."""
        people = tuple(p for p in self.people if p.member.slack_user_id != user_id)
        return dataclasses.replace(self, people=people)

    @property
    def affected(self) -> tuple[PersonChange, ...]:
        """Whom the change is for: their call moved, or the place or shooting call did."""
        if self.change.cancel:
            return tuple(p for p in self.people if p.before.called)
        day_moved = self.location_moved or self.shooting_moved
        return tuple(p for p in self.people if p.call_moved or (p.after.called and day_moved))

    @property
    def changes_anything(self) -> bool:
        """Whether the day or anyone's call would be any different."""
        return (
            self.change.cancel
            or any((self.general_moved, self.shooting_moved, self.wrap_moved, self.location_moved))
            or any(p.call_moved for p in self.people)
        )


def impact_of(schedule: Schedule, day: DayView, change: Change) -> Impact:
    """What `change` does to `day` and to every crew member's call on it."""
    after = changed_day(day, change)
    calls = schedule.day_calls(day)
    departments = dict(calls.department)
    for department_id, spec in change.departments:
        departments[department_id] = _call(calls.department.get(department_id), after, spec)
    personal = dict(calls.person)
    for member_id, spec in change.people:
        personal[member_id] = _call(calls.person.get(member_id), after, spec)
    people = []
    for member in schedule.crew:
        department = member.department_id
        before = effective_call(
            day,
            personal=calls.person.get(member.id),
            departmental=calls.department.get(department) if department else None,
        )
        now = effective_call(
            after,
            personal=personal.get(member.id),
            departmental=departments.get(department) if department else None,
        )
        if change.cancel:
            now = EffectiveCall(None, now.source)
        people.append(PersonChange(member, before, now))
    if change.cancel:
        return Impact(change, day, after, tuple(people))
    far = _far_calls(schedule, change, after, departments, personal)
    notes = _moved_notes(
        schedule,
        (day, after),
        {"department": calls.department, "person": calls.person},
        {"department": departments, "person": personal},
    )
    return Impact(change, day, after, tuple(people), far, notes)


# A day's own calls by whose they are: {"department": {id: call}, "person": {id: call}}.
Calls = dict[str, dict[int, CallView]]


def _moved_notes(
    schedule: Schedule, days: tuple[DayView, DayView], before: Calls, after: Calls
) -> tuple[MovedNote, ...]:
    """The notes on department and personal calls whose time the change moves."""
    names = {d.id: d.name for d in schedule.production.departments}
    whose = {
        "department": lambda key: names.get(key, "A department"),
        "person": lambda key: _member_name(schedule, key),
    }
    found = []
    for kind, calls in after.items():
        for key, call in calls.items():
            old = before[kind].get(key)
            if not call.note or old is None or old.note != call.note:
                continue
            was = effective_call(days[0], personal=old, departmental=None).minutes
            now = effective_call(days[1], personal=call, departmental=None).minutes
            if was != now and was is not None and now is not None:
                found.append(MovedNote(whose[kind](key), call.note, was, now))
    return tuple(found)


def _member_name(schedule: Schedule, member_id: int) -> str:
    member = schedule.crew_by_id.get(member_id)
    return (member.name if member else "") or "Someone"


def _far_calls(
    schedule: Schedule,
    change: Change,
    after: DayView,
    departments: dict[int, CallView],
    personal: dict[int, CallView],
) -> tuple[tuple[str, int], ...]:
    """Clock calls far from the general call, among those the change moved away from it:
    all of them when the general call moves, else those the change itself sets."""
    general_moved = change.general_call is not None
    set_here = {("department", k) for k, _ in change.departments} | {
        ("person", k) for k, _ in change.people
    }
    names = {d.id: d.name for d in schedule.production.departments}
    found = []
    for kind, calls, name_of in (
        ("department", departments, lambda key: names.get(key, "A department")),
        ("person", personal, lambda key: _member_name(schedule, key)),
    ):
        for key, call in calls.items():
            if call.kind != CallKind.CLOCK or not (general_moved or (kind, key) in set_here):
                continue
            if abs(call.minutes - after.general_call) > FAR_FROM_GENERAL:
                found.append((name_of(key), call.minutes))
    return tuple(sorted(found))


def changed_day(day: DayView, change: Change) -> DayView:
    """The day's own fields as the change leaves them."""
    general = day.general_call if change.general_call is None else change.general_call
    fields: dict[str, Any] = {"general_call": general}
    if change.shooting_call is not None:
        fields["shooting_call"] = after_anchor(change.shooting_call, general)
    if change.wrap is not None:
        fields["wrap"] = wrap_after_call(change.wrap, general)
    if (place := change.location) is not None:
        fields.update(
            location_name=place.name,
            address=place.address,
            parking=place.parking,
            hospital=place.hospital,
            latitude=place.latitude,
            longitude=place.longitude,
        )
    if change.cancel:
        fields["status"] = DayStatus.CANCELLED
    return dataclasses.replace(day, **fields)


def _call(old: CallView | None, day: DayView, spec: CallSpec) -> CallView:
    """A department's or person's new call on the changed `day`, keeping the note it had."""
    note = old.note if old is not None else ""
    department_id = old.department_id if old is not None else None
    member_id = old.crew_member_id if old is not None else None
    spec = placed(spec, day.general_call)
    return CallView(day.id, department_id, member_id, spec.kind, spec.minutes, note)
