"""Block Kit for `/crewcall calendar`: the DM with the feed's links, sent with its .ics file."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.kit import context, header, section


@dataclass(frozen=True)
class FeedLinks:
    """A feed's address, for calendar apps (webcal) and for Google Calendar (https)."""

    https: str
    webcal: str


def feed_links(public_url: str | None, secret: str) -> FeedLinks | None:
    """The feed's links under PUBLIC_URL; None when HTTP mode has no public address."""
    if not public_url:
        return None
    https = f"{public_url}/calendar/{secret}.ics"
    return FeedLinks(https, "webcal://" + https.split("://", 1)[1])


def calendar_dm(*, title: str, links: FeedLinks | None, personal: bool) -> tuple[str, list[dict]]:
    """(fallback, blocks): how to subscribe, or why there is only the file."""
    if links is None:
        text = (
            "This Crewcall has no public web address (`PUBLIC_URL`), so there is no link to "
            "subscribe to. The file below is the calendar as it stands: open it to add the "
            "days to your calendar, and ask again with `/crewcall calendar` after changes."
        )
        return text, [header(title), section(text)]
    whose = "your calls" if personal else "the shoot days"
    text = (
        f"*Subscribe* and your calendar keeps up with {whose} by itself:\n"
        f"• Apple Calendar or Outlook: <{links.webcal}|open this link>\n"
        f"• Google Calendar: *Other calendars* → *+* → *From URL*, and paste\n`{links.https}`\n"
        "The file below is the same calendar, for a one-off import."
    )
    reset = "/crewcall calendar reset" + ("" if personal else " production")
    warning = (
        f"Anyone with this link can see {whose}. `{reset}` replaces it, "
        "and the old one stops working."
    )
    return text, [header(title), section(text), context(warning)]
