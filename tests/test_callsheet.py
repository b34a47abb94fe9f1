"""/callsheet and questions in DMs, through the signed HTTP endpoint."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from bot.console.block_checks import validate_blocks
from bot.console.slack import FakeSlack
from bot.core.notes import NOTE_LIMIT
from bot.imports.run import import_file
from bot.storage.db import Database
from bot.storage.models import Production
from tests.conftest import FakeClock
from tests.hollis import BOOM, FIRST_AC, SOUND_ASSISTANT, import_hollis, new_production
from tests.slack_requests import direct_message, event_callback, send_signed, shown, slash_command
from tests.test_calltime import at


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def callsheet(events_url: str, text: str = "", *, user: str = FIRST_AC) -> dict:
    reply = send_signed(events_url, slash_command("/callsheet", text, user_id=user))
    assert reply.status == 200
    return reply.json()


@pytest.mark.usefixtures("hollis")
class TestCallSheet:
    def test_the_whole_day(self, events_url: str, clock: FakeClock) -> None:
        at(clock, "2026-10-27T12:00:00+00:00")

        text = shown(callsheet(events_url, "day 9"))

        assert "Call sheet · Wed 28 Oct · Day 9" in text
        assert "• *Camera*: 06:00 (60 min before the general call) · 6/6 called" in text
        assert "• *Transport*: 05:30 · 5/5 called" in text
        assert "• *Sound*: 07:00 · 3/3 called" in text
        assert "• Kit Summers (Grip): *07:30* — dolly arrives with the low loader" in text
        assert "*Hollis Farm*" in text
        assert "*Sunrise · sunset:*" in text
        assert "Next: Thu 29 Oct · Day 10: 07:00 at Hollis Farm | Fri 30 Oct · Day 11" in text

    def test_scenes_with_pages_in_eighths(self, events_url: str, clock: FakeClock) -> None:
        at(clock, "2026-10-18T12:00:00+01:00")

        text = shown(callsheet(events_url, "19 oct"))

        # Day 1 of schedule.csv: 13 (3/8), 14 (4/8), 15A (5/8) and 16 (6/8) -> 2 2/8 pages.
        assert "*Scenes (4, 2 2/8 pages)*" in text
        assert "*13* · EXT. HOLLIS FARM YARD · D · 3/8 pg" in text
        assert "*15A*" in text

    def test_off_days_and_departments(self, events_url: str, clock: FakeClock) -> None:
        at(clock, "2026-11-01T12:00:00+00:00")

        text = shown(callsheet(events_url, "day 14"))

        assert "• *Art*: not called" in text

    def test_people_off_are_listed(self, events_url: str, clock: FakeClock) -> None:
        at(clock, "2026-10-22T12:00:00+01:00")

        text = shown(callsheet(events_url, "fri"))

        assert "• Oscar Dunn (Sound): *off* — second unit on day 5-6" in text
        assert "• *Sound*: 07:00 · 2/3 called" in text

    def test_night_shoot_notes_and_company_move(self, events_url: str, clock: FakeClock) -> None:
        at(clock, "2026-11-01T12:00:00+00:00")

        night = shown(callsheet(events_url, "day 12"))
        move = shown(callsheet(events_url, "day 15"))

        assert "• Rosa Vidal (Sound): *01:30 Tue*" in night
        assert "Night shoot: hot meal at 23:30." in night
        assert "*Brightwater Quarry*" in move
        assert "Company move to Brightwater Quarry" in move

    def test_default_is_today_until_wrap_then_the_next_day(self, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T18:00:00+00:00")  # day 7 wraps at 19:00
        assert "Mon 26 Oct · Day 7" in shown(callsheet(events_url))

        at(clock, "2026-10-26T19:30:00+00:00")
        assert "Tue 27 Oct · Day 8" in shown(callsheet(events_url))

    def test_no_shoot_and_bad_dates(self, events_url: str, clock: FakeClock) -> None:
        at(clock, "2026-10-30T12:00:00+00:00")

        assert "There is no shoot on Sun 1 Nov." in shown(callsheet(events_url, "sun"))
        assert "I don't understand the date `someday`" in callsheet(events_url, "someday")["text"]
        assert "There is no day 40" in callsheet(events_url, "day 40")["text"]


def _big_production(db: Database) -> None:
    """60 people in 12 departments, everyone with a personal call and a long note, 40 scenes,
    and the longest day note that is taken (NOTE_LIMIT)."""
    departments = [f"Department {letter}" for letter in "ABCDEFGHIJKL"]
    crew, calls = io.StringIO(), io.StringIO()
    crew_writer, calls_writer = csv.writer(crew), csv.writer(calls)
    crew_writer.writerow(["name", "slack_id", "department"])
    calls_writer.writerow(["date", "who", "call", "note"])
    for n in range(60):
        user = f"U0BIG{n:05d}"
        crew_writer.writerow([f"Crew Member Number {n}", user, departments[n % 12]])
        calls_writer.writerow(["2026-11-24", user, f"0{5 + n % 4}:{n % 6}0", "x" * 120])
    for department in departments:
        calls_writer.writerow(["2026-11-24", department, "-45", ""])
    scenes = "; ".join(f"{n}A|INT. A VERY LONG SET NAME NUMBER {n}|D|1 3/8" for n in range(40))
    schedule = (
        f'date,day,general_call,scenes,notes\n2026-11-24,1,07:00,"{scenes}",{"n" * NOTE_LIMIT}\n'
    )
    with db.transaction() as session:
        production = new_production(
            session, name="Big", slug="big", channel="C0BIGCREW1", coordinator="U0BIG00000"
        )
        for kind, data in (("crew", crew), ("schedule", schedule), ("calls", calls)):
            text = data if isinstance(data, str) else data.getvalue()
            import_file(session, production=production, kind=kind, data=text.encode())


def test_a_big_day_stays_within_slacks_limits(events_url: str, db: Database, clock) -> None:  # type: ignore[no-untyped-def]
    _big_production(db)
    at(clock, "2026-11-23T12:00:00+00:00")

    answer = callsheet(events_url, "tomorrow", user="U0BIG00001")

    validate_blocks(answer["blocks"], limit=50)
    text = shown(answer)
    assert text.count("• Crew Member Number") == 60
    assert "*Department L*" in text
    assert "*39A*" in text


@pytest.mark.usefixtures("hollis")
class TestQuestions:
    def ask(self, events_url: str, text: str, user: str = FIRST_AC, event_id: str = "Ev0Q") -> None:
        reply = send_signed(
            events_url, event_callback(direct_message(text, user=user), event_id=event_id)
        )
        assert reply.status == 200

    def answer(self, slack: FakeSlack) -> str:
        [call] = slack.calls_to("chat.postMessage")
        blocks = call.params["blocks"]
        validate_blocks(blocks, limit=50)
        return shown({"response_type": "ephemeral", "blocks": blocks})

    def test_whats_my_call_tomorrow(self, events_url, slack, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-25T12:00:00+00:00")

        self.ask(events_url, "what's my call tomorrow?")

        assert "*06:00* · Camera call" in self.answer(slack)

    def test_call_time_day_12_for_camera(self, events_url, slack, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-25T12:00:00+00:00")

        self.ask(events_url, "call time day 12 for camera")

        assert "Camera · Mon 2 Nov · Day 12" in self.answer(slack)

    def test_callsheet_friday(self, events_url, slack, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-26T12:00:00+00:00")

        self.ask(events_url, "callsheet friday", user=SOUND_ASSISTANT)

        assert "Call sheet · Fri 30 Oct · Day 11" in self.answer(slack)

    def test_not_understood_gets_short_help(self, events_url, slack) -> None:  # type: ignore[no-untyped-def]
        self.ask(events_url, "is the coffee truck here yet")

        [call] = slack.calls_to("chat.postMessage")
        assert "what's my call tomorrow?" in call.params["text"]

    def test_bad_date_in_a_question_is_explained(self, events_url, slack, clock) -> None:  # type: ignore[no-untyped-def]
        self.ask(events_url, "what's my call on blursday?", user=BOOM)

        [call] = slack.calls_to("chat.postMessage")
        assert "I don't understand `blursday`" in call.params["text"]

    def test_a_mention_is_answered_privately(self, events_url, slack, clock) -> None:  # type: ignore[no-untyped-def]
        at(clock, "2026-10-25T12:00:00+00:00")
        event = {
            "type": "app_mention",
            "user": FIRST_AC,
            "text": "<@U0CREWBOT> what's my call tomorrow?",
            "ts": "1700000000.000400",
            "channel": "C0HFCREW01",
            "event_ts": "1700000000.000400",
        }

        send_signed(events_url, event_callback(event, event_id="Ev0MENTIONQ"))

        [call] = slack.calls_to("chat.postEphemeral")
        assert call.params["user"] == FIRST_AC
        assert "06:00" in call.params["text"]


def test_production_settings_are_per_production(db: Database) -> None:
    import_hollis(db, kinds=("crew",))
    with db.transaction() as session:
        assert session.scalar(select(Production)).slug == "hollis"
