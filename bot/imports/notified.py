"""Days whose call sheet or schedule change has gone out: an import proposes their new
calls as a schedule change, for a coordinator to preview and send, instead of applying them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.changes.change import Change
from bot.imports.report import ImportReport
from bot.notices.standing import DAY_KINDS
from bot.storage.models import ChangeStatus, Delivery, Notice, ScheduleChange, ShootDay


def notified_dates(session: Session, *, production_id: int) -> set[dt.date]:
    """Dates with a live call sheet or schedule change that reached somebody."""
    subjects = session.scalars(
        select(Notice.subject)
        .where(
            Notice.production_id == production_id,
            Notice.kind.in_(DAY_KINDS),
            Notice.superseded_at.is_(None),
            Notice.subject.is_not(None),
            select(Delivery.id).where(Delivery.notice_id == Notice.id, Delivery.sends > 0).exists(),
        )
        .distinct()
    )
    return {
        dt.date.fromisoformat(s.removeprefix("day:"))
        for s in subjects
        if s and s.startswith("day:")
    }


def propose_from_import(
    session: Session, *, day: ShootDay, change: Change, report: ImportReport
) -> None:
    """Save `change` to `day` as a proposal, and say so in the import's report."""
    session.flush()
    stored = change.as_json()
    waiting = session.scalars(
        select(ScheduleChange).where(
            ScheduleChange.shoot_day_id == day.id,
            ScheduleChange.base_revision == day.revision,
            ScheduleChange.status == ChangeStatus.PROPOSED,
        )
    )
    # The same file imported again proposes nothing new.
    proposal = next((p for p in waiting if p.change == stored), None)
    if proposal is None:
        proposal = ScheduleChange(
            production_id=day.production_id,
            shoot_day_id=day.id,
            base_revision=day.revision,
            author=None,
            change=stored,
        )
        session.add(proposal)
        session.flush()
    number = f" (day {day.day_number})" if day.day_number else ""
    report.notes.append(
        f"{day.date:%a %-d %b}{number} has gone out to the crew, so its new calls were not "
        f"applied: they are proposed as schedule change {proposal.id}. A coordinator previews "
        f"and sends it with `/schedule-change {proposal.id}`."
    )
