"""Notes people write for the crew to read: shown whole, or refused with their length.

A note shares a message's section (Slack shows at most 3000 characters in one) with the
words around it, and Slack's escapes (`&` becomes `&amp;`) make it longer than typed; a
note past NOTE_LIMIT would be cut where no one can see, so it is refused instead.
"""

from __future__ import annotations

from bot.core.errors import UserError
from bot.core.mrkdwn import escaped

NOTE_LIMIT = 2000


def too_long(note: str, *, what: str = "note", limit: int = NOTE_LIMIT) -> str | None:
    """Why `note` is too long to show whole (its length and the limit), or None."""
    if len(escaped(note)) <= limit:
        return None
    return (
        f"{length_refusal(what, len(note), limit)} Shorten it, or link to a document with the "
        "details."
    )


def length_refusal(what: str, length: int, limit: int) -> str:
    """`That announcement is 3,120 characters; at most 2,900 fit.`: every limit on what
    people type is said so, thousands separated."""
    return f"That {what} is {length:,} characters; at most {limit:,} fit."


def checked_note(note: str, *, what: str = "note") -> str:
    """`note`, stripped; UserError when it is too long to show whole."""
    note = note.strip()
    if (problem := too_long(note, what=what)) is not None:
        raise UserError(problem)
    return note
