"""Equipment rentals: adding them, their status, what they cost, and what is due back.

Who may do what: coordinators everything; a department head adds and changes their
own department's rentals; everyone on the crew may list and look. Costs are worked
out in the rental's own currency, and totals are per department and per currency,
never mixed.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core.calls import department_key
from bot.core.errors import FormErrors, UserError
from bot.core.money import parse_rate
from bot.core.mrkdwn import escaped, quoted
from bot.core.notes import too_long
from bot.core.numbers import parse_id
from bot.core.roles import Action, allowed
from bot.core.views import MemberView
from bot.core.when import parse_when
from bot.storage.models import (
    CrewMember,
    Department,
    Production,
    RatePeriod,
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
ADD_USAGE = (
    '`/rentals add "Alexa Mini LF kit" vendor Panavision dept camera out 2026-11-20 '
    "due 2026-12-04 rate 850/day po 4411`"
)
_FIELDS = {
    "vendor": "vendor",
    "dept": "department",
    "department": "department",
    "out": "pickup",
    "pickup": "pickup",
    "due": "due",
    "rate": "rate",
    "po": "po",
    "qty": "quantity",
    "quantity": "quantity",
    "contact": "contact",
    "notes": "notes",
}
REQUIRED = ("vendor", "department", "pickup", "due", "rate")


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


@dataclass(frozen=True)
class NewRental:
    """A rental as asked for, before it is saved."""

    item: str
    vendor: str
    department: Department
    pickup: dt.date
    due: dt.date
    rate_cents: int
    period: RatePeriod
    currency: str
    quantity: int = 1
    po: str = ""
    contact: str = ""
    notes: str = ""


def parse_add(session: Session, production: Production, text: str, *, today: dt.date) -> NewRental:
    """`"<item>" vendor X dept Y out DATE due DATE rate R [po N] [qty N] [contact] [notes]`."""
    text = text.replace("“", '"').replace("”", '"').strip()
    try:
        words = shlex.split(text)
    except ValueError:
        raise UserError(f"A quote is not closed. Write it like {ADD_USAGE}.") from None
    values: dict[str, list[str]] = {"item": []}
    current = "item"
    for word in words:
        name = _FIELDS.get(word.lower())
        if name is not None and (current == "item" or name not in values):
            values[name] = []
            current = name
        else:
            values[current].append(word)
    given = {name: " ".join(parts) for name, parts in values.items()}
    try:
        return read_fields(session, production, given, today=today)
    except FormErrors as exc:
        raise UserError(f"{' '.join(exc.errors.values())} Write it like {ADD_USAGE}.") from None


def read_fields(
    session: Session, production: Production, given: dict[str, str], *, today: dt.date
) -> NewRental:
    """A rental from its fields (typed or from the modal); FormErrors names each bad one."""
    errors: dict[str, str] = {}
    read: dict[str, object] = {}
    readers = {
        "department": lambda text: department_named(session, production, text),
        "pickup": lambda text: _date(text, production, today, "pickup"),
        "due": lambda text: _date(text, production, today, "due"),
        "rate": lambda text: parse_rate(text, currency=production.currency),
        "quantity": _quantity,
    }
    for name in ("item", *REQUIRED):
        if not given.get(name, "").strip():
            errors[name] = f"Say the rental's {name}."
    for name, reader in readers.items():
        if name not in errors and given.get(name, "").strip():
            try:
                read[name] = reader(given[name].strip())
            except UserError as exc:
                errors[name] = str(exc)
    if errors:
        raise FormErrors(errors)
    cents, period, currency = read["rate"]  # type: ignore[misc]
    new = NewRental(
        item=given["item"].strip(),
        vendor=given["vendor"].strip(),
        department=read["department"],  # type: ignore[arg-type]
        pickup=read["pickup"],  # type: ignore[arg-type]
        due=read["due"],  # type: ignore[arg-type]
        rate_cents=cents,
        period=period,
        currency=currency,
        quantity=read.get("quantity", 1),  # type: ignore[arg-type]
        po=given.get("po", "").strip(),
        contact=given.get("contact", "").strip(),
        notes=given.get("notes", "").strip(),
    )
    if new.due < new.pickup:
        raise FormErrors(
            {
                "due": f"The rental is due back ({new.due:%a %-d %b}) before it is picked up "
                f"({new.pickup:%a %-d %b})."
            }
        )
    if (problem := too_long(new.notes, what="rental note")) is not None:
        raise FormErrors({"notes": problem})
    if len(new.item) > 300 or len(new.vendor) > 200:
        raise FormErrors(
            {"item": "That item or vendor name is too long: keep it under 200 characters."}
        )
    return new


def department_named(session: Session, production: Production, name: str) -> Department:
    """The production's department called `name` (any case); UserError listing the real ones."""
    departments = list(
        session.scalars(select(Department).where(Department.production_id == production.id))
    )
    for department in departments:
        if department.key == department_key(name):
            return department
    names = ", ".join(sorted(d.name for d in departments)) or "none yet"
    raise UserError(f"{quoted(name)} is not a department here. The departments are: {names}.")


def _date(text: str, production: Production, today: dt.date, what: str) -> dt.date:
    when = parse_when(text, today=today, date_order=production.date_order)
    if when.date is None:
        raise UserError(f"Give the {what} date as a date, e.g. `2026-12-04`, `4 dec` or `fri`.")
    return when.date


def _quantity(text: str) -> int:
    if not re.fullmatch(r"\d{1,5}", text.strip()) or int(text) < 1:
        raise UserError(f"{quoted(text)} is not a quantity: give a whole number, 1 or more.")
    return int(text)


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
