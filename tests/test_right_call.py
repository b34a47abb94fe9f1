"""The right call everywhere: a later notice replaces the day's earlier one whatever its kind,
re-posts show the schedule as it is, fixed calls keep their moment, authors are not chased."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
from sqlalchemy import func, select

from bot.console.slack import FakeSlack
from bot.imports.run import import_file
from bot.notices.followups import follow_up
from bot.notices.standing import DAY_KINDS
from bot.planning.planner import Planner
from bot.storage.db import Database
from bot.storage.models import Delivery, DeliveryStatus, Notice, NoticeKind, Production
from tests.conftest import FakeClock
from tests.crew import dm_of, sender_for
from tests.hollis import CHANNEL, COORDINATOR, FIRST_AC, FIXTURES, import_hollis
from tests.slack_requests import block_action, send_signed, shown
from tests.test_calltime import calltime
from tests.test_home import open_home, texts
from tests.test_schedule_change import change_and_send, command, told

LONDON = zoneinfo.ZoneInfo("Europe/London")
DAY_3 = dt.date(2026, 10, 21)  # general 07:00; Camera -60: Ada Moreau 06:00
EVENING_BEFORE = dt.datetime(2026, 10, 20, 18, 0, tzinfo=LONDON)  # the call sheet goes out


@pytest.fixture
def hollis(db: Database, slack: FakeSlack) -> Database:
    import_hollis(db)
    for number, email in enumerate(EMAIL_ONLY):  # so that every DM reaches its person
        slack.add_user(f"U0EMAIL{number:03d}", email=email)
    return db


EMAIL_ONLY = (
    "ravi.menon@hollisfarm.example",
    "finn.walsh@hollisfarm.example",
    "hugo.lenz@hollisfarm.example",
)


def evening_call_sheet(db: Database, slack: FakeSlack, clock: FakeClock) -> int:
    """The call sheet for day 3 planned and posted; its notice id."""
    clock.now = EVENING_BEFORE.astimezone(dt.UTC)
    Planner(db).run(now=clock.now)
    sender_for(db, slack).run(now=clock.now)
    with db.readers.begin() as session:
        return session.scalar(select(Notice.id).where(Notice.kind == NoticeKind.CALLSHEET))


def message_text(message: dict) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def reminder_of(slack: FakeSlack, user: str) -> str:
    """The morning reminder in the person's DM, as it reads now."""
    [found] = [m for m in slack.posted(dm_of(user)) if "Reminder · " in message_text(m)]
    return message_text(found)


def about_the_change(slack: FakeSlack, user: str) -> list[dict]:
    """DMs to `user` about a schedule change: the change, or a reminder of it."""
    return [m for m in slack.posted(dm_of(user)) if "schedule change" in m["text"].lower()]


def settle(db: Database, slack: FakeSlack, now: dt.datetime) -> None:
    """Run the sender at `now` until nothing is left to send or to bring up to date."""
    sender = sender_for(db, slack)
    for _ in range(50):
        sender.run(now=now)
        with db.readers.begin() as session:
            refresh = (Delivery.refresh_due <= now) & Delivery.ts.is_not(None)
            due = (Delivery.status == DeliveryStatus.PENDING) & (Delivery.next_attempt_at <= now)
            waiting = session.scalar(select(func.count()).where(refresh | due))
        if not waiting:
            return
    raise AssertionError(f"{waiting} deliveries still waiting")


def nudges_at(db: Database, slack: FakeSlack, now: dt.datetime) -> None:
    with db.transaction() as session:
        follow_up(session, now=now)
    settle(db, slack, now)


def move_to_grip(db: Database, name: str) -> None:
    """A crew.csv import that moves `name` to Grip: their call moves with no notice."""
    rows = (FIXTURES / "crew.csv").read_text(encoding="utf-8-sig").splitlines()
    moved = [row.replace(",Camera,", ",Grip,") if row.startswith(name) else row for row in rows]
    with db.transaction() as session:
        production = session.scalar(select(Production))
        import_file(session, production=production, kind="crew", data="\n".join(moved).encode())


@pytest.mark.usefixtures("hollis")
class TestALaterNoticeReplacesTheDays:
    def test_a_change_after_the_call_sheet_replaces_it_for_everyone(
        self, db: Database, events_url: str, slack: FakeSlack, clock: FakeClock
    ) -> None:
        sheet = evening_call_sheet(db, slack, clock)
        first_dm = slack.posted(dm_of(FIRST_AC))[0]
        assert "*06:00*" in message_text(first_dm)

        clock.now += dt.timedelta(minutes=5)
        change_and_send(events_url, slack, "day 3 camera 05:30")
        settle(db, slack, clock.now)

        with db.readers.begin() as session:
            [call_sheet, change] = session.scalars(
                select(Notice).where(Notice.kind.in_(DAY_KINDS)).order_by(Notice.id)
            ).all()
        assert call_sheet.id == sheet
        assert call_sheet.superseded_at is not None
        assert change.supersedes_id == sheet
        # The call sheet DM says it is out of date, and what replaced it.
        assert f"replaced by notice {change.id}" in message_text(slack.posted(dm_of(FIRST_AC))[0])
        # Everyone who had the call sheet gets the change, their call as it now is.
        dms = told(db, change.id)
        assert len(dms) == 44  # all 45 called, but the coordinator who sent it
        assert dms[FIRST_AC] == "Your call Wed 21 Oct: *05:30*, was 06:00"
        # /calltime asks for the change's acknowledgement, not the call sheet's.
        answer = shown(calltime(events_url, "day 3", user=FIRST_AC))
        assert f"this day's schedule change (notice {change.id})" in answer
        assert f"notice {sheet})" not in answer
        # App Home lists the change only.
        home = texts(open_home(events_url, slack, FIRST_AC))
        assert change.title in home
        assert call_sheet.title not in home

    def test_reminders_to_acknowledge_show_the_call_as_it_is_now(
        self, db: Database, events_url: str, slack: FakeSlack, clock: FakeClock
    ) -> None:
        evening_call_sheet(db, slack, clock)
        change_and_send(events_url, slack, "day 3 camera 05:30")
        settle(db, slack, clock.now)

        nudges_at(db, slack, clock.now + dt.timedelta(minutes=31))

        dms = slack.posted(dm_of(FIRST_AC))
        reminder = dms[-1]
        assert reminder["text"] == (
            "Reminder 1 of 3: please acknowledge the schedule change for Wed 21 Oct "
            "(your call 05:30)"
        )
        assert "06:00" not in message_text(reminder)
        assert [b["type"] for b in reminder["blocks"]] == ["section", "context", "actions"]
        original = dms[1]
        link = f"/archives/{dm_of(FIRST_AC)}/p{original['ts'].replace('.', '')}"
        assert link in message_text(reminder)
        # The call sheet, replaced, is never re-posted.
        assert not any("call sheet for" in m["text"] for m in dms)

    def test_a_call_moved_without_a_notice_shows_in_the_reminder(
        self, db: Database, slack: FakeSlack, clock: FakeClock
    ) -> None:
        evening_call_sheet(db, slack, clock)
        move_to_grip(db, "Ada Moreau")  # Grip -45: 06:15 instead of Camera's 06:00

        nudges_at(db, slack, clock.now + dt.timedelta(minutes=31))

        reminder = slack.posted(dm_of(FIRST_AC))[-1]
        assert reminder["text"] == (
            "Reminder 1 of 3: please acknowledge the call sheet for Wed 21 Oct "
            "(your call is now 06:15, not 06:00 as last sent)"
        )

    def test_a_call_sheet_held_up_shows_the_day_as_it_is_when_it_goes(
        self, db: Database, slack: FakeSlack, clock: FakeClock
    ) -> None:
        clock.now = EVENING_BEFORE.astimezone(dt.UTC)
        Planner(db).run(now=clock.now)  # planned, but Slack has not had it yet
        move_to_grip(db, "Ada Moreau")

        sender_for(db, slack).run(now=clock.now + dt.timedelta(minutes=40))

        sent = message_text(slack.posted(dm_of(FIRST_AC))[0])
        assert "Your call Wed 21 Oct: *06:15*" in sent
        assert "Your call Wed 21 Oct: *06:00*" not in sent

    def test_a_change_marks_the_days_morning_reminders_out_of_date(
        self, db: Database, events_url: str, slack: FakeSlack, clock: FakeClock
    ) -> None:
        reminded_at = dt.datetime(2026, 10, 21, 4, 30, tzinfo=LONDON).astimezone(dt.UTC)
        Planner(db).run(now=reminded_at)  # Ada's 06:00 call: reminded at 04:30
        sender_for(db, slack).run(now=reminded_at)
        assert "Your call today 06:00" in reminder_of(slack, FIRST_AC)
        clock.now = reminded_at

        change_and_send(events_url, slack, "day 3 camera 05:30")
        settle(db, slack, clock.now)

        reminder = reminder_of(slack, FIRST_AC)
        assert "Out of date" in reminder
        with db.readers.begin() as session:
            change = session.scalar(
                select(Notice.id).where(Notice.kind == NoticeKind.SCHEDULE_CHANGE)
            )
        assert f"replaced by notice {change}" in reminder

    def test_clicking_acknowledge_on_a_reminder_updates_the_message_too(
        self, db: Database, events_url: str, slack: FakeSlack, clock: FakeClock
    ) -> None:
        sheet = evening_call_sheet(db, slack, clock)
        nudges_at(db, slack, clock.now + dt.timedelta(minutes=31))
        click = block_action(
            "acknowledge",
            str(sheet),
            user_id=FIRST_AC,
            channel_id=dm_of(FIRST_AC),
            response_url=slack.response_url("ack"),
            block_id=f"reminder-{sheet}",
        )
        send_signed(events_url, click)
        [answer] = slack.responses_to("ack")

        sender_for(db, slack).run(now=clock.now + dt.timedelta(minutes=32))

        assert answer["replace_original"] is True
        assert answer["text"].startswith(":white_check_mark: Acknowledged")
        original = slack.posted(dm_of(FIRST_AC))[0]
        assert "Acknowledged" in message_text(original)
        assert '"action_id": "acknowledge"' not in message_text(original)


@pytest.mark.usefixtures("hollis")
class TestWhatChangedForYou:
    def test_a_change_says_what_changed_since_the_last_message_the_person_was_sent(
        self, db: Database, events_url: str, slack: FakeSlack, clock: FakeClock
    ) -> None:
        evening_call_sheet(db, slack, clock)  # Ada was sent 06:00
        change_and_send(events_url, slack, "day 3 camera 05:30")  # not yet sent to anyone
        change_and_send(events_url, slack, "day 3 wrap 20:00")  # replaces it before it goes

        settle(db, slack, clock.now)

        latest = message_text(slack.posted(dm_of(FIRST_AC))[-1])
        assert "Your call Wed 21 Oct: *05:30*, was 06:00" in latest
        assert "(unchanged)" not in latest

    def test_someone_never_told_of_the_first_change_hears_of_it_in_the_second(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        change_and_send(events_url, slack, "day 3 camera 05:30")  # no call sheet yet
        change_and_send(events_url, slack, "day 3 wrap 20:00")

        assert told(db)[FIRST_AC] == "Your call Wed 21 Oct: *05:30*, was 06:00"

    def test_someone_shown_the_first_change_is_told_their_call_is_unchanged(
        self, db: Database, events_url: str, slack: FakeSlack, clock: FakeClock
    ) -> None:
        change_and_send(events_url, slack, "day 3 camera 05:30")
        settle(db, slack, clock.now)
        change_and_send(events_url, slack, "day 3 wrap 20:00")
        settle(db, slack, clock.now)

        latest = message_text(slack.posted(dm_of(FIRST_AC))[-1])
        assert "Your call Wed 21 Oct: *05:30* (unchanged)" in latest


@pytest.mark.usefixtures("hollis")
class TestFixedCallsKeepTheirMoment:
    def test_moving_the_general_call_to_the_evening_leaves_a_fixed_call_where_it_was(
        self, db: Database, events_url: str, slack: FakeSlack
    ) -> None:
        preview, _ = change_and_send(events_url, slack, "day 3 call 6:30pm")

        text = shown(preview)
        # Locations' 05:00 and Transport's 05:30 are clock calls: they stay, and are pointed out.
        assert (
            "Locations has a fixed call at 05:00, 13 h 30 min before the general crew call" in text
        )
        assert "Transport has a fixed call at 05:30, 13 h before" in text
        assert "The shooting call (08:00) is before the crew call (18:30)." in text
        assert "05:00 Thu" not in text
        assert "05:30 Thu" not in text
        answer = shown(calltime(events_url, "day 3", user="U0HF0042"))  # Rita Solis, Transport
        assert "*05:30* · Transport call" in answer
        assert "Thu" not in answer.split("\n")[1]

    def test_a_note_written_for_a_call_that_moves_is_pointed_out(
        self, db: Database, events_url: str
    ) -> None:
        """A department's note stays beside its call; when the call moves, the preview asks
        whether the note still holds (issue 23, item 4)."""
        moved = shown(command(events_url, "day 3 transport 05:00 <@U0HF0008> 05:15"))
        general = shown(command(events_url, "day 3 call 06:30"))

        assert (
            "Transport's note \u201cpickup 05:15 at hotel\u201d was written for the 05:30 call, "
            "which becomes 05:00: check it still holds." in moved
        )
        assert "note \u201clens tests before call\u201d was written for the 05:45 call" in moved
        assert "Locations's note" not in moved  # its call does not move
        assert "note" not in general  # clock calls with notes stay where they are

    def test_a_wrap_before_the_shooting_call_is_pointed_out_before_sending(
        self, db: Database, events_url: str
    ) -> None:
        wrong_way_round = shown(command(events_url, "day 3 shooting 10:00 wrap 9:00"))
        later_shooting = shown(command(events_url, "day 3 shooting 20:00"))
        night = shown(command(events_url, "day 3 call 18:00 shooting 19:00 wrap 6:00"))

        assert ":warning: The wrap (09:00) is before the shooting call (10:00)." in wrong_way_round
        assert ":warning: The wrap (19:00) is before the shooting call (20:00)." in later_shooting
        assert "The wrap" not in night  # 06:00 is the next morning
        assert "The day runs" not in night  # twelve hours
        assert "Estimated wrap: *06:00 Thu*" in night
        long_day = shown(command(events_url, "day 3 wrap 2:00"))
        assert (
            ":warning: The day runs 19 h from the crew call (07:00) to wrap (02:00 Thu), "
            "more than 14 h." in long_day
        )

    @pytest.mark.parametrize("text", ["day 3 call 25:00", "day 3 camera 24:30", "day 3 wrap 26:00"])
    def test_times_past_23_59_are_refused(self, db: Database, events_url: str, text: str) -> None:
        with db.readers.begin() as session:
            before = session.scalar(select(Notice.id))
        answer = shown(command(events_url, text))

        assert "is not a time: hours run from 00 to 23" in answer
        with db.readers.begin() as session:
            assert session.scalar(select(Notice.id)) == before


@pytest.mark.usefixtures("hollis")
class TestTheAuthor:
    def test_the_author_is_not_sent_their_own_change_nor_asked_to_acknowledge_it(
        self, db: Database, events_url: str, slack: FakeSlack, clock: FakeClock
    ) -> None:
        evening_call_sheet(db, slack, clock)
        change_and_send(events_url, slack, "day 3 call 06:30")
        settle(db, slack, clock.now)

        with db.readers.begin() as session:
            change = session.scalar(
                select(Notice.id).where(Notice.kind == NoticeKind.SCHEDULE_CHANGE)
            )
        assert COORDINATOR not in told(db, change)
        assert not about_the_change(slack, COORDINATOR)
        assert "acknowledged" not in shown(calltime(events_url, "day 3", user=COORDINATOR))
        nudges_at(db, slack, clock.now + dt.timedelta(minutes=31))
        assert not about_the_change(slack, COORDINATOR)
        posts = slack.posted(CHANNEL)
        assert "/44 acknowledged" in message_text(posts[-1])
