"""What a notice message shows, as plain values: its card, and the columns that build one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.models import (
    Notice,
    NoticeKind,
    Production,
    TimeFormat,
)


@dataclass(frozen=True)
class NoticeCard:
    """What a notice message shows: plain values, safe to hand to sender threads."""

    id: int
    version: int
    kind: NoticeKind
    title: str
    body: str
    urgent: bool
    acknowledge: bool
    author: str | None
    timezone: str
    time_format: TimeFormat
    # Whose workspace it goes out in (the token it is sent with, when several are installed).
    production_id: int = 0
    # The shoot day it is about (call sheets, schedule changes, reminders), if any.
    shoot_day_id: int | None = None
    # How many reminders the production sends before escalating.
    renotify_max: int = 0

    @classmethod
    def of(
        cls,
        notice: Notice,
        production: Production | None = None,
        *,
        timezone: str = "",
        time_format: TimeFormat = TimeFormat.H24,
    ) -> NoticeCard:
        """The card for a notice, in its production's zone and time format."""
        return cls(
            notice.id,
            notice.version,
            notice.kind,
            notice.title,
            notice.body,
            notice.urgent,
            notice.acknowledge,
            notice.author,
            production.timezone if production else timezone,
            production.time_format if production else time_format,
            notice.production_id,
            notice.shoot_day_id,
            production.renotify_max if production else 0,
        )


# A NoticeCard's fields, in order, for queries that build cards without ORM objects.
CARD_COLUMNS = (
    Notice.id,
    Notice.version,
    Notice.kind,
    Notice.title,
    Notice.body,
    Notice.urgent,
    Notice.acknowledge,
    Notice.author,
    Production.timezone,
    Production.time_format,
    Notice.production_id,
    Notice.shoot_day_id,
    Production.renotify_max,
)
