"""Text people wrote, made safe to show in Slack's mrkdwn.

Slack reads `&`, `<` and `>` as markup: `<!channel>` notifies a whole channel,
`<https://example.com|here>` is a link, `<@U123>` a mention. Anything typed or
imported (names, locations, notes, rental items, announcements) goes through
`escaped` wherever a message, answer or view shows it, so it reads as typed and
does nothing. Our own markup is written around it, never inside it.
"""

from __future__ import annotations

import re
import unicodedata

# How much of what someone wrote is echoed back to them, at most.
QUOTED = 40
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escaped(text: object) -> str:
    """`text` with `&`, `<` and `>` as Slack's entities; None and "" as ""."""
    return "" if text is None else str(text).translate(_MARKUP)


# Slack's own markup in text it sends: mentions, channels, special mentions and links.
_SLACK_MARKUP = re.compile(r"<(?:[@#!][^<>]*|(?:https?|mailto):[^<>]*)>")


def as_slack_sends(typed: str) -> str:
    """Text as Slack sends what someone typed (a command's text, a message): `&`, `<` and `>`
    as entities, its own markup (a mention, a link the person made) as it is."""
    parts = _SLACK_MARKUP.split(typed)
    markup = _SLACK_MARKUP.findall(typed)
    return "".join(
        escaped(part) + (markup[n] if n < len(markup) else "") for n, part in enumerate(parts)
    )


def as_typed(sent: str) -> str:
    """Text Slack sent, as the person typed it: its three entities back as the characters
    (its markup stays). Done once, at the edge, so that everything within reads what was
    typed, and what is shown is escaped once."""
    return sent.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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
