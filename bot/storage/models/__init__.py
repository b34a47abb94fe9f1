"""Database models. Timestamps are aware UTC; local times are wall-clock in a production's zone.

One module per area; every model and enumeration is importable from here, and importing
this package maps them all.
"""

from bot.storage.models.base import NAMING, Base, stored_enum
from bot.storage.models.calendars import CalendarEvent, CalendarFeed
from bot.storage.models.crew import CrewMember, Department, Production, ProductionChoice, Workspace
from bot.storage.models.days import Call, Scene, ShootDay
from bot.storage.models.kinds import (
    WGA_COLOURS,
    AuditAction,
    CallKind,
    ChangeStatus,
    DateOrder,
    DayStatus,
    DeliveryStatus,
    NoticeKind,
    OccurrenceKind,
    RatePeriod,
    RentalStatus,
    Role,
    TimeFormat,
)
from bot.storage.models.notices import (
    AuditEntry,
    Delivery,
    Notice,
    Occurrence,
    ProcessedEvent,
    ScheduleChange,
)
from bot.storage.models.rentals import Rental, RentalEvent
from bot.storage.models.script import ScriptRevision

__all__ = [
    "NAMING",
    "WGA_COLOURS",
    "AuditAction",
    "AuditEntry",
    "Base",
    "CalendarEvent",
    "CalendarFeed",
    "Call",
    "CallKind",
    "ChangeStatus",
    "CrewMember",
    "DateOrder",
    "DayStatus",
    "Delivery",
    "DeliveryStatus",
    "Department",
    "Notice",
    "NoticeKind",
    "Occurrence",
    "OccurrenceKind",
    "ProcessedEvent",
    "Production",
    "ProductionChoice",
    "RatePeriod",
    "Rental",
    "RentalEvent",
    "RentalStatus",
    "Role",
    "Scene",
    "ScheduleChange",
    "ScriptRevision",
    "ShootDay",
    "TimeFormat",
    "Workspace",
    "stored_enum",
]
