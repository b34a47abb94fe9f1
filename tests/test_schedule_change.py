"""/schedule-change through the real endpoint: quick syntax and modal, preview, Send, DMs."""

from __future__ import annotations

import datetime as dt
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bot.changes.change import Change
from bot.changes.syntax import parse_quick
from bot.console.block_checks import validate_view
from bot.console.slack import FakeSlack
from bot.core.clock import CallSpec
from bot.core.schedule import Schedule, load_schedule
from bot.imports.run import import_file
from bot.notices.standing import tallies
from bot.storage.db import Database
from bot.storage.models import (
    Call,
    CallKind,
    CrewMember,
    DayStatus,
    Delivery,
    DeliveryStatus,
    Department,
    Notice,
    NoticeKind,
    Production,
    ScheduleChange,
    ShootDay,
)
from tests.conftest import FakeClock
from tests.crew import dm_of, drain, sender_for
from tests.hollis import (
    CHANNEL,
    COORDINATOR,
    FIRST_AC,
    OPERATOR,
    SOUND_ASSISTANT,
    SOUND_MIXER,
    import_hollis,
)
from tests.slack_requests import (
    block_action,
    send_signed,
    shown,
    slash_command,
    view_closed,
    view_submission,
)
from tests.test_calltime import calltime

DAY_3 = dt.date(2026, 10, 21)  # general 07:00; Camera -60 (Jonah Pike 05:45), Grip -45 ...
DAY_12 = dt.date(2026, 11, 2)  # night shoot: general 18:00, wrap 06:00; Rosa Vidal 01:30


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def command(events_url: str, text: str, *, user: str = COORDINATOR) -> dict:
    reply = send_signed(
        events_url, slash_command("/schedule-change", text, user_id=user, channel_id=CHANNEL)
    )
    assert reply.status == 200, reply.body
    return reply.json() if reply.body else {}


def change_id_of(preview: dict) -> int:
    """The proposal the preview's Send button names."""
    buttons = [b for b in preview["blocks"] if b["type"] == "actions"]
    assert [e["text"]["text"] for e in buttons[0]["elements"]] == ["Send", "Cancel"]
    return int(buttons[0]["elements"][0]["value"])


def click(
    events_url: str,
    slack: FakeSlack,
    action: str,
    change_id: int,
    *,
    user: str = COORDINATOR,
    attempt: int = 0,
) -> dict:
    """Click Send or Cancel on the preview; what the bot then posted to its response_url."""
    key = f"{action}-{change_id}-{user}-{attempt}"
    before = len(slack.responses.get(key, []))
    payload = block_action(
        f"schedule_change_{action}",
        str(change_id),
        user_id=user,
        channel_id=CHANNEL,
        response_url=slack.response_url(key),
    )
    assert send_signed(events_url, payload).status == 200
    return slack.responses_to(key, count=before + 1)[-1]


def change_and_send(events_url: str, slack: FakeSlack, text: str) -> tuple[dict, dict]:
    preview = command(events_url, text)
    return preview, click(events_url, slack, "send", change_id_of(preview))


def told(db: Database, notice_id: int | None = None) -> dict[str, str]:
    """Each person's own part of the (latest) schedule change, by Slack id."""
    with db.readers.begin() as session:
        if notice_id is None:
            notice_id = session.scalar(select(func.max(Notice.id)))
        rows = session.execute(
            select(Delivery.slack_user_id, Delivery.email, Delivery.detail).where(
                Delivery.notice_id == notice_id,
                Delivery.crew_member_id.is_not(None),
                Delivery.status != DeliveryStatus.CANCELLED,
            )
        )
        return {user or email: detail for user, email, detail in rows}


def user_of(db: Database, name: str) -> str:
    with db.readers.begin() as session:
        return session.scalar(select(CrewMember.slack_user_id).where(CrewMember.name == name))


def people_of(db: Database, department: str) -> set[str]:
    """A department's people, by Slack id (or email, when they have none yet)."""
    with db.readers.begin() as session:
        return set(
            session.scalars(
                select(func.coalesce(CrewMember.slack_user_id, CrewMember.email))
                .join(CrewMember.department)
                .where(CrewMember.department.has(name=department))
            )
        )


def revision_of(db: Database, date: dt.date) -> int:
    with db.readers.begin() as session:
        return session.scalar(select(ShootDay.revision).where(ShootDay.date == date))


def saved(db: Database) -> tuple[int, int, list[int]]:
    """How many changes and notices there are, and every day's revision."""
    with db.readers.begin() as session:
        return (
            session.scalar(select(func.count()).select_from(ScheduleChange)),
            session.scalar(select(func.count()).select_from(Notice)),
            list(session.scalars(select(ShootDay.revision).order_by(ShootDay.date))),
        )


def camera_call(db: Database, date: dt.date) -> tuple[str, int]:
    with db.readers.begin() as session:
        row = session.execute(
            select(Call.kind, Call.minutes)
            .join(ShootDay)
            .join(Department, Call.department_id == Department.id)
            .where(ShootDay.date == date, Department.name == "Camera")
        ).one()
        return row[0], row[1]


@pytest.mark.usefixtures("hollis")
class TestChanges:
    def test_moving_the_general_call_moves_offset_calls_and_leaves_clock_calls(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        preview, sent = change_and_send(events_url, slack, "day 3 call 06:30")

        text = shown(preview)
        assert "General crew call: *06:30*, was 07:00" in text
        assert "Camera (5 people): 05:30, was 06:00" in text
        assert "Hair &amp; Make-up (4 people): 05:00, was 05:30" in text
        assert "Sound (3 people): 06:30, was 07:00" in text
        assert "DMs 35 people" in text  # the 36 affected but the author, who wrote it
        assert "Sent: notice" in sent["text"]
        dms = told(db)
        unaffected = {OPERATOR} | people_of(db, "Locations") | people_of(db, "Transport")
        assert len(dms) == 35
        assert COORDINATOR not in dms
        assert not unaffected & set(dms)
        assert dms[FIRST_AC] == "Your call Wed 21 Oct: *05:30*, was 06:00"
        assert dms[SOUND_MIXER] == "Your call Wed 21 Oct: *06:30*, was 07:00"
        answer = shown(calltime(events_url, "day 3", user=FIRST_AC))
        assert "*05:30* · Camera call, 60 min before the general call" in answer

    def test_department_and_personal_calls_in_one_command(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        preview, _ = change_and_send(
            events_url, slack, f"day 2 camera 06:30 <@{OPERATOR}|jonah> 5:00 am grip -30"
        )

        assert "Jonah Pike (Camera): 05:00, was 06:00" in shown(preview)
        dms = told(db)
        assert set(dms) == people_of(db, "Camera") | people_of(db, "Grip")
        assert dms[OPERATOR] == "Your call Tue 20 Oct: *05:00*, was 06:00"
        assert dms[FIRST_AC] == "Your call Tue 20 Oct: *06:30*, was 06:00"
        assert dms[user_of(db, "Omar Haddad")] == "Your call Tue 20 Oct: *06:30*, was 06:15"

    def test_a_new_location_tells_everyone_called_and_brings_its_details(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        preview, _ = change_and_send(events_url, slack, 'day 4 location "Brightwater Quarry"')

        assert "Location: *Brightwater Quarry*, was Hollis Farm" in shown(preview)
        dms = told(db)
        assert len(dms) == 44  # everyone but the author
        assert COORDINATOR not in dms
        assert dms[FIRST_AC] == "Your call Thu 22 Oct: *06:00* (unchanged)"
        with db.readers.begin() as session:
            day = session.scalar(select(ShootDay).where(ShootDay.day_number == 4))
            quarry = session.scalar(select(ShootDay).where(ShootDay.day_number == 15))
            body = session.scalar(select(Notice.body))
        assert (day.location_name, day.address, day.hospital) == (
            quarry.location_name,
            quarry.address,
            quarry.hospital,
        )
        assert f"Location: *Brightwater Quarry*, was Hollis Farm\n{quarry.address}" in body

    def test_a_night_shoot_keeps_its_after_midnight_calls(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        preview, _ = change_and_send(events_url, slack, "day 12 call 19:00 wrap 07:00")

        text = shown(preview)
        assert "Estimated wrap: *07:00 Tue*, was 06:00 Tue" in text
        dms = told(db)
        assert SOUND_ASSISTANT not in dms  # her 01:30 is a clock call: it stays
        assert dms[FIRST_AC] == "Your call Mon 2 Nov: *18:00*, was 17:00"
        _, _ = change_and_send(events_url, slack, f"day 12 <@{SOUND_ASSISTANT}> 02:30")
        assert told(db)[SOUND_ASSISTANT] == (
            "Your call Mon 2 Nov: *02:30 Tue*, was 01:30 Tue\n"
            "_late start: playback for the barn scene_"
        )

    def test_a_day_with_no_call_sheet_or_notice_yet(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        with db.readers.begin() as session:
            assert session.scalar(select(func.count()).select_from(Notice)) == 0
        _, sent = change_and_send(events_url, slack, "day 20 shooting 08:30")
        assert "Sent: notice 1 " in sent["text"]
        dms = told(db)
        assert len(dms) == 44  # the shooting call moves for everyone called but the author
        with db.readers.begin() as session:
            notice = session.scalar(select(Notice))
        assert notice.kind == NoticeKind.SCHEDULE_CHANGE
        assert notice.version == 1
        assert notice.body.startswith("Shooting call: *08:30*, was 08:00\n*Who is affected*")

    def test_cancel_tells_everyone_called_and_nobody_else(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        preview, _ = change_and_send(events_url, slack, "day 5 cancel -- storm warning --urgent")

        assert "Fri 23 Oct · Day 5 is cancelled" in shown(preview)
        dms = told(db)
        assert len(dms) == 43  # everyone called but the author
        assert COORDINATOR not in dms
        assert user_of(db, "Oscar Dunn") not in dms
        assert dms[FIRST_AC] == "*Fri 23 Oct · Day 5 is cancelled.*\nYour call was 06:00."
        with db.readers.begin() as session:
            notice = session.scalar(select(Notice))
            day = session.scalar(select(ShootDay).where(ShootDay.day_number == 5))
        assert notice.urgent
        assert notice.title == "Cancelled · Fri 23 Oct · Day 5"
        assert "*Note:* storm warning" in notice.body
        assert day.status == DayStatus.CANCELLED
        assert "is cancelled" in shown(calltime(events_url, "day 5", user=FIRST_AC))


@pytest.mark.usefixtures("hollis")
class TestSending:
    def test_dms_and_the_channel_post_reach_slack_with_acknowledge_buttons(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 3 grip 06:00 -- trucks arrive early")
        drain(sender_for(db, slack), db)

        grip = people_of(db, "Grip")
        dm = slack.posted(dm_of(next(iter(grip))))[0]
        text = json.dumps(dm["blocks"])
        assert "Your call Wed 21 Oct: *06:00*, was 06:15" in text
        assert "trucks arrive early" in text
        assert dm["blocks"][-1]["elements"][0]["action_id"] == "acknowledge"
        post = json.dumps(slack.posted(CHANNEL)[0]["blocks"])
        assert "Grip (4 people): 06:00, was 06:15" in post
        assert "0/4 acknowledged" in post
        everyone_else = {user_of(db, "Maya Okafor"), FIRST_AC, SOUND_MIXER}
        assert not any(slack.posted(dm_of(user)) for user in everyone_else)

    def test_a_double_click_sends_once(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_id = change_id_of(command(events_url, "day 3 camera 06:30"))
        revision = revision_of(db, DAY_3)

        with ThreadPoolExecutor(4) as pool:
            answers = list(
                pool.map(lambda n: click(events_url, slack, "send", change_id, attempt=n), range(4))
            )

        assert sum("Sent: notice" in a["text"] for a in answers) == 1
        assert sum("Already sent as notice 1" in a["text"] for a in answers) == 3
        with db.readers.begin() as session:
            assert session.scalar(select(func.count()).select_from(Notice)) == 1
        assert revision_of(db, DAY_3) == revision + 1
        assert len(told(db)) == 5

    def test_a_preview_older_than_the_days_latest_change_is_refused(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        older = change_id_of(command(events_url, "day 3 camera 06:30"))
        change_and_send(events_url, slack, "day 3 grip 06:00")

        answer = click(events_url, slack, "send", older)

        assert "has changed since this preview was made, so it was not sent" in answer["text"]
        with db.readers.begin() as session:
            assert session.scalar(select(func.count()).select_from(Notice)) == 1
        assert camera_call(db, DAY_3) == (CallKind.OFFSET, -60)
        assert not set(told(db)) & (people_of(db, "Camera") - {OPERATOR})

    def test_cancel_drops_the_proposal(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_id = change_id_of(command(events_url, "day 3 call 06:00"))

        assert (
            "nothing was changed or sent" in click(events_url, slack, "cancel", change_id)["text"]
        )
        assert "was cancelled" in click(events_url, slack, "send", change_id)["text"]
        with db.readers.begin() as session:
            assert session.scalar(select(func.count()).select_from(Notice)) == 0
            assert (
                session.scalar(select(ShootDay.general_call).where(ShootDay.date == DAY_3)) == 420
            )

    def test_a_second_change_supersedes_the_first_and_its_acknowledgements(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 3 camera 06:30")
        acked = block_action(
            "acknowledge",
            "1",
            user_id=FIRST_AC,
            channel_id=dm_of(FIRST_AC),
            response_url=slack.response_url("ack-1"),
        )
        assert send_signed(events_url, acked).status == 200
        slack.responses_to("ack-1")

        preview, _ = change_and_send(events_url, slack, "day 3 grip 06:00")

        assert "5 people told of the earlier change: this update replaces it" in shown(preview)
        second = told(db, 2)
        camera = people_of(db, "Camera") - {OPERATOR}
        assert set(second) == camera | people_of(db, "Grip")
        assert second[FIRST_AC] == "Your call Wed 21 Oct: *06:30* (unchanged)"
        with db.readers.begin() as session:
            first, latest = session.scalars(select(Notice).order_by(Notice.id)).all()
            assert first.superseded_at is not None
            assert latest.supersedes_id == first.id
            assert latest.version == 2
            assert tallies(session, notice_ids=[2])[2].acknowledged == 0
        again = block_action(
            "acknowledge",
            "1",
            user_id=FIRST_AC,
            channel_id=dm_of(FIRST_AC),
            response_url=slack.response_url("ack-2"),
        )
        send_signed(events_url, again)
        assert "replaced by notice 2" in json.dumps(slack.responses_to("ack-2"))


@pytest.mark.usefixtures("hollis")
class TestRefusals:
    @pytest.mark.parametrize(
        ("text", "answer"),
        [
            ("blursday call 06:00", "Start with the day to change (`blursday` is not one)"),
            ("next call 06:00", "Start with the day to change"),
            ("day 3", "Say what changes after the day"),
            ("day 3 call 25:99", "After `call`: `25:99` is not a time"),
            ("day 3 camrea 06:00", "I don't understand `camrea`"),
            ("day 3 camera", "Give a time after `Camera`"),
            ("day 3 camera soon", "After `Camera`: `soon` is not a call"),
            ("day 3 <@U0NOBODY1|ghost> 06:00", "<@U0NOBODY1> is not on the crew list"),
            ("day 99 call 06:00", "There is no day 99 on the schedule"),
            ("2026-10-25 call 06:00", "There is no shoot day on Sun 25 Oct 2026"),
            ("day 3 call 06:00 call 06:15", "call is changed twice"),
            ("day 3 cancel call 06:00", "`cancel` cancels the whole day"),
            ("day 3 location", "Give the new location in quotes"),
            ("day 3 call 07:00", "That changes nothing"),
            ("day 3 camera -60 -- same as before", "That changes nothing"),
        ],
    )
    def test_bad_changes_are_explained_and_nothing_is_saved(
        self, db: Database, events_url: str, text: str, answer: str
    ) -> None:
        before = saved(db)

        reply = command(events_url, text)

        assert answer in shown(reply)
        assert "actions" not in json.dumps(reply)
        assert saved(db) == before

    def test_past_days_are_refused(self, db: Database, events_url: str, clock: FakeClock) -> None:
        clock.now = dt.datetime(2026, 10, 22, 9, 0, tzinfo=dt.UTC)
        before = saved(db)

        assert "Wed 21 Oct is in the past" in shown(command(events_url, "day 3 call 06:00"))
        assert "Wed 21 Oct is in the past" in shown(command(events_url, "yesterday wrap 20:00"))
        assert "Preview · Schedule change · Thu 22 Oct" in shown(
            command(events_url, "today wrap 20:00")
        )
        assert saved(db)[1:] == before[1:]

    def test_a_cancelled_day_cannot_be_changed_again(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 5 cancel")
        assert "Fri 23 Oct is already cancelled" in shown(command(events_url, "day 5 call 06:00"))

    def test_only_coordinators_may_change_the_schedule(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        before = saved(db)
        for user in (FIRST_AC, SOUND_MIXER, "U0STRANGER"):
            answer = shown(command(events_url, "day 3 call 06:00", user=user))
            assert "Only the production's coordinators" in answer or "not on any" in answer
        assert saved(db) == before
        assert not slack.calls_to("views.open")
        # Nor may anyone else press Send on a coordinator's preview.
        change_id = change_id_of(command(events_url, "day 3 call 06:00"))
        refused = click(events_url, slack, "send", change_id, user=SOUND_MIXER)
        assert "Only the production's coordinators" in refused["text"]
        with db.readers.begin() as session:
            assert session.scalar(select(func.count()).select_from(Notice)) == 0

    def test_help(self, events_url: str) -> None:
        text = shown(command(events_url, "help", user=FIRST_AC))
        assert "/schedule-change day 12 cancel" in text


def form_values(
    date: str | None = "2026-10-21", *, options: tuple[str, ...] = (), **fields: str
) -> dict:
    """The modal's state as Slack submits it."""
    values: dict = {"day": {"date": {"type": "datepicker", "selected_date": date}}}
    for block in ("general_call", "shooting_call", "wrap", "departments", "people"):
        values[block] = {"value": {"type": "plain_text_input", "value": fields.get(block)}}
    for block in ("location", "address", "parking", "hospital", "note"):
        values[block] = {"value": {"type": "plain_text_input", "value": fields.get(block)}}
    values["options"] = {
        "choices": {
            "type": "checkboxes",
            "selected_options": [
                {"value": o, "text": {"type": "plain_text", "text": o}} for o in options
            ],
        }
    }
    return values


def open_form(events_url: str, slack: FakeSlack, *, user: str = COORDINATOR) -> dict:
    assert command(events_url, "", user=user) == {}
    return validate_view(slack.calls_to("views.open")[-1].params["view"])


def submit(events_url: str, view: dict, values: dict, *, user: str = COORDINATOR) -> dict:
    reply = send_signed(events_url, view_submission(view, values, user_id=user))
    assert reply.status == 200, reply.body
    return reply.json() if reply.body else {}


@pytest.mark.usefixtures("hollis")
class TestModal:
    def test_the_form_previews_then_sends(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        form = open_form(events_url, slack)
        assert form["blocks"][0]["element"]["initial_date"] == "2026-10-19"

        preview = submit(
            events_url,
            form,
            form_values(
                general_call="6:30am",
                departments="Hair & Make-up -60\ngrip 06:00",
                people="jonah pike 05:00",
                note="Rain cover",
                options=("urgent",),
            ),
        )

        assert preview["response_action"] == "update"
        view = validate_view(preview["view"])
        text = json.dumps(view)
        assert "Grip (4 people): 06:00, was 06:15" in text
        assert "Hair &amp; Make-up (" not in text  # -60 from 06:30 is the 05:30 they had
        assert "Jonah Pike (Camera): 05:00, was 05:45" in text
        assert "Rain cover" in text
        done = submit(events_url, view, {})
        assert done["response_action"] == "update"
        assert "Sent: notice 1" in json.dumps(done["view"])
        dms = told(db)
        assert dms[OPERATOR] == "Your call Wed 21 Oct: *05:00*, was 05:45\n_lens tests before call_"
        with db.readers.begin() as session:
            notice = session.scalar(select(Notice))
        assert notice.urgent
        assert "*Note:* Rain cover" in notice.body

    def test_a_new_location_with_its_address_parking_and_hospital(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        form = open_form(events_url, slack)

        preview = submit(
            events_url,
            form,
            form_values(
                location="Old Mill",
                address="Mill Lane, Wheatley OX33 1XX",
                parking="Field behind the mill",
                hospital="John Radcliffe Hospital",
            ),
        )
        submit(events_url, validate_view(preview["view"]), {})

        text = json.dumps(preview["view"])
        assert "Location: *Old Mill*, was Hollis Farm" in text
        assert "Mill Lane, Wheatley OX33 1XX" in text
        assert ":warning:" not in text  # a new place with all its details, and a hospital
        with db.readers.begin() as session:
            day = session.scalar(select(ShootDay).where(ShootDay.date == DAY_3))
        assert (day.location_name, day.parking, day.hospital) == (
            "Old Mill",
            "Field behind the mill",
            "John Radcliffe Hospital",
        )

    def test_bad_fields_are_shown_beside_them_and_nothing_is_saved(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        form = open_form(events_url, slack)
        before = saved(db)

        reply = submit(
            events_url,
            form,
            form_values(
                general_call="soon",
                departments="Camera 06:00\nCamrea 06:30",
                people="Nobody Atall 05:00",
            ),
        )

        assert reply["response_action"] == "errors"
        errors = reply["errors"]
        assert set(errors) == {"general_call", "departments", "people"}
        assert "`soon` is not a time" in errors["general_call"]
        assert errors["departments"].startswith(
            "Line 2: I don't understand `Camrea`: did you mean Camera?"
        )
        assert (
            "Nobody on the crew list of Hollis Farm is called `Nobody Atall`." in errors["people"]
        )
        assert saved(db) == before

    @pytest.mark.parametrize(
        ("values", "block", "message"),
        [
            (form_values(None, wrap="20:00"), "day", "Pick the shoot day"),
            (form_values(), "day", "Say what changes"),
            (form_values("2026-10-25", wrap="20:00"), "day", "There is no shoot day"),
            (form_values(options=("cancel",), wrap="20:00"), "options", "cancels the whole day"),
            (form_values(departments="Camera"), "departments", "needs a name and a call"),
        ],
    )
    def test_form_refusals(
        self,
        db: Database,
        events_url: str,
        slack: FakeSlack,
        values: dict,
        block: str,
        message: str,
    ) -> None:
        form = open_form(events_url, slack)
        before = saved(db)

        reply = submit(events_url, form, values)

        assert reply["response_action"] == "errors"
        assert message in reply["errors"][block]
        assert saved(db) == before

    def test_closing_the_preview_cancels_it(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        form = open_form(events_url, slack)
        preview = submit(events_url, form, form_values(wrap="20:00"))["view"]

        reply = send_signed(events_url, view_closed(preview, user_id=COORDINATOR))

        assert reply.status == 200
        with db.readers.begin() as session:
            assert session.scalar(select(ScheduleChange.status)) == "cancelled"
        refused = submit(events_url, preview, {})
        assert "This change was cancelled" in json.dumps(refused)
        assert saved(db)[1] == 0

    def test_crew_get_no_form(self, events_url: str, slack: FakeSlack) -> None:
        assert "Only the production's coordinators" in shown(command(events_url, "", user=FIRST_AC))
        assert not slack.calls_to("views.open")


@pytest.fixture
def schedule(hollis: Database) -> Schedule:
    with hollis.readers.begin() as session:
        production_id = session.scalar(select(ShootDay.production_id))
        return load_schedule(session, production_id=production_id)


TODAY = dt.date(2026, 10, 18)


class TestQuickSyntax:
    def test_department_names_smart_quotes_notes_and_urgent(self, schedule: Schedule) -> None:
        # As typed: Slack's &amp; is turned back into & at the edge (tests/test_edge.py).
        change = parse_quick(
            schedule,
            "wed hair & make-up -75 location \u201cOld Mill\u201d --urgent -- bring wellies",
            today=TODAY,
        )

        hmu = schedule.departments_by_key["hair & make-up"]
        assert change.date == DAY_3
        assert change.departments == ((hmu.id, CallSpec(CallKind.OFFSET, -75)),)
        assert change.location is not None
        assert change.location.name == "Old Mill"
        assert change.location.address == ""  # a new place: no details to borrow
        assert change.note == "bring wellies"
        assert change.urgent

    def test_dates_times_and_day_numbers_as_people_write_them(self, schedule: Schedule) -> None:
        assert parse_quick(schedule, "24 oct shoot call 7pm", today=TODAY).shooting_call == 19 * 60
        assert parse_quick(schedule, "2026-11-02 wrap 6:30 am", today=TODAY).wrap == 390
        by_number = parse_quick(schedule, "day 12 general call 17:30", today=TODAY)
        assert (by_number.date, by_number.general_call) == (DAY_12, 1050)
        off = parse_quick(schedule, f"day 12 <@{SOUND_ASSISTANT}|rosa> off", today=TODAY)
        assert off.people[0][1] == CallSpec(CallKind.OFF)

    def test_a_change_survives_being_stored(self, schedule: Schedule) -> None:
        change = parse_quick(
            schedule, 'day 3 call 06:00 grip -30 location "Brightwater Quarry" -- x', today=TODAY
        )
        assert Change.from_json(json.loads(json.dumps(change.as_json()))) == change
        assert change.location is not None
        assert change.location.known_from == "day 15"


def import_text(db: Database, kind: str, text: str) -> str:
    """Import a file as the CLI does; its report."""
    with db.transaction() as session:
        production = session.scalar(select(Production))
        report = import_file(session, production=production, kind=kind, data=text.encode())
        return report.summary()


@pytest.mark.usefixtures("hollis")
class TestImportsOfNotifiedDays:
    def test_new_calls_for_a_notified_day_are_proposed_not_applied(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 3 grip 06:00")
        drain(sender_for(db, slack), db)
        calls = "date,who,call,note\n2026-10-21,Camera,-30,\n2026-10-22,Camera,-30,\n"

        report = import_text(db, "calls", calls)

        assert "Imported calls: 0 added, 1 updated, 0 unchanged." in report
        assert "Wed 21 Oct (day 3) has gone out to the crew" in report
        assert "proposed as schedule change 2" in report
        assert camera_call(db, DAY_3) == (CallKind.OFFSET, -60)  # not applied
        assert camera_call(db, dt.date(2026, 10, 22)) == (CallKind.OFFSET, -30)
        again = import_text(db, "calls", calls)
        assert "proposed as schedule change 2" in again
        assert saved(db)[0] == 2

        preview = command(events_url, "2")
        assert "Camera (5 people): 06:30, was 06:00" in shown(preview)
        click(events_url, slack, "send", change_id_of(preview))
        assert camera_call(db, DAY_3) == (CallKind.OFFSET, -30)
        assert set(told(db)) == (people_of(db, "Camera") - {OPERATOR}) | people_of(db, "Grip")

    def test_a_schedule_import_applies_scenes_and_proposes_the_new_call(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 3 wrap 20:00")
        drain(sender_for(db, slack), db)
        schedule = (
            "date,day,general_call,shooting_call,wrap,location,scenes\n"
            "2026-10-21,3,06:00,08:00,20:00,Hollis Farm,99|INT. BARN|D|1\n"
        )

        report = import_text(db, "schedule", schedule)

        assert "proposed as schedule change 2" in report
        with db.readers.begin() as session:
            day = session.scalar(select(ShootDay).where(ShootDay.date == DAY_3))
            assert [scene.number for scene in day.scenes] == ["99"]
            assert day.general_call == 7 * 60
        preview = shown(command(events_url, "2"))
        assert "General crew call: *06:00*, was 07:00" in preview

    def test_an_ics_import_proposes_the_new_call_too(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 3 wrap 20:00")
        drain(sender_for(db, slack), db)
        ics = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
            "UID:day3@test\r\nDTSTART;TZID=Europe/London:20261021T060000\r\n"
            "DTEND;TZID=Europe/London:20261021T200000\r\nSUMMARY:Day 3\r\n"
            "DESCRIPTION:Notes: Bring wellies\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )

        report = import_text(db, "ics", ics)

        assert "0 added, 1 updated" in report
        assert "proposed as schedule change 2" in report
        with db.readers.begin() as session:
            day = session.scalar(select(ShootDay).where(ShootDay.date == DAY_3))
            assert (day.general_call, day.notes) == (7 * 60, "Bring wellies")
        preview = shown(command(events_url, "2"))
        assert "General crew call: *06:00*, was 07:00" in preview

    def test_an_unknown_or_already_sent_proposal_is_refused(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 3 wrap 20:00")
        assert "Schedule change 1 was already sent" in shown(command(events_url, "1"))
        assert "There is no schedule change 7" in shown(command(events_url, "7"))


@pytest.mark.usefixtures("hollis")
def test_a_new_place_and_shooting_call_are_both_named_for_those_whose_call_stays(
    events_url: str,
) -> None:
    text = shown(command(events_url, 'day 4 shooting 09:00 location "Old Mill"'))
    assert "44 people whose call stays the same: the new location and shooting call" in text
    assert "Location: *Old Mill*, was Hollis Farm" in text


# "12 people whose call stays the same", "Camera (5 people): ...", "Jonah Pike (Camera): ...".
_COUNTED = (re.compile(r"(\d+) (?:people|person)\b"), re.compile(r"[^:]* \((\d+) people\): "))
_ONE = re.compile(r"[^:(]+ \([^)]+\): ")


def _counted(lines: list[str]) -> int:
    """How many people the preview's lines under "Who is affected" say."""
    total = 0
    for line in lines:
        found = next((m for pattern in _COUNTED if (m := pattern.match(line))), None)
        total += int(found[1]) if found else int(bool(_ONE.match(line)))
    return total


@pytest.mark.usefixtures("hollis")
@pytest.mark.parametrize(
    "change",
    [
        "day 3 call 06:30",  # every department on an offset moves; Maya's Production with them
        "day 3 production 06:00",  # her own department
        "day 3 shooting 09:00",
        "day 3 location Old Mill",
        "day 3 location Old Mill camera 06:30 @jonah 05:00",
        "day 3 cancel",
        "day 3 call 08:00 sound 07:30",
        "day 3 wrap 20:00",
    ],
)
def test_a_previews_lines_add_up_to_whom_send_tells(events_url: str, change: str) -> None:
    preview = command(events_url, change)

    shown = "\n".join(b["text"]["text"] for b in preview["blocks"] if b["type"] == "section")
    affected = shown.split("*Who is affected*\n", 1)[1].splitlines()
    [reach] = [
        e["text"] for b in preview["blocks"] if b["type"] == "context" for e in b["elements"]
    ]
    said = re.search(r"DMs (\d+|nobody)", reach)[1]  # type: ignore[index]
    assert _counted(affected) == (0 if said == "nobody" else int(said)), (affected, reach)
