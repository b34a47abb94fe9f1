"""Block Kit for the App Home tab, and the modals its quick actions open."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

from bot.calls.callsheet import build_callsheet
from bot.calls.callsheet_blocks import callsheet_lines, callsheet_title
from bot.core.format import clock_text, day_title, source_text
from bot.core.kit import (
    context,
    header,
    input_block,
    option,
    plain,
    section,
    text_input,
    text_sections,
)
from bot.core.mrkdwn import escaped
from bot.core.roles import Action
from bot.home.contents import HomePage
from bot.notices.blocks import ACKNOWLEDGE
from bot.planning.blocks import own_call
from bot.rentals.blocks import rental_line
from bot.storage.models import Role

START_CHANGE = "home_schedule_change"
START_ANNOUNCE = "home_announce"
START_SCRIPT = "home_script"
ANNOUNCE_FORM = "crewcall_announce"
SCRIPT_FORM = "crewcall_script"
STARTS = {
    Action.CHANGE_SCHEDULE: (START_CHANGE, "Schedule change"),
    Action.ANNOUNCE: (START_ANNOUNCE, "Announce"),
    Action.ANNOUNCE_SCRIPT: (START_SCRIPT, "Script revision"),
}
DIVIDER = {"type": "divider"}


def home_view(page: HomePage, *, today: dt.date, elsewhere: int = 0) -> dict:
    """The Home tab for one person (at most some 30 blocks, whatever the production's size)."""
    production = page.schedule.production
    member = page.member
    who = " · ".join(
        part
        for part in (
            member.name,
            member.position,
            member.department.name if member.department else "",
            member.role.value,
        )
        if part
    )
    blocks = [header(production.name), context(escaped(who))]
    if elsewhere:
        blocks.append(
            context(
                f"You're on {elsewhere + 1} productions: `/crewcall use <slug>` chooses "
                "which one this shows."
            )
        )
    blocks += [section("*Your next calls*"), section(_calls(page))]
    blocks += _next_callsheet(page, today=today)
    blocks += [DIVIDER, section("*Waiting for your acknowledgement*"), *_waiting(page)]
    if page.script is not None:
        blocks.append(section(_script(page)))
    if page.recent or page.rentals or page.actions:
        blocks += _running(page, today=today)
    return {"type": "home", "blocks": blocks}


def not_on_a_crew_view() -> dict:
    """The Home tab for someone on no production's crew list."""
    return {
        "type": "home",
        "blocks": [
            header("Crewcall"),
            section(
                "You're not on any production's crew list yet. Ask your production "
                "coordinator to add you; your calls and notices will show here."
            ),
        ],
    }


def _calls(page: HomePage) -> str:
    production = page.schedule.production
    if not page.calls:
        return "No calls ahead on the schedule."
    lines = []
    for day, call in page.calls:
        time = clock_text(production, call.minutes, date=day.date)
        place = f" at {escaped(day.location_name)}" if day.location_name else ""
        lines.append(f"*{day_title(day)}*: *{time}* ({source_text(page.member, call)}){place}")
    return "\n".join(lines)


def _next_callsheet(page: HomePage, *, today: dt.date) -> list[dict]:
    """The call sheet of the person's next call, laid out as every call sheet is: their own
    call first, then the day (bot/calls/callsheet_blocks.py)."""
    if not page.calls:
        return []
    production = page.schedule.production
    day, call = page.calls[0]
    sheet = build_callsheet(page.schedule, day=day)
    return [
        DIVIDER,
        section(f"*{escaped(callsheet_title(day, today=today))}*"),
        section(own_call(production, day, page.member, call)),
        *text_sections(callsheet_lines(production, sheet)),
    ]


def _waiting(page: HomePage) -> list[dict]:
    if not page.waiting:
        return [context("Nothing waiting: you're up to date.")]
    zone = zoneinfo.ZoneInfo(page.schedule.production.timezone)
    blocks = []
    for waiting in page.waiting:
        sent = ""
        if waiting.sent_at is not None:
            sent = f"\nsent {waiting.sent_at.astimezone(zone):%a %-d %b %H:%M}"
        block = section(f"*{escaped(waiting.title)}*{sent}")
        block["accessory"] = {
            "type": "button",
            "action_id": ACKNOWLEDGE,
            "text": plain("Acknowledge"),
            "style": "primary",
            "value": str(waiting.notice_id),
        }
        blocks.append(block)
    if page.waiting_more:
        blocks.append(context(f"…and {page.waiting_more} more in your DMs with Crewcall."))
    return blocks


def _script(page: HomePage) -> str:
    state = page.script
    assert state is not None
    revision = state.revision
    line = (
        f"*Script:* {escaped(revision.colour)} pages, {revision.issued_on:%-d %b} "
        f"({escaped(revision.pages)})"
    )
    if not state.sent:
        return line
    if state.acknowledged is None:
        return f"{line} · not acknowledged yet"
    return f"{line} · acknowledged"


def _running(page: HomePage, *, today: dt.date) -> list[dict]:
    """Heads' and coordinators' part: notices' standing, rentals due, quick actions."""
    scope = "" if page.member.role == Role.COORDINATOR else " (your department)"
    blocks: list[dict] = [DIVIDER]
    if page.recent:
        lines = [
            f"Notice {notice.id} · {escaped(notice.title)} · *{tally.acknowledged}/{tally.total}* "
            "acknowledged"
            for notice, tally in page.recent
        ]
        blocks += [section(f"*Recent notices{scope}*"), section("\n".join(lines))]
    if page.rentals:
        lines = [rental_line(rental, today=today) for rental in page.rentals]
        if page.rentals_more:
            lines.append(f"…and {page.rentals_more} more: `/rentals due`")
        blocks += [section(f"*Rentals due back{scope}*"), section("\n".join(lines))]
    if page.actions:
        buttons = [
            {"type": "button", "action_id": STARTS[a][0], "text": plain(STARTS[a][1])}
            for a in page.actions
        ]
        blocks.append({"type": "actions", "block_id": "home_start", "elements": buttons})
    return blocks


def announce_form(production_id: int, name: str) -> dict:
    """The modal behind Home's Announce button."""
    return {
        "type": "modal",
        "callback_id": ANNOUNCE_FORM,
        "title": plain("Announce"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"production": production_id}),
        "blocks": [
            context(f"To everyone on *{escaped(name)}*'s crew, with an Acknowledge button."),
            {
                **text_input("text", "Announcement", "Wrap party Friday 20:00", multiline=True),
                "optional": False,
            },
            input_block(
                "urgent",
                "Urgent",
                {
                    "type": "checkboxes",
                    "action_id": "value",
                    "options": [option("urgent", "Send reminders through quiet hours too")],
                },
            ),
        ],
    }


def script_form(production_id: int, name: str, next_colour: str) -> dict:
    """The modal behind Home's Script revision button: the next colour in the sequence."""
    return {
        "type": "modal",
        "callback_id": SCRIPT_FORM,
        "title": plain("Script revision"),
        "submit": plain("Announce"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"production": production_id}),
        "blocks": [
            context(
                f"*{escaped(next_colour)} pages* for *{escaped(name)}*: "
                "the next colour in the sequence."
            ),
            {**text_input("pages", "Pages", "12, 14-16, 23A"), "optional": False},
            text_input("scenes", "Scenes", "12, 14"),
            text_input("url", "Link", "https://drive.example.com/pink-pages.pdf"),
            text_input("note", "Note", "replaces the white pages", multiline=True),
        ],
    }
