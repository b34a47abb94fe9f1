"""Read-only copies of a production's rows, as the in-memory schedule holds them.

Plain slotted dataclasses with the models' attribute names: answering a command reads
hundreds of attributes, and these read several times faster than SQLAlchemy's
instrumented ones. Compared and hashed by identity (a reload makes new objects).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.storage.models import (
    Call,
    CallKind,
    CrewMember,
    DateOrder,
    DayStatus,
    Department,
    Production,
    Role,
    Scene,
    ShootDay,
    TimeFormat,
)

VIEW = {"frozen": True, "slots": True, "eq": False}


@dataclass(**VIEW)
class DepartmentView:
    id: int
    name: str
    key: str

    @classmethod
    def of(cls, row: Department) -> DepartmentView:
        """The department's values."""
        return cls(row.id, row.name, row.key)


@dataclass(**VIEW)
class ProductionView:
    id: int
    workspace_id: int
    name: str
    slug: str
    timezone: str
    crew_channel: str
    time_format: TimeFormat
    date_order: DateOrder
    departments: tuple[DepartmentView, ...]
    # When the automatic messages go out (bot/planning/due.py).
    callsheet_time: dt.time
    reminder_lead: int
    rentals_time: dt.time

    @classmethod
    def of(cls, row: Production, departments: tuple[DepartmentView, ...]) -> ProductionView:
        """The production's values, with its departments."""
        return cls(
            row.id,
            row.workspace_id,
            row.name,
            row.slug,
            row.timezone,
            row.crew_channel,
            row.time_format,
            row.date_order,
            departments,
            row.callsheet_time,
            row.reminder_lead,
            row.rentals_time,
        )


@dataclass(**VIEW)
class MemberView:
    id: int
    slack_user_id: str | None
    email: str | None
    name: str
    department_id: int | None
    department: DepartmentView | None
    position: str
    role: Role
    phone: str

    @classmethod
    def of(cls, row: CrewMember, departments: dict[int, DepartmentView]) -> MemberView:
        """The crew member's values, with their department."""
        department = departments.get(row.department_id) if row.department_id else None
        return cls(
            row.id,
            row.slack_user_id,
            row.email,
            row.name,
            row.department_id,
            department,
            row.position,
            row.role,
            row.phone,
        )


@dataclass(**VIEW)
class SceneView:
    number: str
    set_name: str
    day_night: str
    eighths: int

    @classmethod
    def of(cls, row: Scene) -> SceneView:
        """The scene's values."""
        return cls(row.number, row.set_name, row.day_night, row.eighths)


@dataclass(**VIEW)
class DayView:
    id: int
    date: dt.date
    day_number: int | None
    general_call: int
    shooting_call: int | None
    wrap: int | None
    location_name: str
    address: str
    parking: str
    hospital: str
    latitude: float | None
    longitude: float | None
    notes: str
    status: DayStatus
    revision: int
    scenes: tuple[SceneView, ...]

    @classmethod
    def of(cls, row: ShootDay) -> DayView:
        """The shoot day's values, with its scenes."""
        return cls(
            row.id,
            row.date,
            row.day_number,
            row.general_call,
            row.shooting_call,
            row.wrap,
            row.location_name,
            row.address,
            row.parking,
            row.hospital,
            row.latitude,
            row.longitude,
            row.notes,
            row.status,
            row.revision,
            tuple(SceneView.of(scene) for scene in row.scenes),
        )


@dataclass(**VIEW)
class CallView:
    shoot_day_id: int
    department_id: int | None
    crew_member_id: int | None
    kind: CallKind
    minutes: int
    note: str

    @classmethod
    def of(cls, row: Call) -> CallView:
        """The call's values."""
        return cls(
            row.shoot_day_id, row.department_id, row.crew_member_id, row.kind, row.minutes, row.note
        )
