"""Rental rates and costs: minor units (pence, cents) throughout, one currency per total."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, list_currencies

from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.storage.models import RatePeriod

SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR"}
# A rate with no currency given is in the production's: its country's, chosen when it is
# created (bot/core/locales.py), else this.
DEFAULT_CURRENCY = "USD"
# English without a country: `€11,900.00`.
GENERIC_LOCALE = "en"
_CURRENCY = re.compile(r"[A-Z]{3}")
RATE_EXAMPLE = "e.g. `850/day`, `£2,400/week` or `1200 EUR/day`"
_RATE = re.compile(
    r"(?P<sign>-)?\s*(?P<symbol>[£$€])?\s*(?P<amount>[\d,]+(?:\.\d{1,2})?)\s*"
    r"(?P<code>[A-Za-z]{3})?\s*/\s*(?P<period>day|d|week|wk|w)",
    re.IGNORECASE,
)


def parse_rate(text: str, *, currency: str = DEFAULT_CURRENCY) -> tuple[int, RatePeriod, str]:
    """`£850/day` -> (85000, DAY, "GBP"); `850/day` is in `currency`. UserError if wrong."""
    match = _RATE.fullmatch(text.strip())
    if match is None:
        raise UserError(
            f"{quoted(text.strip())} is not a rate: give an amount per day or week, {RATE_EXAMPLE}."
        )
    if match["sign"]:
        raise UserError(f"A rate can't be negative ({quoted(text.strip())}).")
    if match["symbol"] and match["code"]:
        raise UserError(f"{quoted(text.strip())} gives two currencies; give one, {RATE_EXAMPLE}.")
    currency = (match["code"] or SYMBOLS.get(match["symbol"] or "", currency)).upper()
    cents = int((Decimal(match["amount"].replace(",", "")) * 100).to_integral_value())
    period = RatePeriod.DAY if match["period"].lower().startswith("d") else RatePeriod.WEEK
    return cents, period, currency


def parse_currency(text: str) -> str:
    """`gbp` -> `GBP`; UserError unless it is an ISO 4217 currency code."""
    code = text.strip().upper()
    if not _CURRENCY.fullmatch(code) or code not in list_currencies():
        raise UserError(
            f"{quoted(text.strip())} is not a currency code; write its three letters, e.g. GBP, "
            "EUR or USD."
        )
    return code


def charged_days(start: dt.date, until: dt.date) -> int:
    """Days charged from pickup to `until`, both counted: every day started (picked up Monday
    and returned Tuesday is two days); none before pickup."""
    if until < start:
        return 0
    return (until - start).days + 1


def cost_cents(*, rate_cents: int, period: RatePeriod, quantity: int, days: int) -> int:
    """What `days` cost: a day rate per day; a week rate per week, part weeks pro rata by day."""
    if period == RatePeriod.DAY:
        per_item = Decimal(rate_cents * days)
    else:
        per_item = (Decimal(rate_cents) * days / 7).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(per_item) * quantity


def money_text(cents: int, currency: str, *, locale: str = GENERIC_LOCALE) -> str:
    """`£11,900.00` (in a British production), `11.900,00 €` (a German one): the amount in
    the production's locale, as its crew write money (babel, from Unicode's CLDR)."""
    return format_currency(Decimal(cents) / 100, currency, locale=locale)


def rate_text(
    rate_cents: int, period: RatePeriod, currency: str, *, locale: str = GENERIC_LOCALE
) -> str:
    """`£850.00/day`."""
    return f"{money_text(rate_cents, currency, locale=locale)}/{period.value}"
