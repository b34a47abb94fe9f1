"""What handlers share within a process, built once by create_app."""

from __future__ import annotations

from dataclasses import dataclass

from bot.directory import Directory
from bot.timezones import TimezoneCache


@dataclass(frozen=True)
class Deps:
    """In-memory schedules and readers' time zones; on every request's context as `deps`."""

    directory: Directory
    timezones: TimezoneCache
