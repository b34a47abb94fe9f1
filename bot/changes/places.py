"""Locations as a change names them: the day's place, with the address, parking and
hospital of the nearest day already there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.errors import UserError
from bot.core.mrkdwn import escaped, quoted
from bot.core.schedule import Schedule


@dataclass(frozen=True)
class Place:
    """A location as the day shows it; the details come from another day at the same place."""

    name: str
    address: str = ""
    parking: str = ""
    hospital: str = ""
    latitude: float | None = None
    longitude: float | None = None
    # The day number or date the details were taken from; empty when the place is new.
    known_from: str = ""
    # What was typed, when it named the place by part of its name (`Blackmoor`).
    matched_from: str = ""

    @property
    def is_new(self) -> bool:
        """A place no day has been at: nothing is known of it but what was written."""
        return not self.known_from


def place_named(schedule: Schedule, name: str, *, near: dt.date) -> Place:
    """A location by name, with the address, parking and hospital of the nearest day there.

    The whole name in any case; else the one place whose name holds the words typed
    (`Blackmoor` for Blackmoor Quarry), which the preview then points out; else a new place.
    UserError when the words are part of several places' names.
    """
    key = _place_key(name)
    places = {
        _place_key(d.location_name): d.location_name for d in schedule.days if d.location_name
    }
    matched = ""
    if key not in places:
        partial = sorted({full for known, full in places.items() if key and key in known})
        if len(partial) > 1:
            listed = escaped(", ".join(partial))
            raise UserError(
                f"{quoted(name)} is part of several places' names ({listed}): write one in full."
            )
        if not partial:
            return Place(" ".join(name.split()))
        key, matched = _place_key(partial[0]), " ".join(name.split())
    same = [d for d in schedule.days if _place_key(d.location_name) == key]
    day = min(same, key=lambda d: abs((d.date - near).days))
    source = f"day {day.day_number}" if day.day_number else day.date.isoformat()
    return Place(
        day.location_name,
        day.address,
        day.parking,
        day.hospital,
        day.latitude,
        day.longitude,
        known_from=source,
        matched_from=matched,
    )


def _place_key(name: str) -> str:
    return " ".join(name.lower().split())
