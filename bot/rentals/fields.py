"""A rental as a coordinator or head writes it: `/rentals add` typed, or the modal's
fields, read into a `NewRental`; each field that cannot be read is named."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core import names
from bot.core.errors import FormErrors, UserError
from bot.core.locales import money_locale
from bot.core.money import parse_rate
from bot.core.mrkdwn import quoted
from bot.core.notes import length_refusal, too_long
from bot.core.when import parse_when
from bot.storage.models import Department, Production, RatePeriod

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
    read = _read_each(
        given,
        {
            "department": lambda text: department_named(session, production, text),
            "pickup": lambda text: _date(text, production, today, "pickup"),
            "due": lambda text: _date(text, production, today, "due"),
            "rate": lambda text: parse_rate(
                text, currency=production.currency, locale=money_locale(production.timezone)
            ),
            "quantity": _quantity,
        },
    )
    cents, period, currency = read["rate"]
    new = NewRental(
        item=given["item"].strip(),
        vendor=given["vendor"].strip(),
        department=read["department"],
        pickup=read["pickup"],
        due=read["due"],
        rate_cents=cents,
        period=period,
        currency=currency,
        quantity=read.get("quantity", 1),
        po=given.get("po", "").strip(),
        contact=given.get("contact", "").strip(),
        notes=given.get("notes", "").strip(),
    )
    _check_together(new)
    return new


def _read_each(given: dict[str, str], readers: dict[str, Callable[[str], object]]) -> dict:
    """Each given field through its reader; FormErrors naming every missing or bad one."""
    errors: dict[str, str] = {}
    read: dict[str, object] = {}
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
    return read


def _check_together(new: NewRental) -> None:
    """What no one field shows: due back before pickup, and lengths Slack would cut."""
    if new.due < new.pickup:
        raise FormErrors(
            {
                "due": f"The rental is due back ({new.due:%a %-d %b}) before it is picked up "
                f"({new.pickup:%a %-d %b})."
            }
        )
    if (problem := too_long(new.notes, what="rental note")) is not None:
        raise FormErrors({"notes": problem})
    for field, value, limit in (("item", new.item, 300), ("vendor", new.vendor, 200)):
        if len(value) > limit:
            raise FormErrors({field: length_refusal(field, len(value), limit)})


def department_named(session: Session, production: Production, name: str) -> Department:
    """The production's department `name` names, as every command reads one (`camera`,
    `sparks`, `hmu`); UserError with the nearest, or the real ones."""
    departments = list(
        session.scalars(select(Department).where(Department.production_id == production.id))
    )
    return names.department_named(departments, name)


def _date(text: str, production: Production, today: dt.date, what: str) -> dt.date:
    when = parse_when(text, today=today, date_order=production.date_order)
    if when.date is None:
        raise UserError(f"Give the {what} date as a date, e.g. `2026-12-04`, `4 dec` or `fri`.")
    return when.date


def _quantity(text: str) -> int:
    if not re.fullmatch(r"\d{1,5}", text.strip()) or int(text) < 1:
        raise UserError(f"{quoted(text)} is not a quantity: give a whole number, 1 or more.")
    return int(text)
