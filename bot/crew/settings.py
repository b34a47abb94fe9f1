"""A production's settings, as `/crewcall setup` reads, checks and saves them.

Every field is checked on its own, so that the modal can show each error beside
its field, and nothing is saved unless all are good. A change takes effect at
once: saving the production raises its schedule version (bot/storage/versions.py),
so each process's schedules and the planner pick it up.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.clock import DAY, parse_clock
from bot.core.errors import FormErrors, UserError
from bot.core.money import parse_currency
from bot.core.mrkdwn import escaped, quoted
from bot.core.names import nearest
from bot.core.numbers import is_digits
from bot.imports.fields import update_fields
from bot.storage.models import DateOrder, Production, TimeFormat

TIMES = ("callsheet_time", "quiet_start", "quiet_end", "rentals_time")
# A channel as Slack sends one typed in a command: <#C0123ABCD|crew>.
CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
MAX_COLOURS = 40
# Each setting's name, as the modal's fields and the saved summary call it.
LABELS = {
    "timezone": "Time zone",
    "crew_channel": "Crew channel",
    "callsheet_time": "Call sheet goes out at",
    "reminder_lead": "Reminder before each call (minutes)",
    "renotify_every": "Nudge unacknowledged notices every (minutes)",
    "renotify_max": "Nudges before escalating",
    "quiet_start": "Quiet hours start",
    "quiet_end": "Quiet hours end",
    "rentals_time": "Rentals check at",
    "time_format": "Times shown as",
    "date_order": "Dates written as",
    "currency": "Currency for rental rates",
    "revision_colours": "Script revision colours, in order",
}


def _readers(session: Session, production: Production) -> dict[str, Callable[[str], object]]:
    """How each setting is read from what a coordinator writes, in the form or in text."""
    return {
        "timezone": _timezone,
        "crew_channel": lambda text: _channel(session, production, text),
        **{name: _time for name in TIMES},
        "reminder_lead": _whole(0, 720, "minutes; 0 turns reminders off"),
        "renotify_every": _whole(5, 1440, "minutes"),
        "renotify_max": _whole(0, 20, "nudges"),
        "time_format": _choice(TimeFormat),
        "date_order": _choice(DateOrder),
        "currency": parse_currency,
        "revision_colours": _colours,
    }


def read_settings(
    session: Session, production: Production, given: dict[str, str]
) -> dict[str, object]:
    """Every setting from the form's fields; FormErrors names each bad one, by field."""
    errors: dict[str, str] = {}
    read: dict[str, object] = {}
    for name, reader in _readers(session, production).items():
        text = given.get(name, "").strip()
        if not text:
            errors[name] = f"Give the {LABELS[name].lower()}."
            continue
        try:
            read[name] = reader(text)
        except UserError as exc:
            errors[name] = str(exc)
    if errors:
        raise FormErrors(errors)
    return read


SETUP_EXAMPLE = "`/crewcall setup callsheet_time 17:30`"


def read_setting(
    session: Session, production: Production, name: str, text: str
) -> tuple[str, object]:
    """One setting as written in text (`callsheet_time 17:30`): its name, as the form calls
    it or nearly, and its value; UserError saying what was not understood."""
    wanted = "_".join(name.lower().replace("-", " ").split())
    if wanted not in LABELS:
        guess = nearest(wanted, LABELS)
        hint = f"did you mean `{guess}`? " if guess else ""
        raise UserError(
            f"{quoted(name)} is not a setting: {hint}`/crewcall setup list` lists them. "
            f"For example {SETUP_EXAMPLE}."
        )
    if not text.strip():
        raise UserError(f"Give the {LABELS[wanted].lower()} after `{wanted}`.")
    value = text.strip()
    if wanted == "crew_channel" and (mention := CHANNEL_MENTION.fullmatch(value)):
        value = mention[1]
    try:
        return wanted, _readers(session, production)[wanted](value)
    except UserError as exc:
        raise UserError(f"`{wanted}`: {exc} Nothing was changed.") from None


def setting_lines(production: Production) -> list[str]:
    """Every setting, as `/crewcall setup list` shows them: `name`: label, value."""
    return [f"`{name}` {label}: {_in_message(production, name)}" for name, label in LABELS.items()]


def save_settings(production: Production, settings: dict[str, object]) -> list[str]:
    """Apply the settings; one line for each that changed (`Call sheet goes out at: 19:00`)."""
    changed = [name for name, value in settings.items() if getattr(production, name) != value]
    update_fields(production, settings)
    return [f"{LABELS[name]}: {_in_message(production, name)}" for name in changed]


@dataclass(frozen=True)
class SettingsForm:
    """What the settings form shows: the production's name and each setting's value."""

    production_id: int
    name: str
    slug: str
    values: dict[str, object]

    @classmethod
    def of(cls, production: Production) -> SettingsForm:
        """The production's current settings, as plain values."""
        values = {name: getattr(production, name) for name in LABELS}
        return cls(production.id, production.name, production.slug, values)


def shown(production: Production, name: str) -> str:
    """A setting's value as the form and the summary show it."""
    return shown_value(name, getattr(production, name))


def shown_value(name: str, value: object) -> str:
    """A setting's `value` as the form and the summary show it: times as 18:00, colours in a
    list, the channel as a link."""
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if name == "revision_colours" and isinstance(value, list):
        return ", ".join(value)
    if name == "crew_channel":
        return f"<#{value}>"
    return str(value)


def _in_message(production: Production, name: str) -> str:
    """A setting's value in mrkdwn: the channel as a link, what was typed escaped."""
    text = shown(production, name)
    return text if name == "crew_channel" else escaped(text)


def _timezone(text: str) -> str:
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UserError(
            f"{quoted(text)} is not a time zone; use a name such as Europe/London or "
            "America/New_York."
        ) from None
    return text


def _channel(session: Session, production: Production, channel_id: str) -> str:
    """A channel id not already another active production's crew channel in this workspace."""
    if channel_id[:1] not in ("C", "G") or not channel_id.isalnum():
        raise UserError(f"{quoted(channel_id)} is not a channel; pick one from the list.")
    taken = session.scalar(
        select(Production.name).where(
            Production.workspace_id == production.workspace_id,
            Production.id != production.id,
            Production.active.is_(True),
            Production.crew_channel == channel_id,
        )
    )
    if taken:
        raise UserError(f"That channel is already {escaped(taken)}'s crew channel; pick another.")
    return channel_id


def _time(text: str) -> dt.time:
    minutes = parse_clock(text)
    if minutes >= DAY:
        raise UserError(f"{quoted(text)} is not a time of day; write one like 18:00.")
    hour, minute = divmod(minutes, 60)
    return dt.time(hour, minute)


def _whole(low: int, high: int, what: str) -> Callable[[str], int]:
    def read(text: str) -> int:
        if not is_digits(text) or not low <= int(text) <= high:
            raise UserError(f"Give a whole number from {low} to {high} ({what}).")
        return int(text)

    return read


def _choice(kind: type[TimeFormat] | type[DateOrder]) -> Callable[[str], object]:
    def read(text: str) -> object:
        try:
            return kind(text)
        except ValueError:
            choices = " or ".join(f"`{choice.value}`" for choice in kind)
            raise UserError(f"{quoted(text)} is not one: give {choices}.") from None

    return read


def _colours(text: str) -> list[str]:
    """One colour a line (or separated by commas), in order; no repeats."""
    parts = [" ".join(part.split()) for line in text.splitlines() for part in line.split(",")]
    colours = [part.title() for part in parts if part]
    seen: set[str] = set()
    for colour in colours:
        if colour.lower() in seen:
            raise UserError(f"{colour[:60]} is in the list twice; each colour once, in order.")
        seen.add(colour.lower())
    if len(colours) > MAX_COLOURS or any(len(colour) > 60 for colour in colours):
        raise UserError(f"Give at most {MAX_COLOURS} colours of up to 60 characters each.")
    return colours
