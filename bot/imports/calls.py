"""calls.csv: date, who, call, note. `who` is a department, or a person by Slack id, email
or exact name; `call` is a time, a signed offset from the general crew call, or `off`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.changes.change import Change
from bot.core.clock import CallSpec, parse_call, placed
from bot.core.crew_lookup import find_member
from bot.core.effective_calls import department_key
from bot.core.locales import code_page_for
from bot.core.notes import checked_note
from bot.core.when import parse_file_date
from bot.imports.csvfile import Problems, Row, read_rows
from bot.imports.day_warnings import far_call_warnings
from bot.imports.fields import update_fields
from bot.imports.notified import notified_dates, propose_from_import
from bot.imports.report import ImportReport
from bot.storage.models import Call, CallKind, CrewMember, Department, Production, ShootDay


@dataclass
class CallRow:
    """A checked row: the day, whose call it is, and the call."""

    day: ShootDay
    department: Department | None
    member: CrewMember | None
    spec: CallSpec
    note: str


def import_calls(session: Session, *, production: Production, data: bytes) -> ImportReport:
    """Set department and personal calls on existing shoot days."""
    table = read_rows(
        data,
        required=("date", "who", "call"),
        kind="calls",
        code_page=code_page_for(production.timezone),
    )
    rows = _checked(session, production, table.rows)
    report = ImportReport("calls", notes=list(table.notes))
    existing = _existing_calls(session, {entry.day.id for entry in rows})
    changed_days: set[int] = set()
    notified = notified_dates(session, production_id=production.id)
    proposed: dict[ShootDay, dict[str, list]] = {}
    for entry in rows:
        department_id = entry.department.id if entry.department else None
        member_id = entry.member.id if entry.member else None
        call = existing.get((entry.day.id, department_id, member_id))
        spec = placed(entry.spec, entry.day.general_call)
        wanted = {"kind": spec.kind, "minutes": spec.minutes, "note": entry.note}
        moved = call is None or (call.kind, call.minutes) != (spec.kind, spec.minutes)
        if entry.day.date in notified and moved:
            # The day has gone out: its new calls become a proposal, not a silent change.
            pending = proposed.setdefault(entry.day, {"departments": [], "people": []})
            key = ("departments", department_id) if department_id else ("people", member_id)
            pending[key[0]].append((key[1], entry.spec))
        elif call is None:
            session.add(
                Call(day=entry.day, department_id=department_id, crew_member_id=member_id, **wanted)
            )
            changed_days.add(entry.day.id)
            report.created += 1
        elif update_fields(call, wanted):
            changed_days.add(entry.day.id)
            report.updated += 1
        else:
            report.unchanged += 1
    for day in {entry.day for entry in rows if entry.day.id in changed_days}:
        day.revision += 1  # once per import, however many of its calls changed
    session.flush()
    for entry in sorted(rows, key=lambda entry: entry.day.date):
        spec = placed(entry.spec, entry.day.general_call)
        if spec.kind == CallKind.CLOCK:
            subject = entry.member or entry.department
            whose = subject.name if subject else ""
            report.notes += far_call_warnings(production, entry.day, [(whose, spec.minutes)])
    for day, calls in sorted(proposed.items(), key=lambda item: item[0].date):
        change = Change(
            day.date, departments=tuple(calls["departments"]), people=tuple(calls["people"])
        )
        propose_from_import(session, day=day, change=change, report=report)
    return report


def _existing_calls(session: Session, day_ids: set[int]) -> dict[tuple, Call]:
    """These days' calls by (day, department, person)."""
    return {
        (call.shoot_day_id, call.department_id, call.crew_member_id): call
        for call in session.scalars(select(Call).where(Call.shoot_day_id.in_(day_ids)))
    }


def _checked(session: Session, production: Production, rows: list[Row]) -> list[CallRow]:
    problems = Problems()
    days = {
        d.date: d
        for d in session.scalars(select(ShootDay).where(ShootDay.production_id == production.id))
    }
    departments = {d.key: d for d in production.departments}
    checked: list = []
    seen: dict = {}
    for row in rows:
        day = _day(row, days, production, problems)
        subject = _who(session, production, departments, row, problems)
        spec = problems.parse(row, "call", parse_call)
        problems.parse(row, "note", checked_note, optional=True)
        if day is None or subject is None or spec is None:
            continue
        key = (day.date, subject)
        if key in seen:
            problems.add(
                row, "who", f"{row.get('who')} on {day.date} is already on row {seen[key]}"
            )
        seen[key] = row.number
        department, member = subject
        checked.append(CallRow(day, department, member, spec, row.get("note")))
    problems.check()
    return checked


def _day(row: Row, days: dict, production: Production, problems: Problems) -> ShootDay | None:
    date = problems.parse(row, "date", lambda v: parse_file_date(v, production.date_order))
    if date is None:
        return None
    if date not in days:
        problems.add(row, "date", f"there is no shoot day on {date}; import schedule.csv first")
        return None
    return days[date]


def _who(session, production, departments, row, problems):
    """(department, None) or (None, member); None after recording the problem."""
    who = row.get("who")
    if not who:
        problems.add(row, "who", "is empty")
        return None
    if department_key(who) in departments:
        return (departments[department_key(who)], None)
    matches = find_member(session, production=production, who=who)
    if len(matches) == 1:
        return (None, matches[0])
    if matches:
        problems.add(
            row, "who", f"`{who}` names {len(matches)} people; use their Slack id or email"
        )
    else:
        problems.add(row, "who", f"`{who}` is not a department or a person on the crew list")
    return None
