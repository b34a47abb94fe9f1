"""The /schedule-change modal: the form, its preview with Send, and the outcome."""

from __future__ import annotations

import datetime as dt
import json

from bot.core.kit import input_block, option, plain, section, text_input, text_sections
from bot.core.views import ProductionView

FORM = "schedule_change_form"
PREVIEW = "schedule_change_preview"
MODAL_BLOCK_LIMIT = 100


def change_form(production: ProductionView, *, day: dt.date, channel_id: str | None) -> dict:
    """The modal a bare `/schedule-change` opens; empty fields leave things as they are."""
    return {
        "type": "modal",
        "callback_id": FORM,
        "private_metadata": json.dumps({"production": production.id, "channel": channel_id}),
        "title": plain("Schedule change"),
        "submit": plain("Preview"),
        "close": plain("Cancel"),
        "blocks": [
            input_block(
                "day",
                "Shoot day",
                {"type": "datepicker", "action_id": "date", "initial_date": day.isoformat()},
                optional=False,
            ),
            *_call_fields(production),
            *_location_fields(),
            text_input("note", "Note to the crew", "Rain cover: interiors first", multiline=True),
            input_block(
                "options",
                "Options",
                {
                    "type": "checkboxes",
                    "action_id": "choices",
                    "options": [
                        option("urgent", "Urgent: reminders ignore quiet hours"),
                        option("cancel", "Cancel the whole shoot day"),
                    ],
                },
            ),
        ],
    }


def _call_fields(production: ProductionView) -> list[dict]:
    """The day's calls, each department's, and each person's."""
    departments = ", ".join(sorted(d.name for d in production.departments)) or "none yet"
    return [
        text_input("general_call", "General crew call", "e.g. 06:30"),
        text_input("shooting_call", "Shooting call", "e.g. 08:00"),
        text_input("wrap", "Estimated wrap", "e.g. 19:00, or 02:00 after midnight"),
        text_input(
            "departments",
            "Department calls",
            "Camera 06:30",
            multiline=True,
            hint=f"One per line: a time, minutes from the general call (-45) or off. "
            f"Departments: {departments}."[:150],
        ),
        text_input(
            "people",
            "Personal calls",
            "Jonah Pike 05:45",
            multiline=True,
            hint="One per line: a name or email on the crew list, then the call.",
        ),
    ]


def _location_fields() -> list[dict]:
    """Where: a place used before by name, or a new one with its details."""
    return [
        text_input(
            "location",
            "Location",
            "Old Mill",
            hint="A place used before brings "
            "its address, parking and hospital; for a new one, give them below.",
        ),
        text_input("address", "New location's address", "Mill Lane, Wheatley OX33 1XX"),
        text_input("parking", "New location's parking", "Field behind the mill"),
        text_input("hospital", "New location's nearest hospital", "John Radcliffe, Oxford"),
    ]


def preview_view(lines: list[str], *, change_id: int) -> dict:
    """The form's answer: what would change for whom; Send sends it, Cancel drops it."""
    return {
        "type": "modal",
        "callback_id": PREVIEW,
        "private_metadata": str(change_id),
        "notify_on_close": True,
        "title": plain("Preview"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "blocks": text_sections(lines)[:MODAL_BLOCK_LIMIT],
    }


def outcome_view(text: str, *, title: str = "Crewcall") -> dict:
    """A modal's last word: what happened (sent, refused)."""
    return {
        "type": "modal",
        "title": plain(title),
        "close": plain("Done"),
        "blocks": [section(text)],
    }
