"""Script page lists as people write them: `12, 14-16, 23A, 23A-23C`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import UserError
from bot.core.mrkdwn import quoted

_PAGE = re.compile(r"(\d{1,4})([A-Z]{0,2})")
EXAMPLE = "e.g. `12, 14-16, 23A, 23A-23C`"


@dataclass(frozen=True, order=True)
class Page:
    """A page: its number and any letter suffix (`23A` is a page inserted after 23)."""

    number: int
    suffix: str = ""

    def __str__(self) -> str:
        return f"{self.number}{self.suffix}"


@dataclass(frozen=True)
class PageRange:
    """One page, or an inclusive run of them."""

    first: Page
    last: Page

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


def parse_pages(text: str) -> list[PageRange]:
    """The ranges in `text` (commas or spaces between them); UserError naming what is wrong."""
    parts = [part for part in re.split(r"[,\s]+", text.strip().upper()) if part]
    if not parts:
        raise UserError(f"Say which pages, {EXAMPLE}.")
    ranges = []
    for part in parts:
        ends = part.split("-")
        if len(ends) > 2 or not all(ends):
            raise UserError(f"{quoted(part)} is not a page or a range of pages ({EXAMPLE}).")
        first, last = _page(ends[0], part), _page(ends[-1], part)
        if last < first:
            raise UserError(f"{quoted(part)} runs backwards: write it as `{last}-{first}`.")
        ranges.append(PageRange(first, last))
    return ranges


def pages_text(ranges: list[PageRange]) -> str:
    """`12, 14-16, 23A`."""
    return ", ".join(str(r) for r in ranges)


def _page(text: str, part: str) -> Page:
    match = _PAGE.fullmatch(text)
    if match is None:
        raise UserError(
            f"{quoted(part)} is not a page: a page is a number with an optional letter after it, "
            f"like `23` or `23A` ({EXAMPLE})."
        )
    return Page(int(match.group(1)), match.group(2))
