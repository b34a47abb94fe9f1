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


# Windows' "ANSI" code page for each country whose Windows is not Western (Windows-1252):
# what Excel's plain "CSV" and Outlook write there. Everywhere else (Western Europe, the
# Americas, Africa, Oceania, most of Asia's English-language offices) it is Windows-1252.
_CODE_PAGES = {
    "cp1250": "AL BA CZ HR HU ME PL RO RS SI SK XK",
    "cp1251": "BG BY KG KZ MK MN RU TJ UA",
    "cp1253": "GR CY",
    "cp1254": "AZ TR",
    "cp1255": "IL",
    "cp1256": "AE BH DZ EG IQ IR JO KW LB LY MA OM PK QA SA SY TN YE",
    "cp1257": "EE LT LV",
    "cp1258": "VN",
    "cp874": "TH",
    "cp932": "JP",
    "cp936": "CN SG",
    "cp949": "KR",
    "cp950": "HK MO TW",
}
_CODE_PAGE_OF = {
    territory: page
    for page, territories in _CODE_PAGES.items()
    for territory in territories.split()
}
WESTERN_CODE_PAGE = "cp1252"


def code_page_for(timezone: str) -> str:
    """The Windows code page spreadsheets are saved in where the production is
    (`Europe/London` -> `cp1252`, `Europe/Warsaw` -> `cp1250`); Windows-1252 where the
    zone has no country."""
    territory = territory_of(timezone)
    return _CODE_PAGE_OF.get(territory or "", WESTERN_CODE_PAGE)
