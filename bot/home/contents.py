"""What a person's App Home shows: their next calls, what waits for their acknowledgement,
the script's colour; for heads and coordinators, how recent notices stand, rentals due
back, and what they may start from there. Every list is capped: a 300-person production
fits Slack's 100 blocks as well as a small one."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.effective_calls import EffectiveCall, calls_ahead, local_today, member_call
from bot.core.roles import Action, allowed
from bot.core.schedule import Schedule
from bot.core.views import DayView, MemberView, ProductionView
from bot.notices.standing import Tally, tallies
from bot.rentals.costs import RentalView
from bot.rentals.rentals import due_by
from bot.script.revisions import Revision, acknowledged_at, latest_revision
from bot.storage.models import Delivery, Notice, Role

CALLS_SHOWN = 3
WAITING_SHOWN = 8
NOTICES_SHOWN = 5
RENTALS_SHOWN = 8
# Rentals due back this many days ahead are listed (overdue ones always are).
RENTALS_AHEAD = dt.timedelta(days=2)


@dataclass(frozen=True)
class Waiting:
    """A notice sent to the person and not yet acknowledged."""

    notice_id: int
    title: str
    sent_at: dt.datetime | None


@dataclass(frozen=True)
class ScriptState:
    """The current revision, and whether the person has acknowledged it."""

    revision: Revision
    sent: bool
    acknowledged: dt.datetime | None


@dataclass(frozen=True)
class HomePage:
    """Everything the App Home shows one person."""

    schedule: Schedule
    member: MemberView
    calls: list[tuple[DayView, EffectiveCall]]
    waiting: list[Waiting]
    waiting_more: int
    script: ScriptState | None
    # Heads and coordinators (heads: their department's part).
    recent: list[tuple[Notice, Tally]]
    rentals: list[RentalView]
    rentals_more: int
    actions: list[Action]


def home_page(
    session: Session, schedule: Schedule, member: MemberView, *, now: dt.datetime
) -> HomePage:
    """The person's page, as of `now`."""
    production = schedule.production
    waiting, waiting_more = _waiting(session, member, now=now)
    script = _script_state(session, production.id, member)
    recent: list[tuple[Notice, Tally]] = []
    rentals: list[RentalView] = []
    rentals_more = 0
    if allowed(member, Action.SEE_ACKS):
        department = None if member.role == Role.COORDINATOR else member.department_id
        recent = _recent(session, production.id, department)
        rentals, rentals_more = _rentals_due(session, production, department, now=now)
    actions = [
        action
        for action in (Action.CHANGE_SCHEDULE, Action.ANNOUNCE, Action.ANNOUNCE_SCRIPT)
        if allowed(member, action)
    ]
    return HomePage(
        schedule,
        member,
        next_calls(schedule, member, now=now),
        waiting,
        waiting_more,
        script,
        recent,
        rentals,
        rentals_more,
        actions,
    )


def _script_state(session: Session, production_id: int, member: MemberView) -> ScriptState | None:
    """The latest script revision, and whether this person has acknowledged it."""
    revision = latest_revision(session, production_id=production_id)
    if revision is None or not member.slack_user_id:
        return None
    sent, at = acknowledged_at(session, revision=revision, user_id=member.slack_user_id)
    return ScriptState(Revision.of(revision), sent, at)


def _rentals_due(
    session: Session, production: ProductionView, department: int | None, *, now: dt.datetime
) -> tuple[list[RentalView], int]:
    """Rentals due back soon (one department's, or all): those shown, and how many more."""
    due = due_by(
        session,
        production_id=production.id,
        date=local_today(production, now) + RENTALS_AHEAD,
    )
    due = [r for r in due if department is None or r.department_id == department]
    return [RentalView.of(row) for row in due[:RENTALS_SHOWN]], max(0, len(due) - RENTALS_SHOWN)


def next_calls(
    schedule: Schedule, member: MemberView, *, now: dt.datetime, limit: int = CALLS_SHOWN
) -> list[tuple[DayView, EffectiveCall]]:
    """The person's next calls still ahead of `now`, soonest first."""
    ahead = calls_ahead(
        schedule, now=now, call_on=lambda day: member_call(schedule, member=member, day=day)
    )
    return list(itertools.islice(ahead, limit))


def _waiting(
    session: Session, member: MemberView, *, now: dt.datetime
) -> tuple[list[Waiting], int]:
    """The newest notices waiting for the person's acknowledgement, and how many more."""
    waiting = (
        select(Notice.id, Notice.title, Delivery.sent_at)
        .join(Delivery, Delivery.notice_id == Notice.id)
        .where(
            Delivery.crew_member_id == member.id,
            Delivery.sends > 0,
            Delivery.acknowledged_at.is_(None),
            Notice.acknowledge.is_(True),
            Notice.superseded_at.is_(None),
            (Notice.expires_at.is_(None)) | (Notice.expires_at > now),
        )
    )
    rows = session.execute(waiting.order_by(Notice.id.desc()).limit(WAITING_SHOWN)).all()
    total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    return [Waiting(*row) for row in rows], total - len(rows)


def _recent(
    session: Session, production_id: int, department_id: int | None
) -> list[tuple[Notice, Tally]]:
    notices = list(
        session.scalars(
            select(Notice)
            .where(Notice.production_id == production_id, Notice.acknowledge.is_(True))
            .order_by(Notice.id.desc())
            .limit(NOTICES_SHOWN)
        )
    )
    counts = tallies(session, notice_ids=[n.id for n in notices], department_id=department_id)
    return [(notice, counts[notice.id]) for notice in notices]
