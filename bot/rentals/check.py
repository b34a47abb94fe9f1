"""The daily rentals check, run by the planner at each production's `rentals_time`.

Items due back today or tomorrow go to their department's head (or, without one, the
coordinators); items overdue go to the head and the coordinators, every day until
they are returned or written off. Each is a notice with Acknowledge. Reserved items
whose pickup day has come are marked out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.notices.notices import Recipient, coordinators_of, create_notice
from bot.rentals.blocks import rental_line
from bot.rentals.costs import RentalView
from bot.rentals.rentals import active_rentals
from bot.storage.models import (
    CrewMember,
    NoticeKind,
    Production,
    Rental,
    RentalEvent,
    RentalStatus,
    Role,
)


def check_rentals(
    session: Session, production: Production, date: dt.date, now: dt.datetime
) -> None:
    """Tell heads and coordinators what is due back and what is overdue, as of `date`."""
    rentals = active_rentals(session, production_id=production.id)
    for rental in rentals:
        if rental.status == RentalStatus.RESERVED and rental.pickup_on <= date:
            rental.status = RentalStatus.OUT
            rental.events.append(RentalEvent(what="reserved -> out", actor=None, at=now))
    soon: dict[int, list[Rental]] = defaultdict(list)
    overdue: dict[int, list[Rental]] = defaultdict(list)
    for rental in rentals:
        if rental.due_on < date:
            overdue[rental.department_id].append(rental)
        elif rental.due_on <= date + dt.timedelta(days=1):
            soon[rental.department_id].append(rental)
    coordinators = [Recipient.of(c) for c in coordinators_of(session, production_id=production.id)]
    # Due soon: to the department's head, else the coordinators. Overdue: to both, urgent.
    for found, title, urgent in (
        (soon, "Rentals due back", False),
        (overdue, "Overdue rentals", True),
    ):
        for department_id, items in found.items():
            heads = _heads(session, production, department_id)
            to = heads + coordinators if urgent else heads or coordinators
            _tell(session, production, items, date, now, title=title, to=to, urgent=urgent)


def _heads(session: Session, production: Production, department_id: int) -> list[Recipient]:
    heads = session.scalars(
        select(CrewMember).where(
            CrewMember.production_id == production.id,
            CrewMember.department_id == department_id,
            CrewMember.role == Role.HEAD,
        )
    )
    return [Recipient.of(head) for head in heads]


def _tell(
    session: Session,
    production: Production,
    items: list[Rental],
    date: dt.date,
    now: dt.datetime,
    *,
    title: str,
    to: list[Recipient],
    urgent: bool = False,
) -> None:
    if not to:
        return
    department = items[0].department.name
    create_notice(
        session,
        production=production,
        kind=NoticeKind.RENTAL,
        title=f"{title} · {department}",
        body="\n".join(rental_line(RentalView.of(rental), today=date) for rental in items),
        recipients=to,
        post_to_channel=False,
        urgent=urgent,
        now=now,
    )
