"""Numbers people type, or buttons carry: ASCII digits only, and ids the database can hold.

`str.isdigit` is true of `²` and `①`, which `int` refuses; and an id past 32 bits is
not one of ours, whatever the database would make of it.
"""

from __future__ import annotations

from bot.core.errors import UserError

# Ids are database keys: PostgreSQL's integer columns hold 32 bits.
LARGEST_ID = 2**31 - 1


def is_digits(text: str) -> bool:
    """True for `0` to `9` only, at least one."""
    return text.isascii() and text.isdigit()


def parse_id(text: object, refusal: str) -> int:
    """`text` as an id we could have given out (digits, 1 to LARGEST_ID); UserError if not."""
    text = str(text or "").strip()
    if not is_digits(text) or not 0 < int(text) <= LARGEST_ID:
        raise UserError(refusal)
    return int(text)
