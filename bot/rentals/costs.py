"""What rentals cost: to date and projected, per item and per department and currency.

A rental costs from its pickup day: to today (or the day it ended) so far, and to its
due date (or the day it ended, or today if it is overdue) in all. Totals are kept per
department and per currency; amounts in different currencies are never added up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.core.money import charged_days, cost_cents
from bot.storage.models import RatePeriod, Rental, RentalStatus


@dataclass(frozen=True)
class RentalView:
    """A rental as messages show it: plain values, no database row."""

    id: int
    item: str
    vendor: str
    vendor_contact: str
    department: str
    quantity: int
    pickup_on: dt.date
    due_on: dt.date
    ended_on: dt.date | None
    status: RentalStatus
    rate_cents: int
    rate_period: RatePeriod
    currency: str
    po_number: str
    notes: str
    # (what happened, when), oldest first; empty unless asked for.
    events: tuple[tuple[str, dt.datetime], ...] = ()

    @classmethod
    def of(cls, row: Rental, *, with_events: bool = False) -> RentalView:
        """The values of a stored rental (and its history, if asked: it is another query)."""
        events = tuple((event.what, event.at) for event in row.events) if with_events else ()
        return cls(
            row.id,
            row.item,
            row.vendor,
            row.vendor_contact,
            row.department.name,
            row.quantity,
            row.pickup_on,
            row.due_on,
            row.ended_on,
            row.status,
            row.rate_cents,
            row.rate_period,
            row.currency,
            row.po_number,
            row.notes,
            events,
        )


@dataclass(frozen=True)
class Costs:
    """A rental's cost so far and by the end of its hire (to its due date, or when it ended)."""

    to_date: int
    projected: int


def costs(rental: Rental | RentalView, *, today: dt.date) -> Costs:
    """Costs in the rental's minor unit: to today (or its end), and projected to due or end."""
    end = rental.ended_on
    to_date_until = min(today, end) if end else today
    projected_until = end if end else max(rental.due_on, today)

    def cost(until: dt.date) -> int:
        return cost_cents(
            rate_cents=rental.rate_cents,
            period=rental.rate_period,
            quantity=rental.quantity,
            days=charged_days(rental.pickup_on, until),
        )

    return Costs(cost(to_date_until), cost(projected_until))


@dataclass
class Totals:
    """Costs added up per (department, currency): never across currencies."""

    by: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )

    def add(self, rental: RentalView, cost: Costs) -> None:
        """Add a rental's costs to its department's total in its currency."""
        total = self.by[rental.department, rental.currency]
        total[0] += cost.to_date
        total[1] += cost.projected


CSV_COLUMNS = (
    "id", "item", "vendor", "department", "quantity", "pickup_on", "due_on", "status",
    "rate", "period", "currency", "po_number", "vendor_contact", "cost_to_date",
    "cost_projected", "notes",
)  # fmt: skip


def export_csv(session: Session, *, production_id: int, today: dt.date) -> str:
    """Every rental of the production as CSV; amounts in major units (`11900.00`)."""
    rentals = session.scalars(
        select(Rental)
        .where(Rental.production_id == production_id)
        .options(selectinload(Rental.department))
        .order_by(Rental.id)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rental in rentals:
        cost = costs(rental, today=today)
        writer.writerow(
            [
                rental.id,
                rental.item,
                rental.vendor,
                rental.department.name,
                rental.quantity,
                rental.pickup_on.isoformat(),
                rental.due_on.isoformat(),
                rental.status.value,
                f"{rental.rate_cents / 100:.2f}",
                rental.rate_period.value,
                rental.currency,
                rental.po_number,
                rental.vendor_contact,
                f"{cost.to_date / 100:.2f}",
                f"{cost.projected / 100:.2f}",
                rental.notes,
            ]
        )
    return out.getvalue()
