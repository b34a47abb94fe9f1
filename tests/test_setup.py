"""`/crewcall setup` (the settings modal, field by field), `/crewcall role` and `remove`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.console.block_checks import validate_view
from bot.console.slack import FakeSlack
from bot.crew.settings import LABELS
from bot.storage.db import Database
from bot.storage.models import CrewMember, DateOrder, Production, Rental, Role, TimeFormat
from tests.hollis import (
    CHANNEL,
    COORDINATOR,
    FIRST_AC,
    OPERATOR,
    import_hollis,
    new_production,
)
from tests.slack_requests import (
    block_action,
    modal_state,
    send_signed,
    shown,
    slash_command,
    view_submission,
)

SECOND_COORDINATOR = "U0HF0002"
DOLLY_GRIP = "U0HF0015"  # Kit Summers, Grip


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def crewcall(events_url: str, text: str, *, user: str = COORDINATOR) -> str:
    reply = send_signed(
        events_url, slash_command("/crewcall", text, user_id=user, channel_id=CHANNEL)
    )
    assert reply.status == 200
    return shown(reply.json())


def acks(events_url: str, *, user: str) -> str:
    reply = send_signed(events_url, slash_command("/acks", "", user_id=user, channel_id=CHANNEL))
    assert reply.status == 200
    return shown(reply.json())


def open_form(events_url: str, slack: FakeSlack, *, user: str = COORDINATOR) -> dict:
    reply = send_signed(
        events_url, slash_command("/crewcall", "setup", user_id=user, channel_id=CHANNEL)
    )
    assert reply.status == 200
    assert "Change one with `/crewcall setup <name> <value>`" in shown(reply.json())
    return validate_view(slack.calls_to("views.open")[-1].params["view"])


def submit(events_url: str, view: dict, *, user: str = COORDINATOR, **changes: str) -> dict:
    reply = send_signed(
        events_url, view_submission(view, modal_state(view, **changes), user_id=user)
    )
    assert reply.status == 200, reply.body
    return reply.json()


def settings(db: Database, slug: str = "hollis") -> dict:
    """Every setting the form edits, as saved."""
    with db.readers() as session:
        production = session.scalar(select(Production).where(Production.slug == slug))
        return {name: getattr(production, name) for name in LABELS}


def role_of(db: Database, user: str) -> tuple[Role, str | None]:
    with db.readers() as session:
        member = session.scalar(select(CrewMember).where(CrewMember.slack_user_id == user))
        return member.role, member.department.name if member.department else None


@pytest.mark.usefixtures("hollis")
class TestSetupModal:
    def test_the_form_shows_the_current_settings(self, events_url: str, slack: FakeSlack) -> None:
        view = open_form(events_url, slack)

        fields = {block["block_id"]: block["element"] for block in view["blocks"][1:]}
        assert fields["timezone"]["initial_value"] == "Europe/London"
        assert fields["crew_channel"]["initial_conversation"] == CHANNEL
        assert fields["callsheet_time"]["initial_time"] == "18:00"
        assert fields["reminder_lead"]["initial_value"] == "90"
        assert fields["time_format"]["initial_option"]["value"] == "24h"
        assert fields["revision_colours"]["initial_value"].startswith("White\nBlue\nPink")
        # Hollis Farm is in Europe/London: it was created pricing in pounds (issue 23).
        assert fields["currency"]["initial_value"] == "GBP"

    def test_saving_changes_every_setting(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        view = open_form(events_url, slack)

        answer = submit(
            events_url,
            view,
            timezone="America/New_York",
            crew_channel="C0HFNEW001",
            callsheet_time="19:30",
            reminder_lead="0",
            renotify_every="45",
            renotify_max="5",
            quiet_start="23:00",
            quiet_end="07:00",
            rentals_time="08:15",
            time_format="12h",
            date_order="mdy",
            currency="gbp",
            revision_colours="White\nBlue\nGreen, Yellow",
        )

        assert answer["response_action"] == "update"
        text = answer["view"]["blocks"][0]["text"]["text"]
        assert "Saved Hollis Farm's settings" in text
        assert "Call sheet goes out at: 19:30" in text
        assert settings(db) == {
            "timezone": "America/New_York",
            "crew_channel": "C0HFNEW001",
            "callsheet_time": dt.time(19, 30),
            "reminder_lead": 0,
            "renotify_every": 45,
            "renotify_max": 5,
            "quiet_start": dt.time(23, 0),
            "quiet_end": dt.time(7, 0),
            "rentals_time": dt.time(8, 15),
            "time_format": TimeFormat.H12,
            "date_order": DateOrder.MONTH_FIRST,
            "currency": "GBP",
            "revision_colours": ["White", "Blue", "Green", "Yellow"],
        }

    def test_saving_the_form_unchanged_changes_nothing(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        before = settings(db)

        answer = submit(events_url, open_form(events_url, slack))

        assert "Nothing changed" in answer["view"]["blocks"][0]["text"]["text"]
        assert settings(db) == before

    def test_each_bad_field_gets_its_own_error_and_nothing_is_saved(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        before = settings(db)
        view = open_form(events_url, slack)

        answer = submit(
            events_url,
            view,
            timezone="Mars/Olympus_Mons",
            crew_channel="not-a-channel",
            callsheet_time="25:99",
            reminder_lead="-5",
            renotify_every="2",
            renotify_max="twenty",
            quiet_start="",
            currency="pounds",
            revision_colours="White\nBlue\nwhite",
            time_format="36h",
        )

        assert answer["response_action"] == "errors"
        errors = answer["errors"]
        assert "`Mars/Olympus_Mons` is not a time zone" in errors["timezone"]
        assert "is not a channel" in errors["crew_channel"]
        assert "is not a time" in errors["callsheet_time"]
        assert (
            errors["reminder_lead"]
            == "Give a whole number from 0 to 720 (minutes; 0 turns reminders off)."
        )
        assert "from 5 to 1440" in errors["renotify_every"]
        assert "from 0 to 20" in errors["renotify_max"]
        assert errors["quiet_start"] == "Give the quiet hours start."
        assert "not a currency code" in errors["currency"]
        assert "White is in the list twice" in errors["revision_colours"]
        assert errors["time_format"] == "`36h` is not one: give `24h` or `12h`."
        assert set(errors) == {
            "timezone",
            "crew_channel",
            "callsheet_time",
            "reminder_lead",
            "renotify_every",
            "renotify_max",
            "quiet_start",
            "currency",
            "revision_colours",
            "time_format",
        }
        assert settings(db) == before

    def test_another_productions_crew_channel_is_refused(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        with db.transaction() as session:
            new_production(
                session,
                name="Marsh Lane",
                slug="marsh",
                channel="C0MARSH001",
                coordinator=COORDINATOR,
            )
        view = open_form(events_url, slack)

        answer = submit(events_url, view, crew_channel="C0MARSH001")

        assert answer["errors"] == {
            "crew_channel": "That channel is already Marsh Lane's crew channel; pick another."
        }

    def test_crew_cannot_open_it(self, events_url: str, slack: FakeSlack) -> None:
        reply = send_signed(
            events_url, slash_command("/crewcall", "setup", user_id=FIRST_AC, channel_id=CHANNEL)
        )

        assert "Only the production's coordinators can change the production's settings" in (
            shown(reply.json())
        )
        assert slack.calls_to("views.open") == []

    def test_a_submission_from_someone_else_changes_nothing(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        before = settings(db)
        view = open_form(events_url, slack)

        reply = send_signed(
            events_url,
            view_submission(view, modal_state(view, reminder_lead="5"), user_id=FIRST_AC),
        )

        assert (
            "Only the production's coordinators"
            in reply.json()["view"]["blocks"][0]["text"]["text"]
        )
        assert settings(db) == before

    def test_the_currency_is_used_for_rates_written_without_one(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        submit(events_url, open_form(events_url, slack), currency="EUR")

        reply = send_signed(
            events_url,
            slash_command(
                "/rentals",
                'add "Dolly track" vendor Panther dept grip out 2026-10-20 due 2026-10-27 '
                "rate 300/day",
                user_id=COORDINATOR,
                channel_id=CHANNEL,
            ),
        )

        assert "€" in shown(reply.json())
        with db.readers() as session:
            assert session.scalar(select(Rental.currency)) == "EUR"


@pytest.mark.usefixtures("hollis")
class TestRoles:
    def test_make_someone_head_of_a_department(self, events_url: str, db: Database) -> None:
        answer = crewcall(events_url, f"role <@{DOLLY_GRIP}|kit> head grip")

        assert answer == "Kit Summers is now head of Grip on Hollis Farm."
        assert role_of(db, DOLLY_GRIP) == (Role.HEAD, "Grip")

    def test_a_new_head_sees_their_departments_acknowledgements(
        self, events_url: str, db: Database
    ) -> None:
        refused = "Only coordinators, and department heads"
        assert refused in acks(events_url, user=OPERATOR)

        crewcall(events_url, f"role <@{OPERATOR}|jonah> head")

        assert role_of(db, OPERATOR) == (Role.HEAD, "Camera")
        assert refused not in acks(events_url, user=OPERATOR)

    def test_coordinator_and_back_to_crew(self, events_url: str, db: Database) -> None:
        crewcall(events_url, f"role <@{FIRST_AC}|ada> coordinator")
        assert role_of(db, FIRST_AC) == (Role.COORDINATOR, "Camera")
        # The new coordinator can now change roles themselves.
        assert "is now crew" in crewcall(events_url, f"role <@{FIRST_AC}|ada> crew", user=FIRST_AC)
        assert role_of(db, FIRST_AC) == (Role.CREW, "Camera")

    def test_by_name_and_into_another_department(self, events_url: str, db: Database) -> None:
        answer = crewcall(events_url, "role Kit Summers crew camera")

        assert answer == "Kit Summers is now crew on Hollis Farm."
        assert role_of(db, DOLLY_GRIP) == (Role.CREW, "Camera")

    def test_remove_someone(self, events_url: str, db: Database) -> None:
        answer = crewcall(events_url, f"remove <@{DOLLY_GRIP}|kit>")

        assert answer == "Kit Summers is no longer on Hollis Farm's crew list."
        with db.readers() as session:
            assert (
                session.scalar(select(CrewMember).where(CrewMember.slack_user_id == DOLLY_GRIP))
                is None
            )

    def test_a_coordinator_removing_themselves_is_asked_first(
        self, events_url: str, db: Database, slack: FakeSlack
    ) -> None:
        reply = send_signed(
            events_url,
            slash_command("/crewcall", "remove @Maya Okafor", user_id=COORDINATOR),
        ).json()

        assert "You are taking yourself off Hollis Farm's crew list" in reply["text"]
        assert role_of(db, COORDINATOR)[0] == Role.COORDINATOR  # nothing yet
        [buttons] = [b for b in reply["blocks"] if b["type"] == "actions"]
        keep, remove = buttons["elements"][1], buttons["elements"][0]
        assert (remove["text"]["text"], keep["text"]["text"]) == ("Remove me", "Keep me on")

        kept = self._click(events_url, slack, keep, "keep")
        assert kept["text"] == "You are still on the crew list: nothing changed."
        assert role_of(db, COORDINATOR)[0] == Role.COORDINATOR
        removed = self._click(events_url, slack, remove, "remove")
        assert removed["text"] == "Maya Okafor is no longer on Hollis Farm's crew list."
        with db.readers() as session:
            gone = select(CrewMember).where(CrewMember.slack_user_id == COORDINATOR)
            assert session.scalar(gone) is None
        # Someone else's click on it (the value tampered with, or not) removes nobody else.
        assert (
            "That button"
            in self._click(
                events_url, slack, {**remove, "value": "{}"}, "tampered", user=SECOND_COORDINATOR
            )["text"]
        )

    @staticmethod
    def _click(
        events_url: str, slack: FakeSlack, button: dict, key: str, *, user: str = COORDINATOR
    ) -> dict:
        send_signed(
            events_url,
            block_action(
                button["action_id"],
                button["value"],
                user_id=user,
                channel_id=CHANNEL,
                response_url=slack.response_url(key),
            ),
        )
        [answer] = slack.responses_to(key)
        return answer

    def test_the_last_coordinator_stays(self, events_url: str, db: Database) -> None:
        crewcall(events_url, f"role <@{SECOND_COORDINATOR}|x> crew")

        demote = crewcall(events_url, f"role <@{COORDINATOR}|maya> crew")
        remove = crewcall(events_url, f"remove <@{COORDINATOR}|maya>")

        assert "only coordinator: make someone else coordinator first" in demote
        assert "only coordinator" in remove
        assert role_of(db, COORDINATOR)[0] == Role.COORDINATOR

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("role", "Say who and which role"),
            ("role head camera", "Say who and which role"),
            (f"role <@{DOLLY_GRIP}|kit> boss", "Say who and which role"),
            (
                "role Nobody Atall crew",
                "Nobody on the crew list of Hollis Farm is called `Nobody Atall`.",
            ),
            (f"role <@{DOLLY_GRIP}|kit> head catering", "`catering` is not a department here"),
            ("remove", "Say who"),
            ("remove U0NOBODY01", "Nobody on the crew list of Hollis Farm is called `U0NOBODY01`."),
        ],
    )
    def test_bad_input_changes_nothing(
        self, events_url: str, db: Database, text: str, expected: str
    ) -> None:
        before = role_of(db, DOLLY_GRIP)

        assert expected in crewcall(events_url, text)
        assert role_of(db, DOLLY_GRIP) == before

    def test_crew_and_heads_cannot_change_roles(self, events_url: str, db: Database) -> None:
        for user in (FIRST_AC, "U0HF0007"):  # crew, and Camera's head
            answer = crewcall(events_url, f"role <@{user}|me> coordinator", user=user)
            assert answer == "Only the production's coordinators can change people's roles."
        assert role_of(db, FIRST_AC) == (Role.CREW, "Camera")


def production_row(db: Database) -> Production:
    with db.readers() as session:
        found = session.scalar(select(Production))
        assert found is not None
        return found


@pytest.mark.usefixtures("hollis")
class TestSetupInText:
    """`/crewcall setup <name> <value>`, `setup list`: every setting without a form."""

    def test_a_setting_is_set_by_name_and_applies_at_once(
        self, db: Database, events_url: str
    ) -> None:
        answer = crewcall(events_url, "setup callsheet_time 17:30")

        assert answer == "Saved Hollis Farm's settings:\n• Call sheet goes out at: 17:30"
        assert production_row(db).callsheet_time == dt.time(17, 30)

    def test_each_kind_of_setting_reads_as_the_form_reads_it(
        self, db: Database, events_url: str
    ) -> None:
        for text in (
            "setup reminder-lead 45",
            "setup Renotify_Max 1",
            "setup time_format 12h",
            "setup revision_colours White, Blue, Pink",
            "setup timezone Europe/Paris",
            f"setup crew_channel <#{CHANNEL}|hollis-crew>",
        ):
            assert not crewcall(events_url, text).startswith("`"), text

        saved = production_row(db)
        assert (saved.reminder_lead, saved.renotify_max) == (45, 1)
        assert saved.time_format == TimeFormat.H12
        assert saved.revision_colours == ["White", "Blue", "Pink"]
        assert (saved.timezone, saved.crew_channel) == ("Europe/Paris", CHANNEL)

    @pytest.mark.parametrize(
        ("text", "answer"),
        [
            ("setup renotify_max 50", "from 0 to 20 (nudges). Nothing was changed."),
            ("setup renotify_every -5", "Give a whole number from 5 to 1440 (minutes)."),
            ("setup time_format 13h", "`13h` is not one: give `24h` or `12h`."),
            ("setup callshet_time 17:30", "is not a setting: did you mean `callsheet_time`?"),
            ("setup callsheet_time 25:00", "hours run from 00 to 23"),
            ("setup timezone Mars/Base", "`Mars/Base` is not a time zone"),
            ("setup reminder_lead", "Give the reminder before each call (minutes) after"),
        ],
    )  # fmt: skip
    def test_a_bad_value_says_its_range_and_changes_nothing(
        self, db: Database, events_url: str, text: str, answer: str
    ) -> None:
        before = production_row(db)

        assert answer in crewcall(events_url, text)

        after = production_row(db)
        assert [getattr(after, name) for name in LABELS] == [getattr(before, n) for n in LABELS]

    def test_list_shows_every_setting_and_how_to_change_one(self, events_url: str) -> None:
        answer = crewcall(events_url, "setup list")

        for name in LABELS:
            assert f"`{name}`" in answer
        assert "• `callsheet_time` Call sheet goes out at: 18:00" in answer
        assert "`/crewcall setup callsheet_time 17:30`" in answer

    def test_setup_alone_opens_the_form_and_lists_the_settings(
        self, events_url: str, slack: FakeSlack
    ) -> None:
        answer = crewcall(events_url, "setup")

        assert "• `renotify_max` Nudges before escalating: 3" in answer
        assert slack.calls_to("views.open")

    def test_only_coordinators_may(self, db: Database, events_url: str) -> None:
        answer = crewcall(events_url, "setup callsheet_time 05:00", user=DOLLY_GRIP)

        assert answer == "Only the production's coordinators can change the production's settings."
        assert production_row(db).callsheet_time == dt.time(18, 0)
