"""Text people wrote, made safe to show in Slack's mrkdwn.

Slack reads `&`, `<` and `>` as markup: `<!channel>` notifies a whole channel,
`<https://example.com|here>` is a link, `<@U123>` a mention. Anything typed or
imported (names, locations, notes, rental items, announcements) goes through
`escaped` wherever a message, answer or view shows it, so it reads as typed and
does nothing. Our own markup is written around it, never inside it.
"""

from __future__ import annotations

import unicodedata

# How much of what someone wrote is echoed back to them, at most.
QUOTED = 40
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escaped(text: object) -> str:
    """`text` with `&`, `<` and `>` as Slack's entities; None and "" as ""."""
    return "" if text is None else str(text).translate(_MARKUP)


def quoted(text: str, *, limit: int = QUOTED, mark: str = "`") -> str:
    """Some of what a file or a person wrote, safe to show back: printable, at most `limit`
    characters (then …), between `mark`s (backticks), escaped."""
    shown = "".join(
        ch if unicodedata.category(ch)[0] not in "C" else " " for ch in str(text)
    ).strip()
    shown = " ".join(shown.split()).replace(mark, "'")
    if len(shown) > limit:
        shown = shown[: limit - 1].rstrip() + "…"
    return f"{mark}{escaped(shown)}{mark}"


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """Errors written as mrkdwn, for a modal's fields, which Slack shows as plain text:
    the escapes undone, so `Hair &amp; Make-up` reads as typed."""
    return {
        name: text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for name, text in errors.items()
    }
