"""Block Kit for `/crewcall setup`: the production's settings in one modal."""

from __future__ import annotations

import json

from bot.core.kit import context, input_block, option, plain, section
from bot.core.mrkdwn import escaped
from bot.crew.settings import LABELS, TIMES, SettingsForm, shown_value
from bot.storage.models import DateOrder, TimeFormat

SETUP_FORM = "crewcall_setup"
REMOVE_CONFIRM = "crew_remove_confirm"
REMOVE_CANCEL = "crew_remove_cancel"
HINTS = {
    "timezone": "An IANA name: Europe/London, America/New_York, Australia/Sydney",
    "reminder_lead": "0 turns the reminders off",
    "quiet_start": "Nudges wait for the end of quiet hours, except urgent notices",
    "revision_colours": "One a line; the next revision takes the next colour",
    "currency": "Three letters (GBP, USD, EUR): for rates written without one",
}
NUMBERS = {"reminder_lead": (0, 720), "renotify_every": (5, 1440), "renotify_max": (0, 20)}
CHOICES: dict[str, list[tuple[TimeFormat | DateOrder, str]]] = {
    "time_format": [(TimeFormat.H24, "24-hour (18:30)"), (TimeFormat.H12, "12-hour (6:30pm)")],
    "date_order": [
        (DateOrder.DAY_FIRST, "day first (24/11)"),
        (DateOrder.MONTH_FIRST, "month first (11/24)"),
    ],
}


def setup_form(form: SettingsForm) -> dict:
    """The modal, filled in with the production's current settings."""
    return {
        "type": "modal",
        "callback_id": SETUP_FORM,
        "title": plain("Production settings"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"production": form.production_id}),
        "blocks": [
            context(f"*{escaped(form.name)}* (`{form.slug}`)"),
            *(_field(name, form.values[name]) for name in LABELS),
        ],
    }


def _field(name: str, value: object) -> dict:
    element: dict = {"action_id": "value"}
    if name in TIMES:
        element.update(type="timepicker", initial_time=shown_value(name, value))
    elif name in NUMBERS:
        low, high = NUMBERS[name]
        element.update(
            type="number_input",
            is_decimal_allowed=False,
            min_value=str(low),
            max_value=str(high),
            initial_value=str(value),
        )
    elif name in CHOICES:
        options = [option(choice.value, text) for choice, text in CHOICES[name]]
        element.update(
            type="static_select",
            options=options,
            initial_option=next(o for o in options if o["value"] == getattr(value, "value", value)),
        )
    elif name == "crew_channel":
        element.update(
            type="conversations_select",
            initial_conversation=value,
            filter={"include": ["public", "private"], "exclude_bot_users": True},
        )
    else:
        multiline = name == "revision_colours"
        text = "\n".join(value) if multiline else str(value)  # type: ignore[arg-type]
        element.update(type="plain_text_input", multiline=multiline, initial_value=text)
    return input_block(name, LABELS[name], element, optional=False, hint=HINTS.get(name, ""))


def settings_text(name: str, lines: list[str]) -> str:
    """`/crewcall setup list`: each setting with its value, and how to change one."""
    listed = "\n".join(f"• {line}" for line in lines)
    return (
        f"*{escaped(name)}'s settings*\n{listed}\n"
        "Change one with `/crewcall setup <name> <value>`, e.g. "
        "`/crewcall setup callsheet_time 17:30`."
    )


def saved_text(name: str, changes: list[str]) -> str:
    """What the coordinator sees once production `name`'s settings are saved."""
    if not changes:
        return f"Nothing changed in {escaped(name)}'s settings."
    lines = "\n".join(f"• {change}" for change in changes)
    return f"Saved {escaped(name)}'s settings:\n{lines}"


def remove_yourself_blocks(production: str, *, who: str) -> tuple[str, list[dict]]:
    """Ask a coordinator who is taking themselves off the crew list to confirm it."""
    words = (
        f"You are taking yourself off {escaped(production)}'s crew list: you will get no "
        "more call sheets, changes or reminders for it, and can no longer change it. "
        "Remove yourself?"
    )
    buttons = {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": REMOVE_CONFIRM,
                "text": plain("Remove me"),
                "style": "danger",
                "value": json.dumps({"who": who})[:2000],
            },
            {
                "type": "button",
                "action_id": REMOVE_CANCEL,
                "text": plain("Keep me on"),
                "value": "cancel",
            },
        ],
    }
    return words, [section(words), buttons]
