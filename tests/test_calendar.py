"""Calendar feeds: `/crewcall calendar`, `GET /calendar/<secret>.ics`, read back by vobject.

vobject is an iCalendar parser independent of icalendar (which writes the feeds). It
builds each zone from the feed's own VTIMEZONE, so the times it reads back check the
VTIMEZONE as well as the events.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import threading
import urllib.request
import zoneinfo
from email.utils import format_datetime

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import func, select

from bot.calendars.calendar_events import FeedOf, feed_events
from bot.calendars.feed_rows import Gone, feed_for, kept_events, record
from bot.calendars.ics_writer import vtimezone, write_event
from bot.config import Settings
from bot.console.slack import FakeSlack
from bot.core.productions import NOT_ON_A_CREW
from bot.core.schedule import load_schedule
from bot.storage.db import Database
from bot.storage.models import (
    CalendarEvent,
    CalendarFeed,
    Call,
    CallKind,
    CrewMember,
    DayStatus,
    Production,
    ShootDay,
)
from tests.crew import dm_of
from tests.hollis import (
    CHANNEL,
    COORDINATOR,
    DRIVER,
    FIRST_AC,
    OPERATOR,
    SOUND_ASSISTANT,
    import_hollis,
)
from tests.slack_requests import Reply, get, send_signed, shown, slash_command

PUBLIC = "https://crew.example.com"
UTC = dt.UTC
LINK = re.compile(r"https://crew\.example\.com/calendar/([A-Za-z0-9_-]+)\.ics")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_url": PUBLIC})


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def calendar(
    events_url: str, text: str = "", *, user: str = OPERATOR, response_url: str | None = None
) -> str:
    """`/crewcall calendar <text>` typed in the crew channel; the ephemeral answer's text."""
    extra = {"response_url": response_url} if response_url else {}
    reply = send_signed(
        events_url,
        slash_command(
            "/crewcall", f"calendar {text}".strip(), user_id=user, channel_id=CHANNEL, **extra
        ),
    )
    assert reply.status == 200
    return shown(reply.json())


def secret_sent(slack: FakeSlack, user: str, *, count: int = 1) -> str:
    """The secret in the newest calendar DM to `user`, once `count` calendar files arrived."""
    slack.uploaded(count=count)
    [*_, message] = [m for m in slack.posted(dm_of(user)) if "calendar/" in json.dumps(m)]
    return LINK.search(json.dumps(message["blocks"]))[1]  # type: ignore[index]


def fetch(bot: str, secret: str, **headers: str) -> Reply:
    return get(f"{bot}/calendar/{secret}.ics", headers=headers)


def parsed(reply: Reply):  # type: ignore[no-untyped-def]
    assert reply.status == 200, reply.body
    assert reply.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return vobject.readOne(reply.body.decode())


def events_by_date(calendar_component) -> dict[dt.date, object]:  # type: ignore[no-untyped-def]
    return {
        event.uid.value.rsplit("-", 1)[1][:8]: event for event in calendar_component.vevent_list
    }


def utc(event, name: str = "dtstart") -> dt.datetime:  # type: ignore[no-untyped-def]
    return getattr(event, name).value.astimezone(UTC)


@pytest.mark.usefixtures("hollis")
class TestPersonalFeed:
    def test_the_command_sends_links_and_the_file_to_the_dm(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        answer = calendar(events_url)

        assert answer == "I'm sending the link and the .ics file to our DM."
        [upload] = slack.uploaded()
        assert upload["channel"] == dm_of(OPERATOR)
        assert upload["name"] == "hollis-jonah-pike.ics"
        [message] = slack.posted(dm_of(OPERATOR))
        text = json.dumps(message["blocks"])
        secret = LINK.search(text)[1]  # type: ignore[index]
        assert f"webcal://crew.example.com/calendar/{secret}.ics" in text
        assert len(secret) >= 32
        assert fetch(bot, secret).body == upload["content"]

    def test_one_event_per_called_day_with_times_in_the_right_zone_across_dst(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url)
        feed = parsed(fetch(bot, secret_sent(slack, OPERATOR)))

        events = events_by_date(feed)
        assert len(events) == 22  # Jonah is called every shoot day
        assert feed.contents["x-wr-calname"][0].value == "Hollis Farm · Jonah Pike"
        # Day 3, Wed 21 Oct: his personal 05:45 in summer time; wrap 19:00 BST.
        assert utc(events["20261021"]) == dt.datetime(2026, 10, 21, 4, 45, tzinfo=UTC)
        assert utc(events["20261021"], "dtend") == dt.datetime(2026, 10, 21, 18, 0, tzinfo=UTC)
        # Day 8, Tue 27 Oct: the same 05:45, now in GMT.
        assert utc(events["20261027"]) == dt.datetime(2026, 10, 27, 5, 45, tzinfo=UTC)
        # Day 6, the night the clocks go back: camera's 17:00 call in BST, wrap 06:00 GMT.
        assert utc(events["20261024"]) == dt.datetime(2026, 10, 24, 16, 0, tzinfo=UTC)
        assert utc(events["20261024"], "dtend") == dt.datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
        description = events["20261021"].description.value
        assert "Your call: 05:45 (personal call) — lens tests before call" in description
        assert "General crew call: 07:00" in description
        assert "Shooting call: 08:00" in description
        assert "Scenes: 19, 20, 21A, 22, 23, 24 (6 2/8 pages)" in description
        assert events["20261021"].location.value.startswith("Hollis Farm, Hollis Lane")
        assert events["20261021"].status.value == "CONFIRMED"

    def test_the_feeds_own_vtimezone_has_both_offsets(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url)
        feed = parsed(fetch(bot, secret_sent(slack, OPERATOR)))

        zone = feed.vtimezone.gettzinfo()
        summer, winter = (dt.datetime(2026, 10, d, 12, 0, tzinfo=zone) for d in (21, 27))
        assert summer.utcoffset() == dt.timedelta(hours=1)
        assert winter.utcoffset() == dt.timedelta(0)
        assert feed.vtimezone.tzid.value == "Europe/London"

    def test_the_feeds_vtimezone_agrees_with_iana_instant_by_instant(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url)
        feed = parsed(fetch(bot, secret_sent(slack, OPERATOR)))

        # The fixture's days run 19 Oct to 16 Nov: the zone is written for 18 Oct - 17 Nov,
        # across the night the clocks go back (25 Oct, 01:00 UTC).
        assert_agrees(feed.vtimezone, "Europe/London", dt.date(2026, 10, 18), dt.date(2026, 11, 17))

    def test_night_calls_after_midnight_fall_on_the_next_date(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url, user=SOUND_ASSISTANT)
        events = events_by_date(parsed(fetch(bot, secret_sent(slack, SOUND_ASSISTANT))))

        night = events["20261102"]  # day 12: her call is 01:30 the next morning
        assert utc(night) == dt.datetime(2026, 11, 3, 1, 30, tzinfo=UTC)
        assert utc(night, "dtend") > utc(night)
        assert "Your call: 01:30 Tue (personal call)" in night.description.value

    def test_notes_of_a_personal_call_are_in_the_description(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url, user=DRIVER)
        events = events_by_date(parsed(fetch(bot, secret_sent(slack, DRIVER))))

        assert any("pickup" in event.description.value.lower() for event in events.values())

    def test_the_same_feed_twice_is_the_same_bytes_and_uids(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)

        first, second = fetch(bot, secret), fetch(bot, secret)

        assert first.body == second.body
        assert first.headers["ETag"] == second.headers["ETag"]
        uids = [e.uid.value for e in parsed(first).vevent_list]
        assert len(set(uids)) == 22
        assert all(uid.startswith("crewcall-p") and uid.endswith("@crewcall") for uid in uids)

    def test_icalendar_reads_it_too(self, bot: str, events_url: str, slack: FakeSlack) -> None:
        calendar(events_url)
        body = fetch(bot, secret_sent(slack, OPERATOR)).body

        read = Calendar.from_ical(body)

        assert len(read.events) == 22
        assert str(read["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H"
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body
        assert [tz.tz_name for tz in read.timezones] == ["Europe/London"]


@pytest.mark.usefixtures("hollis")
class TestChanges:
    def sequences(self, bot: str, secret: str) -> dict[str, tuple[int, str]]:
        events = events_by_date(parsed(fetch(bot, secret)))
        return {
            date: (int(event.sequence.value), event.status.value) for date, event in events.items()
        }

    def test_sequence_rises_for_the_changed_day_only(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)
        before = self.sequences(bot, secret)
        etag = fetch(bot, secret).headers["ETag"]

        move_general_call(db, dt.date(2026, 10, 22), minutes=7 * 60 + 30)
        after = self.sequences(bot, secret)

        assert before["20261022"] == (0, "CONFIRMED")
        assert after["20261022"] == (1, "CONFIRMED")
        assert {d: s for d, s in after.items() if d != "20261022"} == {
            d: s for d, s in before.items() if d != "20261022"
        }
        changed = fetch(bot, secret)
        assert changed.headers["ETag"] != etag
        event = events_by_date(parsed(changed))["20261022"]
        # Camera is called 60 minutes before the general call: now 06:30 BST.
        assert utc(event) == dt.datetime(2026, 10, 22, 5, 30, tzinfo=UTC)

        move_general_call(db, dt.date(2026, 10, 22), minutes=8 * 60)
        assert self.sequences(bot, secret)["20261022"] == (2, "CONFIRMED")

    def test_a_change_that_does_not_touch_the_event_leaves_its_sequence(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)
        before = self.sequences(bot, secret)

        # Camera (his department) is not Sound: Sound's new call is not on his calendar.
        set_department_call(db, dt.date(2026, 10, 22), "Sound", minutes=6 * 60)

        assert self.sequences(bot, secret) == before

    def test_a_cancelled_day_is_cancelled_with_a_new_sequence(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)

        set_status(db, dt.date(2026, 10, 23), DayStatus.CANCELLED)
        event = events_by_date(parsed(fetch(bot, secret)))["20261023"]

        assert event.status.value == "CANCELLED"
        assert int(event.sequence.value) == 1
        assert event.summary.value.startswith("Cancelled: Hollis Farm · Day 5")

    def test_a_day_no_longer_called_stays_as_cancelled(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)
        start = utc(events_by_date(parsed(fetch(bot, secret)))["20261023"])

        set_personal_call(db, dt.date(2026, 10, 23), OPERATOR, CallKind.OFF)
        event = events_by_date(parsed(fetch(bot, secret)))["20261023"]

        assert event.status.value == "CANCELLED"
        assert int(event.sequence.value) == 1
        assert utc(event) == start
        assert event.description.value == "You are no longer called on this day."

        set_personal_call(db, dt.date(2026, 10, 23), OPERATOR, CallKind.OFFSET, minutes=-30)
        event = events_by_date(parsed(fetch(bot, secret)))["20261023"]
        assert (event.status.value, int(event.sequence.value)) == ("CONFIRMED", 2)

    def test_many_readers_at_once_raise_a_sequence_once(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)
        fetch(bot, secret)
        move_general_call(db, dt.date(2026, 10, 22), minutes=7 * 60 + 30)

        bodies: list[bytes] = []
        readers = [
            threading.Thread(target=lambda: bodies.append(fetch(bot, secret).body))
            for _ in range(6)
        ]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()

        assert len(set(bodies)) == 1
        assert self.sequences(bot, secret)["20261022"] == (1, "CONFIRMED")


@pytest.mark.usefixtures("hollis")
class TestHttp:
    def test_if_none_match_gets_304_without_a_body(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)
        first = fetch(bot, secret)

        again = fetch(bot, secret, **{"If-None-Match": first.headers["ETag"]})
        other = fetch(bot, secret, **{"If-None-Match": '"something-else"'})

        assert (again.status, again.body) == (304, b"")
        assert again.headers["ETag"] == first.headers["ETag"]
        assert other.status == 200

    def test_if_modified_since(self, bot: str, events_url: str, slack: FakeSlack) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)
        first = fetch(bot, secret)
        modified = first.headers["Last-Modified"]
        earlier = format_datetime(dt.datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)

        assert fetch(bot, secret, **{"If-Modified-Since": modified}).status == 304
        assert fetch(bot, secret, **{"If-Modified-Since": earlier}).status == 200
        assert fetch(bot, secret, **{"If-Modified-Since": "not a date"}).status == 200

    def test_head_has_the_headers_and_no_body(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url)
        secret = secret_sent(slack, OPERATOR)
        full = fetch(bot, secret)

        request = urllib.request.Request(f"{bot}/calendar/{secret}.ics", method="HEAD")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            assert answer.status == 200
            assert answer.read() == b""
            assert answer.headers["Content-Length"] == str(len(full.body))
            assert answer.headers["ETag"] == full.headers["ETag"]

    @pytest.mark.parametrize(
        "secret",
        [
            "A" * 32,
            "short",
            "../../etc/passwd",
            "%00" * 12,
            "a" * 65,
        ],
    )
    def test_unknown_secrets_are_a_plain_404(self, bot: str, secret: str) -> None:
        unknown = fetch(bot, secret)
        nowhere = get(f"{bot}/no/such/path")

        assert unknown.status == 404
        assert unknown.body == nowhere.body


@pytest.mark.usefixtures("hollis")
class TestSecrets:
    def test_reset_replaces_the_link_and_keeps_the_events(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url)
        old = secret_sent(slack, OPERATOR)
        move_general_call(db, dt.date(2026, 10, 22), minutes=7 * 60 + 30)
        before = fetch(bot, old).body

        answer = calendar(events_url, "reset")
        new = secret_sent(slack, OPERATOR, count=2)

        assert "The old link has stopped working" in answer
        assert new != old
        assert fetch(bot, old).status == 404
        assert fetch(bot, new).body == before  # same UIDs, same sequences

    def test_asking_again_sends_the_same_link(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url)
        first = secret_sent(slack, OPERATOR)
        calendar(events_url)

        assert secret_sent(slack, OPERATOR, count=2) == first
        with db.readers() as session:
            assert session.scalar(select(func.count()).select_from(CalendarFeed)) == 1

    def test_each_person_has_their_own_secret(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url)
        calendar(events_url, user=FIRST_AC)
        slack.uploaded(count=2)

        mine, theirs = secret_sent(slack, OPERATOR, count=2), secret_sent(slack, FIRST_AC, count=2)

        assert mine != theirs
        assert "Ada Moreau" in fetch(bot, theirs).body.decode()


@pytest.mark.usefixtures("hollis")
class TestProductionFeed:
    def test_every_shoot_day_from_general_call_to_wrap(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        set_status(db, dt.date(2026, 11, 16), DayStatus.CANCELLED)

        calendar(events_url, "production", user=FIRST_AC)
        feed = parsed(fetch(bot, secret_sent(slack, FIRST_AC)))

        events = events_by_date(feed)
        assert len(events) == 22
        assert feed.contents["x-wr-calname"][0].value == "Hollis Farm · shoot days"
        day_one = events["20261019"]
        assert utc(day_one) == dt.datetime(2026, 10, 19, 6, 0, tzinfo=UTC)
        assert utc(day_one, "dtend") == dt.datetime(2026, 10, 19, 18, 0, tzinfo=UTC)
        assert "Department calls: Camera 06:00" in day_one.description.value
        assert events["20261116"].status.value == "CANCELLED"

    def test_crew_cannot_reset_the_production_link(
        self, bot: str, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calendar(events_url, "production", user=FIRST_AC)
        secret = secret_sent(slack, FIRST_AC)

        answer = calendar(events_url, "reset production", user=FIRST_AC)

        assert "Only the production's coordinators" in answer
        assert fetch(bot, secret).status == 200

    def test_a_coordinator_resets_it_for_everyone(
        self, bot: str, events_url: str, slack: FakeSlack
    ) -> None:
        calendar(events_url, "production", user=FIRST_AC)
        old = secret_sent(slack, FIRST_AC)

        calendar(events_url, "production reset", user=COORDINATOR)
        new = secret_sent(slack, COORDINATOR, count=2)

        assert fetch(bot, old).status == 404
        assert fetch(bot, new).status == 200


@pytest.mark.usefixtures("hollis")
class TestBadInput:
    @pytest.mark.parametrize("text", ["tomorrow", "reset reset", "production please", "ics"])
    def test_unknown_words_change_nothing(
        self, events_url: str, slack: FakeSlack, db: Database, text: str
    ) -> None:
        answer = calendar(events_url, text)

        assert answer.startswith(f"I don't know `/crewcall calendar {text}`")
        assert "`/crewcall calendar reset`" in answer
        assert_no_feeds(db)
        assert slack.files == {}

    def test_someone_not_on_the_crew_is_told_so(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        answer = calendar(events_url, user="U0STRANGER")

        # Someone on no crew is not told which productions exist (issue 22).
        assert answer == NOT_ON_A_CREW
        assert_no_feeds(db)

    def test_when_slack_refuses_the_dm_the_person_is_told(
        self, events_url: str, slack: FakeSlack
    ) -> None:
        # users.info (the asker's zone; its failure is harmless), then conversations.open:
        # each tried three times.
        slack.fail_next(*[500] * 6)

        calendar(events_url, response_url=slack.response_url("calendar"))

        [said] = slack.responses_to("calendar")
        assert "couldn't send your calendar" in said["text"]


@pytest.mark.usefixtures("hollis")
class TestWithoutPublicUrl:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"public_url": None})

    def test_the_file_comes_without_a_link(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        answer = calendar(events_url)

        assert answer == "I'm sending the .ics file to our DM."
        [upload] = slack.uploaded()
        [message] = slack.posted(dm_of(OPERATOR))
        assert "no public web address" in message["text"]
        assert "webcal://" not in json.dumps(message)
        assert len(vobject.readOne(upload["content"].decode()).vevent_list) == 22


# -- changes made as another process would make them: through the database


def _day(session, date: dt.date) -> ShootDay:  # type: ignore[no-untyped-def]
    return session.scalar(select(ShootDay).where(ShootDay.date == date))


def move_general_call(db: Database, date: dt.date, *, minutes: int) -> None:
    with db.transaction() as session:
        day = _day(session, date)
        day.general_call = minutes
        day.revision += 1


def set_status(db: Database, date: dt.date, status: DayStatus) -> None:
    with db.transaction() as session:
        day = _day(session, date)
        day.status = status
        day.revision += 1


def set_department_call(db: Database, date: dt.date, department: str, *, minutes: int) -> None:
    from bot.storage.models import Department

    with db.transaction() as session:
        day = _day(session, date)
        department_id = session.scalar(select(Department.id).where(Department.name == department))
        call = session.scalar(
            select(Call).where(Call.shoot_day_id == day.id, Call.department_id == department_id)
        )
        if call is None:
            call = Call(shoot_day_id=day.id, department_id=department_id, kind=CallKind.CLOCK)
            session.add(call)
        call.kind, call.minutes = CallKind.CLOCK, minutes


def set_personal_call(
    db: Database, date: dt.date, user: str, kind: CallKind, *, minutes: int = 0
) -> None:
    with db.transaction() as session:
        day = _day(session, date)
        member_id = session.scalar(select(CrewMember.id).where(CrewMember.slack_user_id == user))
        call = session.scalar(
            select(Call).where(Call.shoot_day_id == day.id, Call.crew_member_id == member_id)
        )
        if call is None:
            call = Call(shoot_day_id=day.id, crew_member_id=member_id, kind=kind)
            session.add(call)
        call.kind, call.minutes = kind, minutes


def assert_no_feeds(db: Database) -> None:
    with db.readers() as session:
        assert session.scalar(select(func.count()).select_from(CalendarFeed)) == 0
        assert session.scalar(select(func.count()).select_from(CalendarEvent)) == 0


@pytest.mark.usefixtures("hollis")
def test_two_writers_of_the_same_change_raise_its_sequence_once(db: Database) -> None:
    """As two processes would: both read the feed before either writes the change."""
    now = dt.datetime(2026, 10, 18, 12, 0, tzinfo=UTC)
    with db.transaction() as session:
        production_id = session.scalar(select(Production.id).where(Production.slug == "hollis"))
        schedule = load_schedule(session, production_id=production_id)
        member = schedule.crew_by_user[OPERATOR]
        feed = feed_for(session, production_id=schedule.production.id, member_id=member.id, now=now)
    gone = Gone("Europe/London", "gone")
    write = functools.partial(write_event, "test")
    first = feed_events(FeedOf(schedule, member))
    with db.transaction() as session:
        record(session, feed_id=feed.id, kept={}, events=first, gone=gone, write=write, now=now)
    move_general_call(db, dt.date(2026, 10, 22), minutes=7 * 60 + 30)
    with db.readers() as session:
        schedule = load_schedule(session, production_id=schedule.production.id)
        stale = kept_events(session, feed_id=feed.id)
    events = feed_events(FeedOf(schedule, member))
    later = now + dt.timedelta(minutes=1)

    outcomes = []
    for moment in (later, later + dt.timedelta(minutes=1)):
        with db.transaction() as session:
            outcomes.append(
                record(
                    session,
                    feed_id=feed.id,
                    kept=stale,
                    events=events,
                    gone=gone,
                    write=write,
                    now=moment,
                )
            )

    assert outcomes[0] == outcomes[1]
    with db.readers() as session:
        query = select(CalendarEvent.day, CalendarEvent.sequence).where(
            CalendarEvent.feed_id == feed.id
        )
        sequences = {row.day: row.sequence for row in session.execute(query)}
    assert sequences[dt.date(2026, 10, 22)] == 1
    assert sum(sequences.values()) == 1


@pytest.mark.parametrize(
    "name",
    [
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",  # half an hour of summer time
        "America/Santiago",  # the southern summer
        "Africa/Casablanca",  # clocks back for Ramadan, and forward after
        "Asia/Kolkata",  # no change at all
    ],
)
def test_vtimezones_agree_with_iana_instant_by_instant(name: str) -> None:
    """Read back by vobject (not the library that wrote it) and compared with zoneinfo every
    hour, and a minute either side of every change, over two years."""
    first, last = dt.date(2026, 1, 1), dt.date(2027, 12, 31)
    written = b"BEGIN:VCALENDAR\r\n" + vtimezone(name, first=first, last=last).to_ical()
    read = vobject.readOne(written.decode() + "END:VCALENDAR\r\n")

    changes = assert_agrees(read.vtimezone, name, first, last)

    assert changes == (0 if name == "Asia/Kolkata" else 4)


def assert_agrees(component, name: str, first: dt.date, last: dt.date) -> int:  # type: ignore[no-untyped-def]
    """Every hour from `first` to `last` (and each minute of the hour before each change),
    both ways round: an instant shows the same wall-clock time in the zone the calendar file
    defines as in the IANA database, and that wall-clock time (with its fold, in a repeated
    hour) has the same UTC offset. The changes seen. (From 01:00 on `first`: at its very
    first instant a zone is not yet defined.)"""
    written, iana = component.gettzinfo(), zoneinfo.ZoneInfo(name)
    moment = dt.datetime.combine(first, dt.time(1), tzinfo=iana).astimezone(UTC)
    end = dt.datetime.combine(last, dt.time(23), tzinfo=iana).astimezone(UTC)
    changes, offset = 0, moment.astimezone(iana).utcoffset()
    while moment <= end:
        instants = [moment]
        if moment.astimezone(iana).utcoffset() != offset:
            changes += 1
            offset = moment.astimezone(iana).utcoffset()
            instants += [moment - dt.timedelta(minutes=m) for m in range(1, 61)]
        for instant in instants:
            local = instant.astimezone(iana)
            shown = instant.astimezone(written).replace(tzinfo=None, fold=0)
            assert shown == local.replace(tzinfo=None, fold=0), (name, instant, local)
            wall = local.replace(tzinfo=written)
            assert wall.utcoffset() == local.utcoffset(), (name, instant, local)
        moment += dt.timedelta(hours=1)
    return changes
