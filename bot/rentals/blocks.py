"""Block Kit for /rentals: lists with costs, one rental in full, and the add modal."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from bot.core.format import date_text
from bot.core.kit import (
    capped,
    context,
    header,
    input_block,
    option,
    plain,
    section,
    text_input,
    text_sections,
)
from bot.core.locales import money_locale
from bot.core.money import GENERIC_LOCALE, money_text, rate_text
from bot.core.mrkdwn import escaped
from bot.rentals.costs import RentalView, Totals, costs
from bot.rentals.rentals import ACTIVE
from bot.storage.models import RentalStatus

ADD_FORM = "rentals_add"


def rental_line(rental: RentalView, *, today: dt.date) -> str:
    """`#12 *Alexa Mini LF kit* x2 · Panavision · Camera · due Fri 4 Dec (overdue)`."""
    count = f" x{rental.quantity}" if rental.quantity > 1 else ""
    due = f"due {date_text(rental.due_on)}"
    if rental.status not in ACTIVE:
        due = rental.status.value
    elif rental.due_on < today:
        due += " *(overdue)*"
    if rental.status == RentalStatus.DAMAGED:
        due += " · damaged, still on hire"
    what = f"*{escaped(rental.item)}*{count} · {escaped(rental.vendor)}"
    return f"#{rental.id} {what} · {escaped(rental.department)} · {due}"


def list_blocks(
    title: str, rentals: list[RentalView], *, today: dt.date, locale: str = GENERIC_LOCALE
) -> tuple[str, list[dict]]:
    """Rentals with their costs, then totals per department and currency; money written
    in the production's `locale`."""
    if not rentals:
        return f"{escaped(title)}: none.", [section(f"*{escaped(title)}:* none.")]
    totals = Totals()
    lines = []
    for rental in rentals:
        cost = costs(rental, today=today)
        totals.add(rental, cost)
        rate = rate_text(rental.rate_cents, rental.rate_period, rental.currency, locale=locale)
        lines.append(
            f"{rental_line(rental, today=today)}\n      {rate} · to date "
            f"{money_text(cost.to_date, rental.currency, locale=locale)} · projected "
            f"{money_text(cost.projected, rental.currency, locale=locale)}"
        )
    total_lines = [
        f"• {escaped(department)} ({currency}): to date "
        f"{money_text(spent, currency, locale=locale)}, "
        f"projected {money_text(projected, currency, locale=locale)}"
        for (department, currency), (spent, projected) in sorted(totals.by.items())
    ]
    blocks = [
        header(f"{title} ({len(rentals)})"),
        *text_sections(lines),
        section("*Costs by department*\n" + "\n".join(total_lines)),
    ]
    return f"{escaped(title)}: {len(rentals)}", capped(blocks)


def show_blocks(rental: RentalView, *, today: dt.date, timezone: str) -> tuple[str, list[dict]]:
    """One rental in full, with its history (dated in the production's zone)."""
    zone = zoneinfo.ZoneInfo(timezone)
    locale = money_locale(timezone)
    cost = costs(rental, today=today)
    facts = [
        f"*Vendor:* {escaped(rental.vendor)}"
        + (f" ({escaped(rental.vendor_contact)})" if rental.vendor_contact else ""),
        f"*Department:* {escaped(rental.department)} · *Quantity:* {rental.quantity}",
        f"*Picked up:* {date_text(rental.pickup_on)} · *Due back:* {date_text(rental.due_on)}",
        f"*Status:* {rental.status.value}",
        f"*Rate:* "
        f"{rate_text(rental.rate_cents, rental.rate_period, rental.currency, locale=locale)} · "
        f"*to date* {money_text(cost.to_date, rental.currency, locale=locale)} · "
        f"*projected* {money_text(cost.projected, rental.currency, locale=locale)}",
    ]
    if rental.po_number:
        facts.append(f"*PO:* {escaped(rental.po_number)}")
    if rental.notes:
        facts.append(f"*Notes:* {escaped(rental.notes)}")
    history = " · ".join(
        f"{what} {date_text(at.astimezone(zone).date())}" for what, at in rental.events
    )
    title = f"Rental #{rental.id}: {rental.item}"  # a header: plain text
    fallback = f"Rental #{rental.id}: {escaped(rental.item)}"
    return fallback, [header(title), section("\n".join(facts)), context(history or "no history")]


def added_text(rental: RentalView, *, locale: str = GENERIC_LOCALE) -> str:
    """`Added rental #12: *Alexa Mini LF kit* for Camera, out, due Fri 4 Dec at £850.00/day.`"""
    count = f" x{rental.quantity}" if rental.quantity > 1 else ""
    rate = rate_text(rental.rate_cents, rental.rate_period, rental.currency, locale=locale)
    return (
        f"Added rental #{rental.id}: *{escaped(rental.item)}*{count} "
        f"for {escaped(rental.department)}, "
        f"{rental.status.value}, due {date_text(rental.due_on)} at {rate}."
    )


def changed_text(rental: RentalView) -> str:
    """What a coordinator or head is told after a change."""
    if rental.status == RentalStatus.DAMAGED:
        return (
            f"Rental #{rental.id} *{escaped(rental.item)}* is marked damaged. It stays on "
            f"hire, and costing, until it is returned (`return {rental.id}`) or written off "
            f"(`lost {rental.id}`); due {date_text(rental.due_on)}."
        )
    return (
        f"Rental #{rental.id} *{escaped(rental.item)}* is now {rental.status.value}, "
        f"due {date_text(rental.due_on)}."
    )


def add_form(departments: list[str], *, today: dt.date, channel_id: str | None) -> dict:
    """The modal `/rentals add` opens: each field under the name the text form uses."""
    required = {"optional": False}
    return {
        "type": "modal",
        "callback_id": ADD_FORM,
        "title": plain("Add a rental"),
        "submit": plain("Add"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"channel": channel_id}),
        "blocks": [
            {**text_input("item", "Item", "Alexa Mini LF kit"), **required},
            {**text_input("vendor", "Vendor", "Panavision"), **required},
            input_block(
                "department",
                "Department",
                {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [option(name, name) for name in departments[:100]],
                },
                optional=False,
            ),
            input_block(
                "pickup",
                "Picked up",
                {"type": "datepicker", "action_id": "value", "initial_date": today.isoformat()},
                optional=False,
            ),
            input_block(
                "due", "Due back", {"type": "datepicker", "action_id": "value"}, optional=False
            ),
            {**text_input("rate", "Rate", "850/day, £2,400/week or 1200 EUR/day"), **required},
            text_input("quantity", "Quantity", "1"),
            text_input("po", "PO number", "4411"),
            text_input("contact", "Vendor contact", "Sam at Panavision, 020 7946 0000"),
            text_input("notes", "Notes", "spare batteries in the case", multiline=True),
        ],
    }
