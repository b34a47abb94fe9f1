"""Calendar feeds, and the events each has served."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import now as utcnow
from bot.storage.models.base import Base


class CalendarFeed(Base):
    """A calendar feed's secret: one per person, and one for the production (no person).

    The secret is the feed's address (`/calendar/<secret>.ics`); replacing it (rotating)
    keeps the row, so the feed's events keep their UIDs and sequence numbers.
    """

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        UniqueConstraint("crew_member_id"),
        Index(
            "uq_calendar_feeds_production",
            "production_id",
            unique=True,
            sqlite_where=text("crew_member_id IS NULL"),
            postgresql_where=text("crew_member_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    crew_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("crew_members.id", ondelete="CASCADE")
    )
    secret: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    rotated_at: Mapped[dt.datetime | None]


class CalendarEvent(Base):
    """What a feed last said about one day: the SEQUENCE rises each time that changes.

    `fingerprint` digests everything the event shows; the times and summary are kept so
    that an event which has left the feed (the person is no longer called) can be written
    again, cancelled, for calendars that hold it.
    """

    __tablename__ = "calendar_events"
    __table_args__ = (UniqueConstraint("feed_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("calendar_feeds.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    sequence: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    summary: Mapped[str] = mapped_column(String(200))
    # The event as the feed serves it (a VEVENT), so that reading costs no writing.
    written: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
