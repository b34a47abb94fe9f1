"""Equipment rentals: adding them, their status, what they cost, and what is due back
(bot/rentals/fields.py reads what people write).

Who may do what: coordinators everything; a department head adds and changes their
own department's rentals; everyone on the crew may list and look. Costs are worked
out in the rental's own currency, and totals are per department and per currency,
never mixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core.errors import UserError
from bot.core.mrkdwn import escaped, quoted
from bot.core.numbers import parse_id
from bot.core.roles import Action, allowed
from bot.core.views import MemberView
from bot.rentals.fields import NewRental
from bot.storage.models import (
    CrewMember,
    Department,
    Production,
    Rental,
    RentalEvent,
    RentalStatus,
    Role,
)

# On hire, and costing: a damaged item too, until it is returned or written off (lost).
ACTIVE = (RentalStatus.RESERVED, RentalStatus.OUT, RentalStatus.DAMAGED)
ENDED = {
    "return": RentalStatus.RETURNED,
    "lost": RentalStatus.LOST,
    "writeoff": RentalStatus.LOST,
    "damaged": RentalStatus.DAMAGED,
}


@dataclass(frozen=True)
class Who:
    """The person acting on rentals: their role and department."""

    user_id: str
    role: Role
    department_id: int | None

    @classmethod
    def of(cls, member: CrewMember | MemberView | None, user_id: str) -> Who:
        """Who is acting, and which rentals they may change; crew only."""
        if member is None:
            raise UserError("Only people on the production's crew list can see its rentals.")
        return cls(user_id, member.role, member.department_id)

    def may_change(self, department_id: int) -> bool:
        """Whether they may change rentals of this department."""
        return allowed(self, Action.CHANGE_RENTALS, department_id=department_id)


def add_rental(
    session: Session,
    *,
    production: Production,
    new: NewRental,
    who: Who,
    today: dt.date,
    now: dt.datetime,
) -> Rental:
    """Save a new rental (out if its pickup is today or past, else reserved)."""
    if not who.may_change(new.department.id):
        raise UserError(
            f"Only coordinators and the head of {escaped(new.department.name)} can add its rentals."
        )
    rental = Rental(
        production_id=production.id,
        department=new.department,
        vendor=new.vendor,
        item=new.item,
        quantity=new.quantity,
        pickup_on=new.pickup,
        due_on=new.due,
        rate_cents=new.rate_cents,
        rate_period=new.period,
        currency=new.currency,
        po_number=new.po,
        vendor_contact=new.contact,
        notes=new.notes,
        status=RentalStatus.OUT if new.pickup <= today else RentalStatus.RESERVED,
        created_at=now,
    )
    rental.events.append(
        RentalEvent(what=f"added ({rental.status.value})", actor=who.user_id, at=now)
    )
    session.add(rental)
    session.flush()
    return rental


def rental_by_id(session: Session, *, production_id: int, text: str) -> Rental:
    """The production's rental numbered `text` (`12` or `#12`); UserError if there is none."""
    number = parse_id(
        text.strip().removeprefix("#"),
        f"Give the rental's number, e.g. `12`; {quoted(text.strip() or '(nothing)')} is not one.",
    )
    rental = session.scalar(
        select(Rental)
        .where(Rental.id == number, Rental.production_id == production_id)
        .options(selectinload(Rental.department), selectinload(Rental.events))
    )
    if rental is None:
        raise UserError(
            f"There is no rental {number} on this production. `/rentals list` shows them."
        )
    return rental


def end_rental(
    rental: Rental, *, status: RentalStatus, who: Who, today: dt.date, now: dt.datetime
) -> None:
    """Mark a rental returned or lost (written off): it stops costing today. Marked damaged,
    it stays on hire, and costing, until it is returned or written off."""
    _may_change(rental, who)
    if rental.status not in ACTIVE or rental.status == status:
        raise UserError(f"Rental {rental.id} is already {rental.status.value}.")
    rental.events.append(
        RentalEvent(what=f"{rental.status.value} -> {status.value}", actor=who.user_id, at=now)
    )
    rental.status = status
    if status != RentalStatus.DAMAGED:
        rental.ended_on = max(today, rental.pickup_on)


def extend_rental(rental: Rental, *, due: dt.date, who: Who, now: dt.datetime) -> None:
    """Move a rental's due-back date."""
    _may_change(rental, who)
    if rental.status not in ACTIVE:
        raise UserError(
            f"Rental {rental.id} is {rental.status.value}; only rentals still out can be extended."
        )
    if due < rental.pickup_on:
        raise UserError(
            f"Rental {rental.id} was picked up {rental.pickup_on:%a %-d %b}; "
            "it can't be due back before that."
        )
    rental.events.append(
        RentalEvent(what=f"due {rental.due_on:%-d %b} -> {due:%-d %b}", actor=who.user_id, at=now)
    )
    rental.due_on = due


def _may_change(rental: Rental, who: Who) -> None:
    if not who.may_change(rental.department_id):
        raise UserError(
            f"Only coordinators and the head of {escaped(rental.department.name)} "
            f"can change rental {rental.id}."
        )


def active_rentals(
    session: Session, *, production_id: int, department: Department | None = None
) -> list[Rental]:
    """Rentals reserved or out, soonest due first."""
    query = (
        select(Rental)
        .where(Rental.production_id == production_id, Rental.status.in_(ACTIVE))
        .options(selectinload(Rental.department))
        .order_by(Rental.due_on, Rental.id)
    )
    if department is not None:
        query = query.where(Rental.department_id == department.id)
    return list(session.scalars(query))


def due_by(session: Session, *, production_id: int, date: dt.date) -> list[Rental]:
    """Rentals still out that are due back on or before `date` (overdue ones included)."""
    return [r for r in active_rentals(session, production_id=production_id) if r.due_on <= date]
