"""The enumerations stored in the models' columns, and the script revision colours."""

from __future__ import annotations

import enum

WGA_COLOURS = (
    "White",
    "Blue",
    "Pink",
    "Yellow",
    "Green",
    "Goldenrod",
    "Buff",
    "Salmon",
    "Cherry",
)


class Role(enum.StrEnum):
    CREW = "crew"
    HEAD = "head"
    COORDINATOR = "coordinator"


class TimeFormat(enum.StrEnum):
    H24 = "24h"
    H12 = "12h"


class DateOrder(enum.StrEnum):
    DAY_FIRST = "dmy"
    MONTH_FIRST = "mdy"


class DayStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    WRAPPED = "wrapped"


class CallKind(enum.StrEnum):
    CLOCK = "clock"
    OFFSET = "offset"
    OFF = "off"


class NoticeKind(enum.StrEnum):
    CALLSHEET = "callsheet"
    SCHEDULE_CHANGE = "schedule_change"
    SCRIPT = "script"
    ANNOUNCEMENT = "announcement"
    RENTAL = "rental"
    # Told to heads and coordinators, never acknowledged: escalations and failure reports.
    ESCALATION = "escalation"
    REPORT = "report"
    # Morning reminders before each person's call: read, never acknowledged.
    REMINDER = "reminder"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Superseded before it was sent: there is nothing left to tell.
    CANCELLED = "cancelled"


class OccurrenceKind(enum.StrEnum):
    """What the scheduler sends at a set time: each goes out once per person per day."""

    CALLSHEET = "callsheet"
    REMINDER = "reminder"
    DAILY_CHECK = "daily_check"


class RentalStatus(enum.StrEnum):
    RESERVED = "reserved"
    OUT = "out"
    RETURNED = "returned"
    LOST = "lost"
    DAMAGED = "damaged"


class RatePeriod(enum.StrEnum):
    DAY = "day"
    WEEK = "week"


class ChangeStatus(enum.StrEnum):
    PROPOSED = "proposed"
    SENT = "sent"
    CANCELLED = "cancelled"


class AuditAction(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    ACKNOWLEDGED = "acknowledged"
    NUDGED = "nudged"
    ESCALATED = "escalated"
    SUPERSEDED = "superseded"
