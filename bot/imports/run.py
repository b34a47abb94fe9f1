"""Choosing the importer for a kind of file."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.imports.calls import import_calls
from bot.imports.crew import EmailLookup, import_crew
from bot.imports.report import ImportReport
from bot.imports.schedule import import_schedule
from bot.storage.models import Production


def import_file(
    session: Session,
    *,
    production: Production,
    kind: str,
    data: bytes,
    lookup: EmailLookup | None = None,
) -> ImportReport:
    """Import `data` as crew, schedule or calls; ImportFailed (nothing changed) on any bad row."""
    if kind == "crew":
        return import_crew(session, production=production, data=data, lookup=lookup)
    if kind == "schedule":
        return import_schedule(session, production=production, data=data)
    if kind == "calls":
        return import_calls(session, production=production, data=data)
    raise ValueError(kind)
