"""A model-based test of the promise that every surface shows the call as the schedule has it.

Hypothesis runs random sequences of schedule changes (general, department, personal,
location, cancel), call sheets and reminders going out as the clock moves (across
midnight and the night the clocks go back), acknowledgements and re-imports, against
two web processes of the real app (each with its own database connections and its own
copies of the schedules) and a worker that plans and sends. After every step each
person's call is checked, on every surface, against an oracle: a few lines written
apart from the product that work out a call from the schedule as the model keeps it.

Surfaces checked: /calltime for every day and for the next call, a DM question, App
Home, /callsheet, the person's calendar feed, and every notice they were ever sent in
a DM (one still showing a call must show the current one, or say it is out of date;
answers to questions are answers as of when they were asked, like /calltime's).

CREWCALL_MODEL_EXAMPLES and CREWCALL_MODEL_STEPS make the run longer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import uuid
import zoneinfo
from contextlib import ExitStack
from dataclasses import dataclass, field, replace

import icalendar
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from slack_sdk import WebClient
from sqlalchemy import select

from bot.calendars.feed_rows import feed_for
from bot.config import Settings
from bot.console.limits import FAST_MINUTE_S
from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.core.productions import create_production
from bot.imports.run import import_file
from bot.jobs.sender import Sender
from bot.notices.blocks import METADATA_TYPE
from bot.notices.followups import follow_up
from bot.planning.planner import Planner
from bot.slack.app import create_app
from bot.storage.db import Database
from bot.storage.models import CrewMember, Production
from tests.conftest import FakeClock, empty_all
from tests.slack_requests import (
    SIGNING_SECRET,
    block_action,
    event_callback,
    get,
    home_opened,
    send_signed,
    shown,
    slash_command,
)
from tests.wsgi_server import serve

LONDON = zoneinfo.ZoneInfo("Europe/London")
DAY = 24 * 60
TEAM = "T0CREW001"
CHANNEL = "C0MODEL001"
COORDINATOR = "U0MC0001"
START = dt.datetime(2026, 10, 22, 12, 0, tzinfo=LONDON)  # the clocks go back on Sun 25 Oct
EXAMPLES = int(os.environ.get("CREWCALL_MODEL_EXAMPLES", "5"))
STEPS = int(os.environ.get("CREWCALL_MODEL_STEPS", "10"))

PEOPLE = {  # Slack id: (name, department, role)
    COORDINATOR: ("Maya Okafor", "Production", "coordinator"),
    "U0MC0002": ("Ada Moreau", "Camera", "crew"),
    "U0MC0003": ("Jonah Pike", "Camera", "head"),
    "U0MC0004": ("Kit Summers", "Grip", "crew"),
    "U0MC0005": ("Hana Kim", "Sound", "head"),
    "U0MC0006": ("Rosa Vidal", "Sound", "crew"),
}
DEPARTMENTS = ("Production", "Camera", "Grip", "Sound")
# date, day number, general call, wrap, location
DAYS = (
    (dt.date(2026, 10, 23), 1, "07:00", "19:00", "Hollis Farm"),
    (dt.date(2026, 10, 24), 2, "18:00", "06:00", "Hollis Farm"),  # a night shoot
    (dt.date(2026, 10, 26), 3, "07:00", "19:00", "Brightwater Quarry"),
    (dt.date(2026, 10, 27), 4, "08:00", "20:00", "Brightwater Quarry"),
)
CALLS = (  # date, who, call
    *((date, "Camera", "-60") for date, *_ in DAYS),
    (dt.date(2026, 10, 23), "Grip", "06:15"),
    (dt.date(2026, 10, 24), "Grip", "17:15"),
    (dt.date(2026, 10, 26), "Grip", "06:15"),
    (dt.date(2026, 10, 24), "U0MC0006", "01:30"),  # the next morning
    (dt.date(2026, 10, 26), "U0MC0003", "05:45"),
)
TIMES = ("05:00", "06:30", "07:00", "09:15", "17:30", "18:30", "23:30", "00:30", "02:00")
CALL_SPECS = ("-90", "-30", "+15", "05:30", "06:00", "17:00", "01:00", "off")


# -- the oracle: written apart from bot/, from the contract (PRODUCT.md and issue 20)


def minutes_of(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def placed(minutes: int, general: int) -> int:
    """A clock time belongs to the general call's day; more than 12 hours before it is the
    next morning. It is placed once, when written, and keeps that moment."""
    return minutes + DAY if minutes + DAY // 2 <= general else minutes


@dataclass
class Day:
    date: dt.date
    number: int
    general: int
    wrap: int
    location: str
    cancelled: bool = False


@dataclass
class Model:
    """The schedule as the model keeps it, and the clock."""

    now: dt.datetime
    days: dict[dt.date, Day] = field(default_factory=dict)
    # (date, department or Slack id): ("clock", placed minutes) | ("offset", m) | ("off", 0)
    calls: dict[tuple[dt.date, str], tuple[str, int]] = field(default_factory=dict)

    def spec(self, text: str, general: int) -> tuple[str, int]:
        if text == "off":
            return ("off", 0)
        if text[0] in "+-":
            return ("offset", int(text))
        return ("clock", placed(minutes_of(text), general))

    def call(self, person: str, date: dt.date) -> int | None:
        """The person's call that day in minutes after local midnight; None: not called."""
        day = self.days[date]
        if day.cancelled:
            return None
        department = PEOPLE[person][1]
        kind, minutes = self.calls.get((date, person)) or self.calls.get(
            (date, department), ("offset", 0)
        )
        if kind == "off":
            return None
        return day.general + minutes if kind == "offset" else minutes

    def department_call(self, department: str, date: dt.date) -> int | None:
        day = self.days[date]
        kind, minutes = self.calls.get((date, department), ("offset", 0))
        if kind == "off":
            return None
        return day.general + minutes if kind == "offset" else minutes

    def next_calls(self, person: str) -> list[tuple[dt.date, int]]:
        """The person's calls on days not over yet (a day lasts until its wrap)."""
        found = []
        for date, day in sorted(self.days.items()):
            call = self.call(person, date)
            if call is None:
                continue
            over = max(moment(date, call), moment(date, day.wrap))
            if over > self.now:
                found.append((date, call))
        return found

    def today(self) -> dt.date:
        return self.now.astimezone(LONDON).date()


def moment(date: dt.date, minutes: int) -> dt.datetime:
    """Wall-clock minutes after the date's local midnight, as an instant."""
    local = dt.datetime.combine(date, dt.time(0)) + dt.timedelta(minutes=minutes)
    return local.replace(tzinfo=LONDON)


def date_words(date: dt.date) -> str:
    return f"{date:%a} {date.day} {date:%b}"


def clock_words(date: dt.date, minutes: int) -> str:
    text = f"{minutes % DAY // 60:02d}:{minutes % 60:02d}"
    if minutes >= DAY:
        text += f" {date + dt.timedelta(days=minutes // DAY):%a}"
    return text


# -- reading what people were shown

_YOUR_CALL = re.compile(r"Your call (\w{3} \d{1,2} \w{3}): \*(\d\d:\d\d)(?: \w{3})?\*")
_NOT_CALLED = re.compile(r"You're (?:no longer |not )called on (\w{3} \d{1,2} \w{3})")
_REMINDER_OF = re.compile(
    r"acknowledge the (?:call sheet|schedule change) for (\w{3} \d{1,2} \w{3}) \((?:your call "
    r"(?:is now )?(\d\d:\d\d)|you're (?:no longer |now )?(?:not )?called)"
)
_UID = re.compile(r"-(\d{8})@crewcall")
_MORNING = re.compile(r"Reminder · (\w{3} \d{1,2} \w{3})[^\"]*\".*?Your call \w+ (\d\d:\d\d)")


def calls_shown(text: str) -> list[tuple[str, str | None]]:
    """(date words, HH:MM or None for not called) for every call a message shows."""
    found: list[tuple[str, str | None]] = [(d, t) for d, t in _YOUR_CALL.findall(text)]
    found += [(d, None) for d in _NOT_CALLED.findall(text)]
    for date, time in _REMINDER_OF.findall(text):
        found.append((date, time or None))
    found += [(d, t) for d, t in _MORNING.findall(text)]
    return found


# -- the world: a database, two web processes, a worker, Slack's stand-in


class World:
    """What one example runs against; made anew for each."""

    def __init__(self, database_url: str, template: str | None, tmp: str) -> None:
        self.stack = ExitStack()
        if template is not None:
            path = f"{tmp}/model-{uuid.uuid4().hex[:8]}.db"
            shutil.copy(template, path)
            database_url = f"sqlite:///{path}"
        else:
            empty_all(database_url)
        self.slack = self.stack.enter_context(FakeSlack())
        self.slack.limits.minute = FAST_MINUTE_S  # as the pacer's interval, below
        for person in PEOPLE:
            self.slack.add_user(person, tz="Europe/London")
        self.clock = FakeClock(START.astimezone(dt.UTC))
        settings_ = Settings(
            _env_file=None,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=self.slack.api_url,
            database_url=database_url,
            web_threads=4,
        )
        self.dbs = [Database(database_url, pool_size=4) for _ in range(3)]
        for db in self.dbs:
            self.stack.callback(db.dispose)
        self.web = [
            self.stack.enter_context(serve(create_app(settings_, db=db, clock=self.clock)))
            for db in self.dbs[:2]
        ]
        worker = self.dbs[2]
        self.planner = Planner(worker)
        self.sender = Sender(worker, WebClient(token=BOT_TOKEN, base_url=self.slack.api_url))
        # What is checked here is what messages say, not how fast they go: no 1 s per channel.
        self.sender.pacer.interval = 0.0
        self.stack.callback(self.sender.close)
        self.worker = worker
        self._turn = itertools.count()
        self.events = itertools.count(1)

    def url(self) -> str:
        """The next web process, taking turns."""
        return self.web[next(self._turn) % 2] + "/slack/events"

    def close(self) -> None:
        self.stack.close()


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def schedule_csv(model: Model) -> bytes:
    rows = []
    for day in model.days.values():
        general = clock_words(day.date, day.general).split()[0]
        wrap = clock_words(day.date, day.wrap).split()[0]
        rows.append(f"{day.date},{day.number},{general},,{wrap},{day.location},,,,,,,")
    return _csv(
        "date,day,general_call,shooting_call,wrap,location,address,parking,hospital,"
        "latitude,longitude,scenes,notes",
        rows,
    )


class CrewcallModel(RuleBasedStateMachine):
    """The product against the model, step by step."""

    def __init__(self, database_url: str, template: str | None, tmp: str) -> None:
        super().__init__()
        self.world = World(database_url, template, tmp)
        self.model = Model(now=self.world.clock.now)
        self._set_up()

    def teardown(self) -> None:
        self.world.close()

    def _set_up(self) -> None:
        for date, number, general, wrap, location in DAYS:
            g = minutes_of(general)
            w = minutes_of(wrap)
            self.model.days[date] = Day(date, number, g, w + DAY if w <= g else w, location)
        for date, who, call in CALLS:
            self.model.calls[date, who] = self.model.spec(call, self.model.days[date].general)
        crew = _csv(
            "name,slack_id,department,role",
            [f"{name},{user},{dept},{role}" for user, (name, dept, role) in PEOPLE.items()],
        )
        calls = _csv("date,who,call", [f"{date},{who},{call}" for date, who, call in CALLS])
        with self.world.worker.transaction() as session:
            production = create_production(
                session,
                team_id=TEAM,
                name="Model Farm",
                slug="model",
                timezone="Europe/London",
                channel=CHANNEL,
                coordinators=[COORDINATOR],
            )
            import_file(session, production=production, kind="crew", data=crew)
            import_file(
                session, production=production, kind="schedule", data=schedule_csv(self.model)
            )
            import_file(session, production=production, kind="calls", data=calls)
        with self.world.worker.transaction() as session:
            production = session.scalar(select(Production))
            self.secrets = {}
            for member in session.scalars(select(CrewMember)):
                feed = feed_for(
                    session, production_id=production.id, member_id=member.id, now=self.model.now
                )
                self.secrets[member.slack_user_id] = feed.secret

    # -- what people and the clock do

    def _change(self, text: str, apply) -> None:  # type: ignore[no-untyped-def]
        """Preview `text` in one web process and Send it from the other; the model changes
        only if the product should accept it, and the product must agree."""
        date = dt.date.fromisoformat(text.split()[0])
        before = self._everyone()
        day_before = replace(self.model.days[date])
        calls_before = dict(self.model.calls)
        allowed = date >= self.model.today() and not self.model.days[date].cancelled
        if allowed:
            apply()
            changed = self._everyone() != before or self.model.days[date] != day_before
            if not changed:
                self.model.calls = calls_before
                self.model.days[date] = day_before
                allowed = False
        else:
            changed = False
        reply = send_signed(
            self.world.url(),
            slash_command("/schedule-change", text, user_id=COORDINATOR, channel_id=CHANNEL),
        )
        assert reply.status == 200
        answer = reply.json()
        buttons = [b for b in answer.get("blocks", []) if b["type"] == "actions"]
        assert bool(buttons) == allowed, (text, shown(answer))
        if not buttons:
            return
        change_id = buttons[0]["elements"][0]["value"]
        key = f"send-{change_id}"
        click = block_action(
            "schedule_change_send",
            change_id,
            user_id=COORDINATOR,
            channel_id=CHANNEL,
            response_url=self.world.slack.response_url(key),
        )
        assert send_signed(self.world.url(), click).status == 200
        [sent] = self.world.slack.responses_to(key)
        assert "Sent: notice" in sent["text"], sent
        self._settle()

    def _everyone(self) -> dict:
        return {
            (person, date): self.model.call(person, date)
            for person in PEOPLE
            for date in self.model.days
        }

    @rule(date=st.sampled_from([d[0] for d in DAYS]), time=st.sampled_from(TIMES))
    def change_general_call(self, date: dt.date, time: str) -> None:
        def apply() -> None:
            self.model.days[date].general = minutes_of(time)

        self._change(f"{date} call {time}", apply)

    @rule(
        date=st.sampled_from([d[0] for d in DAYS]),
        department=st.sampled_from(DEPARTMENTS[1:]),
        call=st.sampled_from(CALL_SPECS),
    )
    def change_department(self, date: dt.date, department: str, call: str) -> None:
        def apply() -> None:
            self.model.calls[date, department] = self.model.spec(
                call, self.model.days[date].general
            )

        self._change(f"{date} {department.lower()} {call}", apply)

    @rule(
        date=st.sampled_from([d[0] for d in DAYS]),
        person=st.sampled_from(sorted(PEOPLE)),
        call=st.sampled_from(CALL_SPECS),
    )
    def change_person(self, date: dt.date, person: str, call: str) -> None:
        def apply() -> None:
            self.model.calls[date, person] = self.model.spec(call, self.model.days[date].general)

        self._change(f"{date} <@{person}|someone> {call}", apply)

    @rule(
        date=st.sampled_from([d[0] for d in DAYS]),
        place=st.sampled_from(["Old Mill", "Hollis Farm"]),
    )
    def change_location(self, date: dt.date, place: str) -> None:
        def apply() -> None:
            self.model.days[date].location = place

        self._change(f'{date} location "{place}"', apply)

    @rule(date=st.sampled_from([d[0] for d in DAYS]))
    def cancel_day(self, date: dt.date) -> None:
        def apply() -> None:
            self.model.days[date].cancelled = True

        self._change(f"{date} cancel", apply)

    @rule(hours=st.sampled_from([1, 3, 5, 7, 11, 13, 24]))
    def time_passes(self, hours: int, until: dt.datetime | None = None) -> None:
        """The clock moves; call sheets, reminders and nudges go out as they fall due."""
        target = until or self.model.now + dt.timedelta(hours=hours)
        while self.model.now < target:  # in steps, so each falls due at its time
            self.model.now = min(target, self.model.now + dt.timedelta(minutes=30))
            self.world.clock.now = self.model.now.astimezone(dt.UTC)
            self.world.planner.run(now=self.world.clock.now)
            with self.world.worker.transaction() as session:
                follow_up(session, now=self.world.clock.now)
            self._settle()

    @rule(
        date=st.sampled_from([d[0] for d in DAYS]),
        when=st.sampled_from(["call sheet", "after the call", "before the wrap", "after the wrap"]),
    )
    def clock_moves_to(self, date: dt.date, when: str) -> None:
        """The clock moves on to a moment that matters for a day (never back)."""
        day = self.model.days[date]
        minutes = {
            "call sheet": -6 * 60,  # the evening before
            "after the call": day.general + 10,
            "before the wrap": day.wrap - 10,
            "after the wrap": day.wrap + 10,
        }[when]
        target = moment(date, minutes)
        if target > self.model.now:
            self.time_passes(hours=0, until=target)

    @rule(person=st.sampled_from(sorted(PEOPLE)))
    def acknowledge(self, person: str) -> None:
        """The person clicks Acknowledge on their newest message that has the button."""
        for message in reversed(self.world.slack.posted(dm_of(person))):
            button = [
                (block["block_id"], element["value"])
                for block in message["blocks"]
                if block["type"] == "actions"
                for element in block["elements"]
                if element.get("action_id") == "acknowledge"
            ]
            if button:
                break
        else:
            return
        [(block_id, value)] = button
        key = f"ack-{next(self.world.events)}"
        click = block_action(
            "acknowledge",
            value,
            user_id=person,
            channel_id=dm_of(person),
            response_url=self.world.slack.response_url(key),
            block_id=block_id,
        )
        assert send_signed(self.world.url(), click).status == 200
        self.world.slack.responses_to(key)
        self._settle()

    @rule()
    def reimport_the_schedule_as_it_stands(self) -> None:
        """The coordinator imports the schedule again, as it stands: nothing changes."""
        with self.world.worker.transaction() as session:
            production = session.scalar(select(Production))
            version = production.schedule_version
            report = import_file(
                session, production=production, kind="schedule", data=schedule_csv(self.model)
            )
        with self.world.worker.readers() as session:
            again = session.scalar(select(Production.schedule_version))
        # A wrap before the general call, or a cancelled day, has no way to be written in
        # schedule.csv that reads back the same; every other schedule reads back unchanged.
        writable = all(
            not day.cancelled and day.general < day.wrap for day in self.model.days.values()
        )
        if writable:
            assert (report.created, report.updated) == (0, 0), report
            assert again == version

    def _settle(self) -> None:
        """The sender posts everything due and brings posted messages up to date."""
        for _ in range(20):
            report = self.world.sender.run(now=self.world.clock.now)
            if not (report.sent or report.retried or report.refreshed):
                return

    # -- the checks, after every step

    @invariant()
    def calltime_for_every_day_and_the_next(self) -> None:
        for person in PEOPLE:
            for date, day in self.model.days.items():
                text = shown(self._command("/calltime", str(date), person))
                expected = self.model.call(person, date)
                if day.cancelled:
                    assert "is cancelled" in text, (person, date, text)
                elif expected is None:
                    assert "not called on" in text, (person, date, text)
                else:
                    assert f"*{clock_words(date, expected)}* ·" in text, (
                        person,
                        date,
                        expected,
                        text,
                    )
                    assert day.location in text
            ahead = self.model.next_calls(person)
            text = shown(self._command("/calltime", "", person))
            if ahead:
                date, call = ahead[0]
                assert f"· {date_words(date)} ·" in text.splitlines()[0], (person, ahead, text)
                assert f"*{clock_words(date, call)}* ·" in text, (person, ahead, text)
            else:
                assert "no calls ahead" in text, (person, text)

    @invariant()
    def every_dm_shows_the_current_call_or_says_it_is_out_of_date(self) -> None:
        by_words = {date_words(date): date for date in self.model.days}
        for person in PEOPLE:
            for message in self.world.slack.posted(dm_of(person)):
                if (message.get("metadata") or {}).get("event_type") != METADATA_TYPE:
                    continue  # an answer to a question, as of when it was asked
                text = json.dumps(message["blocks"], ensure_ascii=False) + message["text"]
                if "Out of date" in text:
                    continue
                for words, time in calls_shown(text):
                    date = by_words[words]
                    expected = self.model.call(person, date)
                    now = None if expected is None else clock_words(date, expected).split()[0]
                    assert time == now, (person, words, time, now, message["text"])

    @invariant()
    def a_question_home_callsheet_and_feed(self) -> None:
        step = next(self.world.events)
        person = sorted(PEOPLE)[step % len(PEOPLE)]
        date = sorted(self.model.days)[step % len(self.model.days)]
        self._question(person, date, step)
        self._home(person, step)
        self._callsheet(person, date)
        self._feed(person)

    def _question(self, person: str, date: dt.date, step: int) -> None:
        number = self.model.days[date].number
        channel = dm_of(person)
        before = len(self.world.slack.posted(channel))
        event = {
            "type": "message",
            "channel": channel,
            "user": person,
            "text": f"what's my call day {number}?",
            "ts": f"1800000000.{step:06d}",
            "channel_type": "im",
        }
        assert (
            send_signed(self.world.url(), event_callback(event, event_id=f"Ev{step}")).status == 200
        )
        [answer] = self.world.slack.posted(channel)[before:]
        text = json.dumps(answer["blocks"], ensure_ascii=False)
        expected = self.model.call(person, date)
        if self.model.days[date].cancelled:
            assert "is cancelled" in text
        elif expected is None:
            assert "not called on" in text
        else:
            assert f"*{clock_words(date, expected)}* ·" in text, (person, date, text)

    def _home(self, person: str, step: int) -> None:
        before = len(self.world.slack.calls_to("views.publish"))
        opened = home_opened(person, event_id=f"EvHome{step}")
        assert send_signed(self.world.url(), opened).status == 200
        view = self.world.slack.calls_to("views.publish")[before].params["view"]
        view = json.loads(view) if isinstance(view, str) else view
        text = json.dumps(view, ensure_ascii=False)
        for date, call in self.model.next_calls(person)[:3]:
            number = self.model.days[date].number
            line = f"{date_words(date)} · Day {number}*: *{clock_words(date, call)}*"
            assert line in text, (person, date, text)

    def _callsheet(self, person: str, date: dt.date) -> None:
        day = self.model.days[date]
        text = shown(self._command("/callsheet", str(date), person))
        if day.cancelled:
            assert "cancelled" in text
            return
        for department in DEPARTMENTS:
            call = self.model.department_call(department, date)
            words = "not called" if call is None else clock_words(date, call)
            assert f"• *{department}*: {words}" in text, (department, words, text)

    def _feed(self, person: str) -> None:
        reply = get(f"{self.world.web[0]}/calendar/{self.secrets[person]}.ics")
        assert reply.status == 200
        events = {
            _uid_date(str(event["uid"])): event
            for event in icalendar.Calendar.from_ical(reply.body).walk("VEVENT")
        }
        for date, day in self.model.days.items():
            call = self.model.call(person, date)
            event = events.get(date)
            if call is None or day.cancelled:
                assert event is None or str(event.get("status")) == "CANCELLED", (person, date)
                continue
            assert event is not None, (person, date)
            assert event.decoded("dtstart") == moment(date, call), (person, date, call)

    def _command(self, name: str, text: str, person: str) -> dict:
        reply = send_signed(
            self.world.url(), slash_command(name, text, user_id=person, channel_id=dm_of(person))
        )
        assert reply.status == 200, reply.body
        return reply.json()


def _uid_date(uid: str) -> dt.date:
    """The shoot day an event's UID is for (`...-20261024@crewcall`)."""
    digits = _UID.search(uid)[1]  # type: ignore[index]
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def dm_of(user: str) -> str:
    return "D" + user.removeprefix("U")


@pytest.mark.heavy
def test_every_surface_shows_the_current_call(
    database_url: str, request: pytest.FixtureRequest, tmp_path
) -> None:
    template = None
    if database_url.startswith("sqlite"):
        template = request.getfixturevalue("_sqlite_template")
    run_state_machine_as_test(
        lambda: CrewcallModel(database_url, template, str(tmp_path)),
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=not os.environ.get("CREWCALL_MODEL_EXAMPLES"),
        ),
    )
