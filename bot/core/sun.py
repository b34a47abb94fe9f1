"""Sunrise and sunset at a shoot day's location, computed locally with astral."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from astral import Observer
from astral.sun import sunrise, sunset


@dataclass(frozen=True)
class SunTimes:
    """Local sunrise and sunset; either is None where the sun does not rise or set."""

    sunrise: dt.datetime | None
    sunset: dt.datetime | None


@functools.lru_cache(maxsize=4096)
def sun_times(latitude: float, longitude: float, date: dt.date, timezone: str) -> SunTimes:
    """Sunrise and sunset on `date` at the coordinates, in `timezone`."""
    observer = Observer(latitude=latitude, longitude=longitude)
    zone = zoneinfo.ZoneInfo(timezone)
    return SunTimes(_safely(sunrise, observer, date, zone), _safely(sunset, observer, date, zone))


def _safely(event, observer: Observer, date: dt.date, zone: zoneinfo.ZoneInfo):
    try:
        return event(observer, date=date, tzinfo=zone)
    except ValueError:  # polar day or night: the sun never crosses the horizon
        return None
