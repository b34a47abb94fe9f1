"""Choosing the importer for a kind of file."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.imports.calls import import_calls
from bot.imports.crew import EmailLookup, import_crew
from bot.imports.ics_import import import_ics
from bot.imports.report import ImportReport
from bot.imports.schedule import import_schedule
from bot.storage.models import Production

KINDS = ("crew", "schedule", "calls", "ics")


def import_file(
    session: Session,
    *,
    production: Production,
    kind: str,
    data: bytes,
    lookup: EmailLookup | None = None,
) -> ImportReport:
    """Import `data` as crew, schedule, calls (CSV) or a schedule from an iCalendar file (ics).

    ImportFailed, with nothing changed, on any bad row or event.
    """
    if kind == "crew":
        return import_crew(session, production=production, data=data, lookup=lookup)
    if kind == "schedule":
        return import_schedule(session, production=production, data=data)
    if kind == "calls":
        return import_calls(session, production=production, data=data)
    if kind == "ics":
        return import_ics(session, production=production, data=data)
    raise ValueError(kind)
