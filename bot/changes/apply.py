"""Writing a sent change into the day: its new times and place, and its calls."""

from __future__ import annotations

from bot.changes.change import Change, Impact
from bot.core.clock import CallSpec, placed
from bot.storage.models import Call, ShootDay


def save_day(day: ShootDay, change: Change, impact: Impact) -> None:
    """Write the changed day and calls; the day's revision rises once."""
    after = impact.after
    for field in (
        "general_call",
        "shooting_call",
        "wrap",
        "location_name",
        "address",
        "parking",
        "hospital",
        "latitude",
        "longitude",
        "status",
    ):
        setattr(day, field, getattr(after, field))
    calls = {(c.department_id, c.crew_member_id): c for c in day.calls}
    wanted: list[tuple[tuple[int | None, int | None], CallSpec]] = [
        ((department_id, None), spec) for department_id, spec in change.departments
    ] + [((None, member_id), spec) for member_id, spec in change.people]
    for key, written in wanted:
        spec = placed(written, after.general_call)
        call = calls.get(key)
        if call is None:
            day.calls.append(
                Call(
                    department_id=key[0],
                    crew_member_id=key[1],
                    kind=spec.kind,
                    minutes=spec.minutes,
                )
            )
        else:
            call.kind, call.minutes = spec.kind, spec.minutes
    day.revision += 1
