"""Two workspaces on one Crewcall: B's people cannot read or change A's data by any
command, button, modal or id."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.console.slack import FakeSlack
from bot.core.productions import create_production
from bot.crew.blocks import setup_form
from bot.crew.settings import SettingsForm
from bot.storage.db import Database
from bot.storage.models import (
    CalendarFeed,
    CrewMember,
    Delivery,
    Notice,
    Production,
    Rental,
    Role,
    ScheduleChange,
    ShootDay,
)
from tests.crew import drain, sender_for
from tests.hollis import CHANNEL, COORDINATOR, OPERATOR, import_hollis
from tests.slack_requests import (
    block_action,
    modal_state,
    send_signed,
    shown,
    slash_command,
    view_submission,
)

TEAM_B = "T0WSB0001"
CHANNEL_B = "C0WSB00001"
MAYA_B = "U0WSB0001"  # coordinator of B's production
SAM_B = "U0WSB0002"


@pytest.fixture
def two_workspaces(db: Database, events_url: str, slack: FakeSlack) -> dict:
    """Hollis (A) with a notice, a proposed change and a rental; Blue Door (B) beside it."""
    import_hollis(db)
    with db.transaction() as session:
        blue = create_production(
            session,
            team_id=TEAM_B,
            name="Blue Door",
            slug="blue",
            timezone="Europe/London",
            channel=CHANNEL_B,
            coordinators=[MAYA_B],
        )
        session.add(CrewMember(production=blue, slack_user_id=SAM_B, name="Sam Ode"))
    a_command("/crewcall", "announce Hollis secret: the location moves to the quarry", events_url)
    preview = a_command("/schedule-change", "day 3 wrap 20:00", events_url)
    a_command(
        "/rentals",
        'add "Alexa Mini" vendor Panavision dept camera out 2026-10-12 due 2026-10-26 rate 850/day',
        events_url,
    )
    drain(sender_for(db, slack), db)
    with db.readers() as session:
        return {
            "notice": session.scalar(select(Notice.id).where(Notice.title.like("Announcement%"))),
            "change": session.scalar(select(ScheduleChange.id)),
            "rental": session.scalar(select(Rental.id)),
            "hollis": session.scalar(select(Production.id).where(Production.slug == "hollis")),
            "preview": preview,
        }


def a_command(name: str, text: str, events_url: str) -> dict:
    reply = send_signed(
        events_url, slash_command(name, text, user_id=COORDINATOR, channel_id=CHANNEL)
    )
    assert reply.status == 200
    return reply.json()


def b_command(events_url: str, name: str, text: str = "", *, channel: str = CHANNEL_B) -> str:
    reply = send_signed(
        events_url,
        slash_command(name, text, user_id=MAYA_B, channel_id=channel, team_id=TEAM_B),
    )
    assert reply.status == 200
    return shown(reply.json()) if reply.body else ""


def b_click(
    events_url: str, slack: FakeSlack, action: str, value: str, *, user: str = MAYA_B
) -> str:
    key = f"b-{action}-{len(slack.responses)}"
    reply = send_signed(
        events_url,
        block_action(
            action,
            value,
            user_id=user,
            channel_id="D0WSB0001",
            response_url=slack.response_url(key),
            team_id=TEAM_B,
        ),
    )
    assert reply.status == 200
    return json.dumps(slack.responses_to(key))


def state_of_a(db: Database) -> dict:
    """Everything of A's that B might try to change."""
    with db.readers() as session:
        hollis = session.scalar(select(Production).where(Production.slug == "hollis"))
        return {
            "acknowledged": session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.acknowledged_at.is_not(None))
            ),
            "notices": session.scalar(select(func.count()).select_from(Notice)),
            "nudged": session.scalar(select(func.sum(Delivery.renotify_count))),
            "changes": [(c.id, c.status) for c in session.scalars(select(ScheduleChange))],
            "rentals": [(r.id, r.status, r.due_on) for r in session.scalars(select(Rental))],
            "days": [(d.date, d.general_call, d.wrap) for d in session.scalars(select(ShootDay))],
            "settings": (hollis.reminder_lead, hollis.timezone, hollis.crew_channel),
            "crew": session.scalar(select(func.count()).select_from(CrewMember)),
            "feeds": session.scalar(select(func.count()).select_from(CalendarFeed)),
        }


def test_commands_from_b_never_reach_a(two_workspaces: dict, events_url: str, db: Database) -> None:
    ids = two_workspaces
    before = state_of_a(db)

    answers = [
        b_command(events_url, "/acks", str(ids["notice"])),
        b_command(events_url, "/acks", "latest"),
        b_command(events_url, "/schedule-change", str(ids["change"])),
        b_command(events_url, "/rentals", f"show {ids['rental']}"),
        b_command(events_url, "/rentals", f"return {ids['rental']}"),
        b_command(events_url, "/rentals", "list"),
        b_command(events_url, "/crewcall", "use hollis"),
        b_command(events_url, "/calltime", f"<@{OPERATOR}|jonah>"),
        b_command(events_url, "/callsheet", "day 3"),
        b_command(events_url, "/script", ""),
        b_command(events_url, "/crewcall", f"role <@{OPERATOR}|jonah> coordinator"),
        b_command(events_url, "/crewcall", f"remove <@{OPERATOR}|jonah>"),
        # Typed in A's crew channel: still B's workspace, so still only B's data.
        b_command(events_url, "/calltime", "", channel=CHANNEL),
    ]

    said = "\n".join(answers)
    for secret in ("quarry", "Hollis", "Alexa", "Jonah", "Panavision"):
        assert secret not in said, secret
    assert state_of_a(db) == before


def test_buttons_and_modals_from_b_never_reach_a(
    two_workspaces: dict, events_url: str, slack: FakeSlack, db: Database
) -> None:
    ids = two_workspaces
    before = state_of_a(db)

    answers = [
        b_click(events_url, slack, "acknowledge", str(ids["notice"])),
        b_click(events_url, slack, "acks_nudge", str(ids["notice"])),
        b_click(events_url, slack, "acks_export", str(ids["notice"])),
        b_click(events_url, slack, "schedule_change_send", str(ids["change"])),
        b_click(events_url, slack, "schedule_change_cancel", str(ids["change"])),
        b_click(
            events_url,
            slack,
            "upload_import",
            json.dumps(
                {
                    "production": ids["hollis"],
                    "kind": "schedule",
                    "file": "F0",
                    "url": f"{slack.base_url}/files-pri/x",
                    "sha": "0",
                }
            ),
        ),
    ]
    with db.readers() as session:
        hollis = session.get(Production, ids["hollis"])
        form = setup_form(SettingsForm.of(hollis))
    forged_setup = send_signed(
        events_url,
        view_submission(form, modal_state(form, reminder_lead="0"), user_id=MAYA_B, team_id=TEAM_B),
    ).json()

    said = "\n".join([*answers, json.dumps(forged_setup)])
    assert "quarry" not in said
    assert slack.files == {}  # no export reached B's DM
    assert "Only the production's coordinators" in json.dumps(forged_setup)
    assert state_of_a(db) == before


@pytest.fixture
def the_same_people_in_b(two_workspaces: dict, db: Database) -> dict:
    """As on Enterprise Grid: A's coordinator and camera operator have the same user ids
    in B, where the coordinator coordinates B's production and the operator is on it."""
    with db.transaction() as session:
        blue = session.scalar(select(Production).where(Production.slug == "blue"))
        session.add(CrewMember(production=blue, slack_user_id=COORDINATOR, name="Maya in B"))
        session.add(CrewMember(production=blue, slack_user_id=OPERATOR, name="Jonah in B"))
        session.flush()
        for member in blue.crew:
            if member.slack_user_id == COORDINATOR:
                member.role = Role.COORDINATOR
    return two_workspaces


def test_clicks_from_b_by_the_same_user_ids_never_reach_a(
    the_same_people_in_b: dict, events_url: str, slack: FakeSlack, db: Database
) -> None:
    """Every button checks the workspace the click came from, not only the user id."""
    ids = the_same_people_in_b
    before = state_of_a(db)
    notice, change = str(ids["notice"]), str(ids["change"])

    answers = [
        b_click(events_url, slack, "acknowledge", notice, user=OPERATOR),
        b_click(events_url, slack, "acks_nudge", notice, user=COORDINATOR),
        b_click(events_url, slack, "acks_export", notice, user=COORDINATOR),
        b_click(events_url, slack, "schedule_change_send", change, user=COORDINATOR),
        b_click(events_url, slack, "schedule_change_cancel", change, user=COORDINATOR),
    ]

    said = "\n".join(answers)
    assert "quarry" not in said
    assert "Acknowledged" not in said
    assert "Sent:" not in said
    assert "Cancelled" not in said
    assert slack.files == {}
    assert state_of_a(db) == before
    # The same clicks from A's own workspace do act: it is the workspace that refused them.
    a_ack = send_signed(
        events_url,
        block_action(
            "acknowledge",
            notice,
            user_id=OPERATOR,
            channel_id="D0HF00008",
            response_url=slack.response_url("a-ack"),
        ),
    )
    assert a_ack.status == 200
    assert state_of_a(db)["acknowledged"] == before["acknowledged"] + 1
