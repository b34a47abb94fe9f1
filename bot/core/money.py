"""Rental rates and costs: minor units (pence, cents) throughout, one currency per total."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import (
    NumberFormatError,
    format_currency,
    get_decimal_symbol,
    get_group_symbol,
    list_currencies,
    parse_decimal,
)

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
# The most a day or a week Crewcall takes: well past any kit's hire, and inside what a
# rate's column holds (32-bit minor units) on every database.
MAX_RATE_CENTS = 10_000_000_00
_RATE = re.compile(r"(?P<amount>.*?)\s*/\s*(?P<period>day|d|week|wk|w)", re.IGNORECASE)
_AMOUNT = re.compile(
    r"(?P<before>[£$€]|[A-Za-z]{3}\s)?\s*(?P<number>-?[\d.,'\s\u00a0\u202f]*\d)\s*"
    r"(?P<after>[£$€]|\s?[A-Za-z]{3})?"
)


def parse_rate(
    text: str, *, currency: str = DEFAULT_CURRENCY, locale: str = GENERIC_LOCALE
) -> tuple[int, RatePeriod, str]:
    """`£850/day` -> (85000, DAY, "GBP"): an amount per day or week, its number as `locale`
    writes numbers (`1.200,50 €/day` in Germany, `£1,200.50/day` in Britain), in `currency`
    unless it names its own. UserError if it is not one, or past MAX_RATE_CENTS."""
    shown = quoted(text.strip())
    rate = _RATE.fullmatch(text.strip())
    amount = _AMOUNT.fullmatch(rate["amount"]) if rate else None
    if rate is None or amount is None:
        raise UserError(f"{shown} is not a rate: give an amount per day or week, {RATE_EXAMPLE}.")
    before, after = (amount["before"] or "").strip(), (amount["after"] or "").strip()
    if before and after:
        raise UserError(f"{shown} gives two currencies; give one, {RATE_EXAMPLE}.")
    named = before or after
    if named and named not in SYMBOLS:
        currency = parse_currency(named)
    elif named:
        currency = SYMBOLS[named]
    value = _number(amount["number"], locale=locale, shown=shown)
    cents = value * 100
    if cents != cents.to_integral_value():
        raise UserError(f"{shown} has more than two decimals; write it to the cent, like 850.50.")
    if cents > MAX_RATE_CENTS:
        largest = money_text(MAX_RATE_CENTS, currency, locale=locale)
        raise UserError(f"{shown} is more than Crewcall takes for a rate: at most {largest}.")
    period = RatePeriod.DAY if rate["period"].lower().startswith("d") else RatePeriod.WEEK
    return int(cents), period, currency


def _number(text: str, *, locale: str, shown: str) -> Decimal:
    """The amount as `locale` writes numbers; UserError if negative or not one."""
    if text.startswith("-"):
        raise UserError(f"A rate can't be negative ({shown}).")
    group = get_group_symbol(locale)
    if group.isspace():  # French and others group with a narrow space; people type any
        text = re.sub(r"[\s\u00a0\u202f]", group, text)
    elif " " in text.strip():
        raise UserError(f"{shown} is not a rate: give an amount per day or week, {RATE_EXAMPLE}.")
    try:
        return parse_decimal(text.strip(), locale=locale, strict=True)
    except NumberFormatError:
        decimal = get_decimal_symbol(locale)
        raise UserError(
            f"{shown} is not an amount as this production writes them: "
            f"`{'1' + group + '200' + decimal + '50'}` is one thousand two hundred and a half."
        ) from None


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
