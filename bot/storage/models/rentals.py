"""Equipment rentals and their history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.clock import now as utcnow
from bot.storage.models.base import Base, stored_enum
from bot.storage.models.kinds import RatePeriod, RentalStatus

if TYPE_CHECKING:  # relationships name their classes; the mapper resolves them
    from bot.storage.models.crew import Department


class Rental(Base):
    """Equipment hired for the production: what, from whom, for which department, until when."""

    __tablename__ = "rentals"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity"),
        CheckConstraint("rate_cents >= 0", name="rate_cents"),
        CheckConstraint("due_on >= pickup_on", name="due_after_pickup"),
        Index("ix_rentals_production_status", "production_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="RESTRICT"))
    vendor: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(default=1)
    pickup_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    # The rate in the currency's minor unit (pence, cents), per day or per week.
    rate_cents: Mapped[int]
    rate_period: Mapped[RatePeriod] = mapped_column(stored_enum(RatePeriod, "rate_period"))
    currency: Mapped[str] = mapped_column(String(3))
    po_number: Mapped[str] = mapped_column(String(50), default="")
    vendor_contact: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[RentalStatus] = mapped_column(
        stored_enum(RentalStatus, "rental_status"), default=RentalStatus.RESERVED
    )
    # The day it stopped costing: returned, lost or damaged (local date).
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    department: Mapped[Department] = relationship()
    events: Mapped[list[RentalEvent]] = relationship(
        back_populates="rental", order_by="RentalEvent.id", cascade="all, delete-orphan"
    )


class RentalEvent(Base):
    """A rental's history: added, each change of status, each extension."""

    __tablename__ = "rental_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    rental_id: Mapped[int] = mapped_column(ForeignKey("rentals.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(
        String(200), doc="`added`, `out -> returned`, `due 4 Dec -> 11 Dec`"
    )
    actor: Mapped[str | None] = mapped_column(String(32), doc="Slack user id; None: an import")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    rental: Mapped[Rental] = relationship(back_populates="events")
