"""crew.csv: name, email, slack_id, department, position, role, phone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.effective_calls import department_key
from bot.core.locales import code_page_for
from bot.core.mrkdwn import quoted
from bot.core.names import EMAIL, SLACK_USER
from bot.imports.csvfile import Problems, Row, read_rows
from bot.imports.fields import update_fields
from bot.imports.report import ImportReport
from bot.storage.models import CrewMember, Department, Production, Role

EmailLookup = Callable[[str], str | None]


def slack_email_lookup(client: WebClient) -> EmailLookup:
    """users.lookupByEmail as a function: the Slack user id, or None when Slack has no such
    user; any other refusal raises SlackApiError."""

    def lookup(email: str) -> str | None:
        try:
            return str(client.users_lookupByEmail(email=email)["user"]["id"])
        except SlackApiError as exc:
            if exc.response.get("error") == "users_not_found":
                return None
            raise

    return lookup


FIELDS = ("name", "email", "position", "phone")


@dataclass
class CrewRow:
    """A checked row of crew.csv."""

    row: Row
    slack_id: str | None
    email: str | None
    name: str
    department: str
    position: str
    role: Role | None
    phone: str


def import_crew(
    session: Session, *, production: Production, data: bytes, lookup: EmailLookup | None = None
) -> ImportReport:
    """Add or update crew from crew.csv; `lookup` resolves emails to Slack ids when it can."""
    table = read_rows(data, required=(), kind="crew", code_page=code_page_for(production.timezone))
    rows = _checked(table.rows, lookup)
    report = ImportReport("crew", notes=list(table.notes))
    departments = {d.key: d for d in production.departments}
    existing = list(
        session.scalars(select(CrewMember).where(CrewMember.production_id == production.id))
    )
    by_user = {m.slack_user_id: m for m in existing if m.slack_user_id}
    by_email = {m.email.lower(): m for m in existing if m.email}
    for entry in rows:
        member = by_user.get(entry.slack_id or "") or by_email.get((entry.email or "").lower())
        if member is None:
            member = CrewMember(production=production)
            session.add(member)
            _apply(member, entry, departments, production, session)
            report.created += 1
        elif _apply(member, entry, departments, production, session):
            report.updated += 1
        else:
            report.unchanged += 1
        if member.slack_user_id is None:
            report.notes.append(f"{entry.email}: not in Slack yet; linked on their first command")
    session.flush()
    return report


def _apply(
    member: CrewMember,
    entry: CrewRow,
    departments: dict[str, Department],
    production: Production,
    session: Session,
) -> bool:
    """Copy the row onto the member; whether anything changed. A blank role keeps the old one."""
    wanted = {
        "slack_user_id": entry.slack_id or member.slack_user_id,
        "email": entry.email or member.email,
        "name": entry.name or member.name,
        "position": entry.position,
        "phone": entry.phone,
        "role": entry.role or member.role or Role.CREW,
        "department": _department(entry.department, departments, production, session),
    }
    return update_fields(member, wanted)


def _department(
    name: str, departments: dict[str, Department], production: Production, session: Session
) -> Department | None:
    if not name:
        return None
    key = department_key(name)
    if key not in departments:
        departments[key] = Department(production=production, name=" ".join(name.split()), key=key)
        session.add(departments[key])
    return departments[key]


def _checked(rows: list[Row], lookup: EmailLookup | None) -> list[CrewRow]:
    problems = Problems()
    checked: list[CrewRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        entry = _check_row(row, problems)
        if entry is None:
            continue
        if entry.slack_id is None and entry.email and lookup is not None:
            entry.slack_id = lookup(entry.email)
        for identity in filter(None, (entry.slack_id, (entry.email or "").lower())):
            if identity in seen:
                problems.add(
                    row, "slack_id/email", f"{identity} is already on row {seen[identity]}"
                )
            seen[identity] = row.number
        checked.append(entry)
    problems.check()
    return checked


def _check_row(row: Row, problems: Problems) -> CrewRow | None:
    before = len(problems.found)
    slack_id, email = row.get("slack_id") or None, row.get("email") or None
    if slack_id is None and email is None:
        problems.add(row, "slack_id", "give a slack_id (U0123ABCD) or an email")
    if slack_id is not None and not SLACK_USER.fullmatch(slack_id):
        problems.add(row, "slack_id", f"`{slack_id}` is not a Slack user id, e.g. U0123ABCD")
    if email is not None and not EMAIL.fullmatch(email):
        problems.add(row, "email", f"{quoted(email)} is not an email address")
    role_text = row.get("role").lower()
    if role_text and role_text not in {r.value for r in Role}:
        problems.add(
            row, "role", f"{quoted(row.get('role'))} is not a role: crew, head or coordinator"
        )
    if len(problems.found) > before:
        return None
    return CrewRow(
        row=row,
        slack_id=slack_id,
        email=email,
        name=" ".join(row.get("name").split()),
        department=row.get("department"),
        position=row.get("position"),
        role=Role(role_text) if role_text else None,
        phone=row.get("phone"),
    )
