"""The App Home tab: what each role sees, its Acknowledge buttons, its quick actions."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.clock import now as clock_now
from bot.console.block_checks import validate_view
from bot.console.slack import FakeSlack
from bot.storage.db import Database
from bot.storage.models import Delivery, Notice, NoticeKind, ScriptRevision
from tests.conftest import FakeClock
from tests.crew import COORDINATOR as BIG_COORDINATOR
from tests.crew import drain, make_crew, sender_for
from tests.hollis import CHANNEL, COORDINATOR, FIRST_AC, OPERATOR, import_hollis
from tests.slack_requests import (
    home_action,
    home_opened,
    modal_state,
    send_signed,
    shown,
    slash_command,
    view_submission,
)

CAMERA_HEAD = "U0HF0007"


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def open_home(events_url: str, slack: FakeSlack, user: str) -> dict:
    """Open the Home tab as `user`; the view Crewcall published for them."""
    before = len(slack.calls_to("views.publish"))
    reply = send_signed(events_url, home_opened(user, event_id=f"Ev{user}{before}"))
    assert reply.status == 200
    call = slack.calls_to("views.publish")[before]
    assert call.params["user_id"] == user
    return validate_view(call.params["view"])


def texts(view: dict) -> str:
    parts = []
    for block in view["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text")
            parts.append(text["text"] if isinstance(text, dict) else text or "")
    return "\n".join(parts)


def buttons(view: dict) -> dict[str, str]:
    """action_id -> value of every button, in sections and action blocks."""
    found = {}
    for block in view["blocks"]:
        accessory = block.get("accessory")
        if accessory and accessory["type"] == "button":
            found[f"{accessory['action_id']}:{accessory['value']}"] = accessory["value"]
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found[element["action_id"]] = element.get("value", "")
    return found


def command(events_url: str, name: str, text: str, *, user: str = COORDINATOR) -> str:
    reply = send_signed(events_url, slash_command(name, text, user_id=user, channel_id=CHANNEL))
    assert reply.status == 200
    return shown(reply.json())


def announce(events_url: str, slack: FakeSlack, db: Database, text: str) -> int:
    command(events_url, "/crewcall", f"announce {text}")
    drain(sender_for(db, slack), db)
    with db.readers() as session:
        return session.scalar(
            select(func.max(Notice.id)).where(Notice.kind == NoticeKind.ANNOUNCEMENT)
        )


@pytest.mark.usefixtures("hollis")
class TestCrew:
    def test_next_calls_and_nothing_waiting(self, events_url: str, slack: FakeSlack) -> None:
        view = open_home(events_url, slack, OPERATOR)

        text = texts(view)
        assert "Hollis Farm" in text
        assert "Jonah Pike · Camera Operator · Camera · crew" in text
        # The clock is Sun 18 Oct: his next three calls, Camera's 06:00 then his own 05:45.
        assert "*Mon 19 Oct · Day 1*: *06:00* (Camera call, 60 min before the general call)" in text
        assert "*Wed 21 Oct · Day 3*: *05:45* (personal call) at Hollis Farm" in text
        calls, sheet = text.split("*Your next calls*\n", 1)[1].split("\n*Call sheet · ", 1)
        assert calls.count(" · Day ") == 3
        # The next call's call sheet, laid out as every call sheet is: his own call first.
        assert sheet.startswith("Mon 19 Oct · Day 1*\nYour call Mon 19 Oct: *06:00* · Camera call")
        assert sheet.index("*General crew call:* 07:00") < sheet.index("*Calls by department*")
        assert "Nothing waiting: you're up to date." in text
        assert "Recent notices" not in text
        assert buttons(view) == {}

    def test_a_notice_waits_with_its_button_until_acknowledged_there(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        notice_id = announce(events_url, slack, db, "Wrap party Friday")
        view = open_home(events_url, slack, OPERATOR)
        assert "*Announcement · Hollis Farm*" in texts(view)
        assert f"acknowledge:{notice_id}" in buttons(view)

        before = len(slack.calls_to("views.publish"))
        reply = send_signed(
            events_url, home_action("acknowledge", str(notice_id), user_id=OPERATOR, view=view)
        )

        assert reply.status == 200
        with db.readers() as session:
            assert session.scalar(
                select(Delivery.acknowledged_at).where(
                    Delivery.notice_id == notice_id, Delivery.slack_user_id == OPERATOR
                )
            )
        republished = slack.wait_for_call("views.publish", count=before + 1)
        assert f"acknowledge:{notice_id}" not in buttons(republished.params["view"])
        assert "Nothing waiting" in texts(validate_view(republished.params["view"]))

    def test_the_script_colour_and_whether_acknowledged(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        command(events_url, "/script", "new pages 12, 14-16")
        drain(sender_for(db, slack), db)

        text = texts(open_home(events_url, slack, OPERATOR))

        assert "*Script:* White pages" in text
        assert "(12, 14-16) · not acknowledged yet" in text

    def test_someone_not_on_a_crew(self, events_url: str, slack: FakeSlack) -> None:
        text = texts(open_home(events_url, slack, "U0STRANGER"))

        assert "You're not on any production's crew list yet" in text


@pytest.mark.usefixtures("hollis")
class TestRunningTheShoot:
    def test_a_coordinator_sees_notices_rentals_and_actions(
        self, events_url: str, slack: FakeSlack, db: Database, clock: FakeClock
    ) -> None:
        notice_id = announce(events_url, slack, db, "Safety meeting 07:00")
        command(
            events_url,
            "/rentals",
            'add "Fisher 10 dolly" vendor Panther dept grip out 2026-10-12 due 2026-10-19 '
            "rate 300/day",
        )

        view = open_home(events_url, slack, COORDINATOR)

        text = texts(view)
        assert f"Notice {notice_id} · Announcement · Hollis Farm · *0/44* acknowledged" in text
        assert "*Fisher 10 dolly* · Panther · Grip · due Mon 19 Oct" in text
        assert {"home_schedule_change", "home_announce", "home_script"} <= set(buttons(view))

    def test_a_head_sees_their_departments_counts_and_no_actions(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        notice_id = announce(events_url, slack, db, "Safety meeting 07:00")

        view = open_home(events_url, slack, CAMERA_HEAD)

        text = texts(view)
        assert "*Recent notices (your department)*" in text
        assert f"Notice {notice_id}" in text
        assert "*0/6* acknowledged" in text  # Camera's six, not the whole crew
        assert not {"home_schedule_change", "home_announce", "home_script"} & set(buttons(view))

    def test_announce_from_home(self, events_url: str, slack: FakeSlack, db: Database) -> None:
        home = open_home(events_url, slack, COORDINATOR)
        send_signed(events_url, home_action("home_announce", "", user_id=COORDINATOR, view=home))
        form = validate_view(slack.calls_to("views.open")[-1].params["view"])

        empty = send_signed(
            events_url, view_submission(form, modal_state(form, text=""), user_id=COORDINATOR)
        ).json()
        sent = send_signed(
            events_url,
            view_submission(
                form, modal_state(form, text="Call sheet v2 is out"), user_id=COORDINATOR
            ),
        ).json()

        assert empty == {"response_action": "errors", "errors": {"text": "Write the announcement."}}
        assert "is on its way to 44 people" in sent["view"]["blocks"][0]["text"]["text"]
        send_signed(
            events_url,
            view_submission(
                form, modal_state(form, text="Rain cover", urgent="urgent"), user_id=COORDINATOR
            ),
        )
        with db.readers() as session:
            sent_notices = session.execute(
                select(Notice.body, Notice.urgent)
                .where(Notice.kind == NoticeKind.ANNOUNCEMENT)
                .order_by(Notice.id)
            ).all()
        assert [tuple(row) for row in sent_notices] == [
            ("Call sheet v2 is out", False),
            ("Rain cover", True),
        ]

    def test_script_revision_from_home(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        home = open_home(events_url, slack, COORDINATOR)
        send_signed(events_url, home_action("home_script", "", user_id=COORDINATOR, view=home))
        form = validate_view(slack.calls_to("views.open")[-1].params["view"])
        assert "*White pages*" in texts(form)

        bad = send_signed(
            events_url,
            view_submission(
                form, modal_state(form, pages="twelve", url="drive"), user_id=COORDINATOR
            ),
        ).json()
        good = send_signed(
            events_url,
            view_submission(form, modal_state(form, pages="12, 14-16"), user_id=COORDINATOR),
        ).json()

        assert set(bad["errors"]) == {"pages", "url"}
        assert "*White pages* announced to 44 people" in good["view"]["blocks"][0]["text"]["text"]
        with db.readers() as session:
            assert session.scalar(select(ScriptRevision.pages)) == "12, 14-16"

    def test_schedule_change_from_home_opens_its_form(
        self, events_url: str, slack: FakeSlack
    ) -> None:
        home = open_home(events_url, slack, COORDINATOR)

        send_signed(
            events_url, home_action("home_schedule_change", "", user_id=COORDINATOR, view=home)
        )

        form = validate_view(slack.calls_to("views.open")[-1].params["view"])
        assert form["callback_id"] == "schedule_change_form"

    def test_crew_cannot_use_the_actions(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        home = open_home(events_url, slack, FIRST_AC)
        for action in ("home_announce", "home_script", "home_schedule_change"):
            send_signed(events_url, home_action(action, "", user_id=FIRST_AC, view=home))
        coordinator_home = open_home(events_url, slack, COORDINATOR)
        send_signed(
            events_url, home_action("home_announce", "", user_id=COORDINATOR, view=coordinator_home)
        )
        form = validate_view(slack.calls_to("views.open")[-1].params["view"])

        forged = send_signed(
            events_url, view_submission(form, modal_state(form, text="Hi"), user_id=FIRST_AC)
        ).json()

        assert len(slack.calls_to("views.open")) == 1  # only the coordinator's
        assert "Only the production's coordinators can send announcements" in json.dumps(forged)
        with db.readers() as session:
            assert session.scalar(select(func.count()).select_from(Notice)) == 0


@pytest.mark.heavy
def test_a_300_person_production_fits(
    db: Database, slack: FakeSlack, events_url: str, clock: FakeClock
) -> None:
    clock.now = clock_now().replace(microsecond=0)
    crew = make_crew(db, size=300)
    for n in range(12):
        command(events_url, "/crewcall", f"announce Notice number {n}", user=BIG_COORDINATOR)
    drain(sender_for(db, slack), db)

    for user in (crew.everyone[0], BIG_COORDINATOR, next(iter(crew.heads.values()))):
        view = open_home(events_url, slack, user)  # validated: blocks, lengths, limits
        assert len(view["blocks"]) <= 100
        assert len(json.dumps(view)) < 100_000
    text = texts(open_home(events_url, slack, crew.everyone[0]))
    assert "…and 4 more in your DMs with Crewcall." in text
