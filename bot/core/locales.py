"""Where a production is, from its time zone: its country, that country's currency, how
it writes money, and the order of day and month in the dates its people type.

Unicode's CLDR data, through babel: a production created in Europe/London prices its
rentals in pounds and reads `11/24` as an error (day first); one in America/New_York
prices in dollars and reads it as 24 November.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_territory_currencies

from bot.core.money import DEFAULT_CURRENCY, GENERIC_LOCALE
from bot.storage.models import DateOrder


def territory_of(timezone: str) -> str | None:
    """The country a time zone is in (`Europe/London` -> `GB`); None for `UTC` and the like."""
    return get_global("zone_territories").get(timezone)


def currency_for(timezone: str) -> str:
    """The currency of the time zone's country (`Europe/Berlin` -> `EUR`): a new production's
    default for rates written without one; US dollars where the zone has no country."""
    territory = territory_of(timezone)
    found = get_territory_currencies(territory) if territory else []
    return found[0] if found else DEFAULT_CURRENCY


def money_locale(timezone: str) -> str:
    """The locale money is written in where the production is: English as used in the
    time zone's country (`en_GB`, `en_DE`), else plain English."""
    territory = territory_of(timezone)
    if territory is None:
        return GENERIC_LOCALE
    try:
        return str(Locale.parse(f"en_{territory}"))
    except (UnknownLocaleError, ValueError):
        return GENERIC_LOCALE


def date_order_for(timezone: str) -> DateOrder:
    """Whether the time zone's country writes the month before the day (`11/24`): a new
    production's default for reading dates typed as numbers; day first where the zone has
    no country."""
    if territory_of(timezone) is None:
        return DateOrder.DAY_FIRST
    pattern = Locale.parse(money_locale(timezone)).date_formats["short"].pattern
    return DateOrder.MONTH_FIRST if pattern.find("M") < pattern.find("d") else DateOrder.DAY_FIRST
