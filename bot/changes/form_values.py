"""The /schedule-change modal's submitted fields, read into the same `Change` as the quick
syntax; each field that cannot be read is named for Slack to show beside it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from bot.changes.change import Change
from bot.changes.places import Place
from bot.changes.syntax import (
    MERIDIEM,
    PLACE_DETAILS,
    checked_fields,
    location_place,
    member_named,
    once,
)
from bot.core.clock import CallSpec, parse_call, parse_clock
from bot.core.errors import FormErrors, UserError
from bot.core.mrkdwn import quoted
from bot.core.names import department_named
from bot.core.notes import too_long
from bot.core.schedule import Schedule


def parse_form(schedule: Schedule, values: dict, *, today: dt.date) -> Change:
    """Read the modal's submitted state into a Change; FormErrors names each bad field."""
    errors: dict[str, str] = {}

    def read(block: str, parse: Callable[[str], Any]) -> Any:
        text = _form_text(values, block)
        if not text:
            return None
        try:
            return parse(text)
        except UserError as exc:
            errors[block] = str(exc)
            return None

    picked = values.get("day", {}).get("date", {}).get("selected_date")
    date = dt.date.fromisoformat(picked) if picked else today
    if not picked:
        errors["day"] = "Pick the shoot day to change."
    fields: dict = {
        name: read(name, parse_clock) for name in ("general_call", "shooting_call", "wrap")
    }
    departments = read(
        "departments", lambda text: _lines(text, lambda w: _department_named(schedule, w))
    )
    people = read("people", lambda text: _lines(text, lambda w: member_named(schedule, w).id))
    place = read("location", lambda text: location_place(schedule, text, near=date))
    fields["location"] = _with_details(place, values, errors)
    options = _ticked(values)
    fields["cancel"] = "cancel" in options
    if (problem := too_long(_form_text(values, "note"))) is not None:
        errors["note"] = problem
    found = {k: v for k, v in fields.items() if v not in (None, False)}
    if not errors:
        try:
            found = checked_fields(found, dict(departments or {}), dict(people or {}))
        except UserError as exc:
            errors["options" if found.get("cancel") else "day"] = str(exc)
    if errors:
        raise FormErrors(errors)
    return Change(date, note=_form_text(values, "note"), urgent="urgent" in options, **found)


def _with_details(place: Place | None, values: dict, errors: dict[str, str]) -> Place | None:
    """The location with the address, parking or hospital the form gave for it."""
    given: dict[str, Any] = {
        name: text for name in PLACE_DETAILS if (text := _form_text(values, name))
    }
    if not given:
        return place
    if place is None:
        errors["location"] = "Give the location the address, parking or hospital is for."
        return None
    return dataclasses.replace(place, **given)


def _ticked(values: dict) -> set[str]:
    """The options ticked: "urgent", "cancel"."""
    chosen = values.get("options", {}).get("choices", {}).get("selected_options") or []
    return {option["value"] for option in chosen}


def _form_text(values: dict, block: str) -> str:
    return (values.get(block, {}).get("value", {}).get("value") or "").strip()


def _lines(text: str, subject: Callable[[str], int]) -> dict[int, CallSpec]:
    """`<who> <call>` per line, as {subject id: call}; UserError naming the line."""
    found: dict[int, CallSpec] = {}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words:
            continue
        cut = -2 if len(words) > 2 and words[-1].lower() in MERIDIEM else -1
        try:
            if len(words) < 2:
                raise UserError(
                    f"{quoted(line.strip())} needs a name and a call, like `Camera 06:30`."
                )
            key = subject(" ".join(words[:cut]))
            once(found, key, parse_call("".join(words[cut:])), what=" ".join(words[:cut]))
        except UserError as exc:
            raise UserError(f"Line {number}: {exc}") from None
    return found


def _department_named(schedule: Schedule, name: str) -> int:
    return department_named(schedule.production.departments, name).id
