"""/calltime through the signed HTTP endpoint, on the Hollis Farm fixture production."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import select

from bot.console.slack import TEAM_ID
from bot.imports.run import import_file
from bot.notices.acknowledgements import acknowledge
from bot.notices.notices import Recipient, create_notice
from bot.notices.standing import day_subject
from bot.slack.app import create_app
from bot.storage.db import Database
from bot.storage.models import (
    CrewMember,
    NoticeKind,
    Production,
    ProductionChoice,
    TimeFormat,
)
from tests.conftest import FakeClock
from tests.hollis import (
    BOOM,
    CHANNEL,
    DOLLY_GRIP,
    FIRST_AC,
    FIXTURES,
    OPERATOR,
    SOUND_ASSISTANT,
    SOUND_MIXER,
    import_hollis,
    new_production,
)
from tests.slack_requests import send_signed, shown, slash_command
from tests.wsgi_server import serve

LONDON_BST = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def at(clock: FakeClock, iso: str) -> None:
    """Set the bot's clock to an ISO time (with its offset)."""
    clock.now = dt.datetime.fromisoformat(iso)


def calltime(events_url: str, text: str = "", *, user: str = FIRST_AC, channel: str = "D0DM00001"):  # type: ignore[no-untyped-def]
    reply = send_signed(
        events_url, slash_command("/calltime", text, user_id=user, channel_id=channel)
    )
    assert reply.status == 200
    return reply.json()


@pytest.mark.usefixtures("hollis")
class TestOwnCall:
    def test_next_call_from_a_department_offset(self, events_url: str, clock: FakeClock) -> None:
        at(clock, "2026-10-26T04:00:00+00:00")  # Mon 26 Oct, London is back on GMT

        text = shown(calltime(events_url))

        assert "Your call · Mon 26 Oct · Day 7" in text
        assert "*06:00* · Camera call, 60 min before the general call" in text
        assert "*General crew call:* 07:00" in text
        assert "*Shooting call:* 08:00" in text
        assert "*Estimated wrap:* 19:00" in text
        assert "*Hollis Farm*\nHollis Lane, Little Milton, OX44 7QB" in text
        assert "*Parking:* Unit base in the top field" in text
        assert "*Nearest hospital:* John Radcliffe Hospital" in text

    def test_sunrise_and_sunset_are_shown_for_the_location(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T04:00:00+00:00")

        text = shown(calltime(events_url))

        sun = text.split("*Sunrise · sunset:* ")[1].split("\n")[0]
        sunrise, sunset = sun.split(" · ")
        # Oxfordshire in late October: sunrise about 06:55 GMT, sunset about 16:40 GMT.
        assert "06:45" <= sunrise <= "07:05"
        assert "16:30" <= sunset <= "16:50"

    def test_a_personal_override_wins_over_the_department(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-20T12:00:00+01:00")

        text = shown(calltime(events_url, "21 oct", user=OPERATOR))

        assert "*05:45* · personal call" in text
        assert "_lens tests before call_" in text

    def test_no_department_call_means_the_general_call(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-20T12:00:00+01:00")

        text = shown(calltime(events_url, "tomorrow", user=SOUND_MIXER))

        assert "*07:00* · general crew call" in text
        assert "Wed 21 Oct · Day 3" in text

    def test_not_called_names_the_next_call(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-22T21:00:00+01:00")  # Thu evening

        text = shown(calltime(events_url, "fri", user=BOOM))

        assert "You're not called on Fri 23 Oct · Day 5." in text
        # He is off on day 6 as well (second unit on days 5-6).
        assert "Next call: *07:00* on Mon 26 Oct · Day 7 at Hollis Farm." in text

    def test_no_shoot_names_the_next_shoot_day(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-30T20:00:00+00:00")  # Fri 30 Oct

        text = shown(calltime(events_url, "sat"))

        assert "There is no shoot on Sat 31 Oct." in text
        assert "Next shoot day: Mon 2 Nov · Day 12, general crew call 18:00." in text

    def test_nothing_ahead_after_the_last_day(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-11-20T12:00:00+00:00")

        assert "You have no calls ahead" in shown(calltime(events_url))

    def test_today_stays_today_until_its_wrap(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T06:10:00+00:00")  # Camera was called at 06:00 today
        shooting = shown(calltime(events_url))
        at(clock, "2026-10-26T18:59:00+00:00")  # wrap is 19:00
        before_wrap = shown(calltime(events_url))
        at(clock, "2026-10-26T19:01:00+00:00")
        after_wrap = shown(calltime(events_url))

        assert "Mon 26 Oct · Day 7" in shooting
        assert "Mon 26 Oct · Day 7" in before_wrap
        assert "Tue 27 Oct · Day 8" in after_wrap


@pytest.mark.usefixtures("hollis")
class TestNightShoots:
    def test_a_call_written_past_midnight_is_the_next_morning(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-11-02T12:00:00+00:00")

        text = shown(calltime(events_url, "day 12", user=SOUND_ASSISTANT))

        assert "*01:30 Tue* · personal call" in text
        assert "_late start: playback for the barn scene_" in text
        assert "*General crew call:* 18:00" in text
        assert "*Estimated wrap:* 06:00 Tue" in text

    def test_night_shoot_across_the_clock_change(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-24T08:00:00+01:00")  # Saturday morning, still BST

        text = shown(calltime(events_url, user=SOUND_MIXER))

        assert "Your call · Sat 24 Oct · Day 6" in text
        assert "*18:00* · general crew call" in text
        assert "*Estimated wrap:* 06:00 Sun" in text

    def test_next_call_after_midnight_is_still_ahead(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-11-03T00:30:00+00:00")  # half past midnight on the night of day 12

        text = shown(calltime(events_url, user=SOUND_ASSISTANT))

        assert "Mon 2 Nov · Day 12" in text
        assert "*01:30 Tue*" in text


@pytest.mark.usefixtures("hollis")
class TestOthers:
    def test_someone_elses_call_by_mention(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-27T12:00:00+00:00")

        text = shown(calltime(events_url, f"day 9 <@{DOLLY_GRIP}|kit.summers>"))

        assert "Kit Summers's call · Wed 28 Oct · Day 9" in text
        assert "*07:30* · personal call, 30 min after the general call" in text
        assert "Phone:" not in text  # crew do not see phone numbers

    def test_heads_see_the_phone_number(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-27T12:00:00+00:00")

        text = shown(calltime(events_url, f"<@{DOLLY_GRIP}> day 9", user=SOUND_MIXER))

        assert "Phone: +44 7700 900015" in text

    def test_a_departments_call_and_how_many_are_called(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-20T12:00:00+01:00")

        text = shown(calltime(events_url, "day 3 camera"))

        assert "Camera · Wed 21 Oct · Day 3" in text
        assert "*06:00* · Camera call, 60 min before the general call" in text
        assert "6 people called" in text

    def test_a_department_that_is_off(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-11-01T12:00:00+00:00")

        text = shown(calltime(events_url, "art day 14"))

        assert "Art is not called" in text
        assert "0 people called" in text

    def test_multi_word_department_in_either_order(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-20T12:00:00+01:00")

        text = shown(calltime(events_url, "hair & make-up tomorrow"))

        assert "*05:30* · Hair &amp; Make-up call, 90 min before the general call" in text


@pytest.mark.usefixtures("hollis")
class TestScheduleChanges:
    def test_moving_the_general_call_moves_offset_calls_only(
        self, events_url, clock, hollis
    ) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-25T12:00:00+00:00")
        moved = (
            (FIXTURES / "schedule.csv")
            .read_text()
            .replace("2026-10-26,7,07:00,08:00", "2026-10-26,7,08:00,09:00")
        )
        with hollis.transaction() as session:
            production = session.scalar(select(Production))
            import_file(session, production=production, kind="schedule", data=moved.encode())

        camera = shown(calltime(events_url, "mon", user=FIRST_AC))
        grip = shown(calltime(events_url, "mon", user=DOLLY_GRIP))
        transport = shown(calltime(events_url, "mon transport"))

        assert "*07:00* · Camera call" in camera
        assert "*07:15* · Grip call, 45 min before the general call" in grip
        assert "*05:30* · Transport call" in transport  # a clock call does not move


@pytest.mark.usefixtures("hollis")
class TestReaders:
    def test_the_readers_own_time_zone_is_learned_after_answering(
        self, events_url, clock, slack
    ) -> None:  # type: ignore[no-untyped-def]
        slack.add_user(FIRST_AC, email="ada.moreau@hollisfarm.example", tz="America/New_York")
        at(clock, "2026-10-26T04:00:00+00:00")

        first = shown(calltime(events_url))
        slack.wait_for_call("users.info", count=1)
        later = _answered_once(events_url, lambda text: "your time" in text)

        assert "your time" not in first  # answered in the production's zone, not waiting
        # New York is still on daylight time (UTC-4) on 26 Oct; London is on GMT.
        assert "02:00 your time (America/New_York)" in later

    def test_no_answer_waits_for_a_slow_users_info(self, events_url, clock, slack) -> None:  # type: ignore[no-untyped-def]
        slack.add_user(FIRST_AC, tz="America/New_York")
        slack.faults.latency = 2.5
        at(clock, "2026-10-26T04:00:00+00:00")

        started = time.monotonic()
        text = shown(calltime(events_url))
        took = time.monotonic() - started

        assert "*06:00* · Camera call" in text
        assert took < 1.0

    def test_the_slack_time_zone_is_asked_once_a_day(self, events_url, clock, slack) -> None:  # type: ignore[no-untyped-def]
        slack.add_user(FIRST_AC, tz="Europe/London")
        at(clock, "2026-10-26T04:00:00+00:00")
        calltime(events_url)
        slack.wait_for_call("users.info", count=1)
        calltime(events_url, "tomorrow")
        at(clock, "2026-10-27T05:00:00+00:00")
        calltime(events_url)
        slack.wait_for_call("users.info", count=2)

        assert len(slack.calls_to("users.info")) == 2

    def test_a_failing_users_info_is_retried_after_an_hour(self, events_url, clock, slack) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T04:00:00+00:00")
        slack.fail_next(500, 500, 500)  # users.info and its retries
        calltime(events_url)
        slack.wait_for_call("users.info", count=3)
        calltime(events_url, "tomorrow")
        at(clock, "2026-10-26T05:01:00+00:00")
        calltime(events_url)
        slack.wait_for_call("users.info", count=4)

        assert len(slack.calls_to("users.info")) == 3 + 1

    def test_twelve_hour_productions(self, events_url, clock, hollis) -> None:  # type: ignore[no-untyped-def]
        with hollis.transaction() as session:
            session.scalar(select(Production)).time_format = TimeFormat.H12
        at(clock, "2026-11-02T12:00:00+00:00")

        text = shown(calltime(events_url, "day 12", user=SOUND_ASSISTANT))

        assert "*1:30am Tue* · personal call" in text
        assert "*General crew call:* 6:00pm" in text

    def test_crew_imported_by_email_are_linked_on_first_use(
        self, events_url, clock, slack, hollis
    ) -> None:  # type: ignore[no-untyped-def]
        slack.add_user("U0RAVI0001", email="ravi.menon@hollisfarm.example")
        at(clock, "2026-10-26T04:00:00+00:00")

        text = shown(calltime(events_url, user="U0RAVI0001"))

        assert "*06:00* · Camera call" in text
        with hollis.transaction() as session:
            ravi = session.scalar(select(CrewMember).where(CrewMember.name == "Ravi Menon"))
            assert ravi.slack_user_id == "U0RAVI0001"

    def test_in_the_crew_channel(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T04:00:00+00:00")

        assert "*06:00*" in shown(calltime(events_url, channel=CHANNEL))


@pytest.mark.usefixtures("hollis")
class TestBadInput:
    @pytest.mark.parametrize(
        ("text", "said"),
        [
            ("someday", "I don't understand `someday`"),
            ("tomorrow catering", "Departments: Art, Camera, Costume"),
            ("31/02", "`31/02` is not a date: February has no 31st."),
            ("day 99", "There is no day 99: the schedule runs to day 22."),
            (
                "<@U0NOBODY01|nobody> tomorrow",
                "<@U0NOBODY01> is not on the crew list of Hollis Farm.",
            ),
            ("<@U0HF0015|kit> camera", "one person or one department"),
        ],
    )
    def test_bad_input_says_what_was_not_understood(self, events_url, clock, text, said) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T04:00:00+00:00")

        answer = calltime(events_url, text)

        assert said in answer["text"]

    def test_someone_on_no_crew_list(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        answer = calltime(events_url, "tomorrow", user="U0STRANGER")

        assert "not on any production's crew list" in answer["text"]

    def test_help(self, events_url) -> None:  # type: ignore[no-untyped-def]
        text = shown(calltime(events_url, "help"))

        assert "/calltime fri @someone" in text
        assert "/calltime day 12 camera" in text


@pytest.mark.usefixtures("hollis")
class TestSeveralProductions:
    @pytest.fixture
    def second(self, hollis: Database) -> None:
        with hollis.transaction() as session:
            other = new_production(
                session,
                name="Another Show",
                slug="another",
                channel="C0ANOTHER1",
                coordinator="U0OTHER001",
            )
            data = f"name,slack_id,department\nAda Moreau,{FIRST_AC},Camera\n".encode()
            import_file(session, production=other, kind="crew", data=data)

    def crewcall(self, events_url: str, text: str) -> dict:
        reply = send_signed(events_url, slash_command("/crewcall", text, user_id=FIRST_AC))
        return reply.json()

    @pytest.mark.usefixtures("second")
    def test_someone_on_two_productions_is_asked_to_choose(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T04:00:00+00:00")

        first = calltime(events_url)
        chosen = self.crewcall(events_url, "use hollis")
        then = calltime(events_url)

        assert "You're on several productions (`another`, `hollis`)" in first["text"]
        assert "Your commands now refer to *Hollis Farm* (`hollis`)." in chosen["text"]
        assert "*06:00* · Camera call" in shown(then)

    @pytest.mark.usefixtures("second")
    def test_the_crew_channel_decides_without_a_choice(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T04:00:00+00:00")

        assert "*06:00*" in shown(calltime(events_url, channel=CHANNEL))

    def test_use_with_a_bad_slug_or_none(self, events_url, hollis) -> None:  # type: ignore[no-untyped-def]
        unknown = self.crewcall(events_url, "use nope")
        missing = self.crewcall(events_url, "use")

        # Not "there is no such production": to someone not on one, it looks the same.
        assert unknown["text"] == "`nope` isn't one of your productions. Yours: `hollis`."
        assert "`/crewcall use <slug>`" in missing["text"]
        with hollis.transaction() as session:
            assert session.scalar(select(ProductionChoice)) is None


@pytest.mark.usefixtures("hollis")
def test_a_departments_next_call_after_midnight_on_a_night_shoot(events_url, clock, hollis) -> None:  # type: ignore[no-untyped-def]
    with hollis.transaction() as session:
        production = session.scalar(select(Production))
        data = b"date,who,call\n2026-11-02,Art,01:00\n"  # day 12 is a night shoot
        import_file(session, production=production, kind="calls", data=data)
    at(clock, "2026-11-03T00:30:00+00:00")  # half past midnight, that night

    text = shown(calltime(events_url, "art"))

    assert "Art · Mon 2 Nov · Day 12" in text
    assert "*01:00 Tue* · Art call" in text


@pytest.mark.usefixtures("hollis")
class TestCallSheetAcknowledgement:
    def send_callsheet(self, db: Database, date: dt.date, *, at_: dt.datetime) -> int:
        with db.transaction() as session:
            production = session.scalar(select(Production))
            members = session.scalars(
                select(CrewMember).where(CrewMember.slack_user_id.is_not(None))
            )
            notice = create_notice(
                session,
                production=production,
                kind=NoticeKind.CALLSHEET,
                subject=day_subject(date),
                title=f"Call sheet {date}",
                recipients=[Recipient.of(member) for member in members],
                now=at_,
            )
            return notice.id

    def test_calltime_says_whether_you_acknowledged_that_days_call_sheet(
        self, db: Database, events_url: str, clock: FakeClock
    ) -> None:
        at(clock, "2026-10-25T18:00:00+00:00")  # Sun 25 Oct, the evening before day 7
        before = shown(calltime(events_url))
        notice_id = self.send_callsheet(db, dt.date(2026, 10, 26), at_=clock.now)

        unacknowledged = shown(calltime(events_url))
        with db.transaction() as session:
            acknowledge(
                session,
                notice_id=notice_id,
                team_id=TEAM_ID,
                user_id=FIRST_AC,
                now=dt.datetime(2026, 10, 25, 18, 5, tzinfo=dt.UTC),
            )
        acknowledged = shown(calltime(events_url))
        another_day = shown(calltime(events_url, "day 8"))

        assert "call sheet" not in before.lower()
        assert f"haven't acknowledged this day's call sheet (notice {notice_id})" in unacknowledged
        assert "Call sheet acknowledged 18:05 Sun 25 Oct" in acknowledged
        assert "call sheet" not in another_day.lower()

    def test_a_superseded_call_sheet_does_not_count(
        self, db: Database, events_url: str, clock: FakeClock
    ) -> None:
        at(clock, "2026-10-25T18:00:00+00:00")
        first = self.send_callsheet(db, dt.date(2026, 10, 26), at_=clock.now)
        with db.transaction() as session:
            acknowledge(session, notice_id=first, team_id=TEAM_ID, user_id=FIRST_AC, now=clock.now)
        second = self.send_callsheet(db, dt.date(2026, 10, 26), at_=clock.now)

        text = shown(calltime(events_url))

        assert f"(notice {second}) yet" in text


def test_another_processs_change_shows_in_the_very_next_answer(
    settings, hollis: Database, clock: FakeClock
) -> None:
    at(clock, "2026-10-25T12:00:00+00:00")
    moved = (
        (FIXTURES / "schedule.csv")
        .read_text()
        .replace("2026-10-26,7,07:00,08:00", "2026-10-26,7,08:00,09:00")
    )
    elsewhere = Database(hollis.url, pool_size=1)  # another process's writes
    with serve(create_app(settings, db=hollis, clock=clock)) as base:
        url = f"{base}/slack/events"
        before = shown(calltime(url, "mon"))
        with elsewhere.transaction() as session:
            production = session.scalar(select(Production))
            import_file(session, production=production, kind="schedule", data=moved.encode())
        after = shown(calltime(url, "mon"))
    elsewhere.dispose()

    assert "*06:00* · Camera call" in before
    assert "*07:00* · Camera call" in after


def _answered_once(url: str, done, *, timeout: float = 5.0) -> str:  # type: ignore[no-untyped-def]
    """Ask /calltime until `done(answer)`: what was learned after an answer shows in a later one."""
    deadline = time.monotonic() + timeout
    while not done(text := shown(calltime(url))):
        assert time.monotonic() < deadline, text
        time.sleep(0.02)
    return text
