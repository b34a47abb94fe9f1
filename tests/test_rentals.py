"""/rentals: adding, listing, costs, status, permissions and the daily check."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zoneinfo
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.console.block_checks import validate_view
from bot.console.slack import FakeSlack
from bot.core.errors import UserError
from bot.core.locales import currency_for, money_locale
from bot.core.money import charged_days, cost_cents, parse_rate
from bot.core.productions import NOT_ON_A_CREW
from bot.planning.planner import Planner
from bot.questions.questions import Question, understand
from bot.rentals.check import check_rentals
from bot.storage.db import Database
from bot.storage.models import (
    Delivery,
    Notice,
    NoticeKind,
    RatePeriod,
    Rental,
    RentalEvent,
    RentalStatus,
)
from tests.conftest import FakeClock
from tests.hollis import CHANNEL, COORDINATOR, OPERATOR, import_hollis
from tests.slack_requests import (
    direct_message,
    event_callback,
    send_signed,
    shown,
    slash_command,
    view_submission,
)

CAMERA_HEAD = "U0HF0007"  # Iris Lindqvist
GRIP_HEAD = "U0HF0013"  # Declan Ross
LONDON = zoneinfo.ZoneInfo("Europe/London")
ALEXA = (
    'add "Alexa Mini LF kit" vendor Panavision dept camera out 2026-10-12 due 2026-10-26 '
    "rate £850/day po 4411 qty 2"
)
DOLLY = (
    'add "Fisher 10 dolly" vendor Panther dept grip out 2026-10-15 due 2026-10-19 '
    "rate 2,100 EUR/week"
)


def rentals(events_url: str, text: str = "", *, user: str = COORDINATOR) -> str:
    reply = send_signed(
        events_url, slash_command("/rentals", text, user_id=user, channel_id=CHANNEL)
    )
    assert reply.status == 200, reply.body
    return shown(reply.json())


def saved(db: Database) -> list[tuple[str, str, str]]:
    with db.readers.begin() as session:
        return [
            (r.item, r.status.value, r.due_on.isoformat())
            for r in session.scalars(select(Rental).order_by(Rental.id))
        ]


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


# -- rates and costs, against sums done by hand


@pytest.mark.parametrize(
    ("written", "rate"),
    [
        ("850/day", (85000, RatePeriod.DAY, "USD")),
        ("£850/day", (85000, RatePeriod.DAY, "GBP")),
        ("£2,400/week", (240000, RatePeriod.WEEK, "GBP")),
        ("1200 EUR/day", (120000, RatePeriod.DAY, "EUR")),
        ("$99.50/wk", (9950, RatePeriod.WEEK, "USD")),
        ("0/day", (0, RatePeriod.DAY, "USD")),
    ],
)
def test_rates_are_read_in_minor_units(written: str, rate: tuple) -> None:
    assert parse_rate(written) == rate


@pytest.mark.parametrize(
    ("written", "complaint"),
    [
        ("-850/day", "can't be negative"),
        ("850", "is not a rate"),
        ("850/month", "is not a rate"),
        ("£850 GBP/day", "gives two currencies"),
        ("lots", "is not a rate"),
    ],
)
def test_bad_rates_say_what_is_wrong(written: str, complaint: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_rate(written)
    assert complaint in str(raised.value)


@pytest.mark.parametrize(
    ("rate", "period", "quantity", "start", "until", "cents"),
    [
        # 20 Nov to 4 Dec, both counted: 15 days at 850.00 a day, 12,750.00.
        (85000, RatePeriod.DAY, 1, "2026-11-20", "2026-12-04", 1_275_000),
        # Two of them: 25,500.00.
        (85000, RatePeriod.DAY, 2, "2026-11-20", "2026-12-04", 2_550_000),
        # Extended a week to 11 Dec: 22 days, 18,700.00.
        (85000, RatePeriod.DAY, 1, "2026-11-20", "2026-12-11", 1_870_000),
        # Two whole weeks (20 Nov to 3 Dec) at 2,400.00: 4,800.00.
        (240000, RatePeriod.WEEK, 1, "2026-11-20", "2026-12-03", 480_000),
        # Ten days at 2,400.00 a week, part weeks by the day: 2,400 x 10/7 = 3,428.57.
        (240000, RatePeriod.WEEK, 1, "2026-11-20", "2026-11-29", 342_857),
        # Three days (15 to 17 Oct) of a 2,100.00 week: 900.00.
        (210000, RatePeriod.WEEK, 1, "2026-10-15", "2026-10-17", 90_000),
        # Picked up Monday, back Tuesday: two days started, 1,700.00 (issue 23).
        (85000, RatePeriod.DAY, 1, "2026-11-23", "2026-11-24", 170_000),
        # Back the day it went out: one day.
        (85000, RatePeriod.DAY, 1, "2026-11-20", "2026-11-20", 85_000),
        # Not picked up yet: nothing.
        (85000, RatePeriod.DAY, 1, "2026-11-20", "2026-11-19", 0),
    ],
)
def test_costs_match_hand_computed_sums(
    rate: int, period: RatePeriod, quantity: int, start: str, until: str, cents: int
) -> None:
    days = charged_days(dt.date.fromisoformat(start), dt.date.fromisoformat(until))
    assert cost_cents(rate_cents=rate, period=period, quantity=quantity, days=days) == cents


@pytest.mark.parametrize(
    ("asked", "question"),
    [
        ("which rentals are due friday?", Question("/rentals", "due friday")),
        ("what does camera have out?", Question("/rentals", "list camera")),
        ("what rentals does grip have?", Question("/rentals", "list grip")),
    ],
)
def test_rental_questions_in_plain_words(asked: str, question: Question) -> None:
    assert understand(asked) == question


# -- through the endpoint (the test clock: Sun 18 Oct 2026, 13:00 in London)


def test_add_list_show_with_costs_per_department_and_currency(
    hollis: Database, events_url: str
) -> None:
    added = rentals(events_url, ALEXA)
    assert added == (
        "Added rental #1: *Alexa Mini LF kit* x2 for Camera, out, due Mon 26 Oct at £850.00/day."
    )
    rentals(
        events_url,
        'add "Sachtler legs" vendor Panavision dept camera out 2026-10-16 due 2026-10-23 '
        "rate 40 EUR/day",
    )
    rentals(events_url, DOLLY)

    listed = rentals(events_url, "list", user=OPERATOR)  # crew may look
    # Every day started, pickup day and today both counted: Mon 12 to Sun 18 Oct is 7
    # days so far of 2 x 850.00 = 11,900.00; to Mon 26 Oct 15 days in all = 25,500.00.
    assert "#1 *Alexa Mini LF kit* x2 · Panavision · Camera · due Mon 26 Oct" in listed
    assert "£850.00/day · to date £11,900.00 · projected £25,500.00" in listed
    # The dolly (Thu 15 Oct, due Mon 19 Oct): 4 days of a 2,100.00 week so far, 5 by then.
    assert "€2,100.00/week · to date €1,200.00 · projected €1,500.00" in listed
    # The legs at 40.00 a day: Fri 16 to Sun 18 Oct is 3 days; to Fri 23 Oct, 8.
    assert "• Camera (EUR): to date €120.00, projected €320.00" in listed
    assert "• Camera (GBP): to date £11,900.00, projected £25,500.00" in listed
    assert "• Grip (EUR): to date €1,200.00, projected €1,500.00" in listed

    camera = rentals(events_url, "list camera")
    assert "Fisher" not in camera
    assert "Camera rentals out (2)" in camera

    shown_one = rentals(events_url, "show 1")
    assert "Rental #1: Alexa Mini LF kit" in shown_one
    assert "*PO:* 4411" in shown_one
    assert "added (out)" in shown_one


def test_return_lost_damaged_extend_and_history(hollis: Database, events_url: str) -> None:
    rentals(events_url, ALEXA)
    rentals(events_url, DOLLY)
    assert "now out, due Wed 28 Oct" in rentals(events_url, "extend 1 28 oct")
    assert "*projected* £28,900.00" in rentals(events_url, "show 1")  # 17 days
    assert "is now returned" in rentals(events_url, "return 1")
    shown_one = rentals(events_url, "show 1")
    # Returned today, Sun 18 Oct: 7 days, and nothing more to come.
    assert "*to date* £11,900.00 · *projected* £11,900.00" in shown_one
    assert "due 26 Oct -> 28 Oct" in shown_one
    assert "out -> returned" in shown_one
    # Damaged, the dolly stays on hire, listed and costing, until returned or written off.
    assert "stays on hire, and costing, until it is returned" in rentals(events_url, "damaged 2")
    assert "already returned" in rentals(events_url, "lost 1")
    assert saved(hollis) == [
        ("Alexa Mini LF kit", "returned", "2026-10-28"),
        ("Fisher 10 dolly", "damaged", "2026-10-19"),
    ]
    listed = rentals(events_url)
    assert (
        "#2 *Fisher 10 dolly* · Panther · Grip · due Mon 19 Oct · damaged, still on hire" in listed
    )
    assert "€2,100.00/week · to date €1,200.00 · projected €1,500.00" in listed
    assert "already damaged" in rentals(events_url, "damaged 2")
    assert "is now lost" in rentals(events_url, "lost 2")  # written off: it stops costing
    assert rentals(events_url) == "*Rentals out:* none."


def test_heads_change_their_own_department_only_and_crew_only_look(
    hollis: Database, events_url: str
) -> None:
    assert "Added rental #1" in rentals(events_url, ALEXA, user=CAMERA_HEAD)
    refused = rentals(events_url, DOLLY, user=CAMERA_HEAD)
    assert refused == "Only coordinators and the head of Grip can add its rentals."
    assert "can change rental 1" in rentals(events_url, "return 1", user=GRIP_HEAD)
    assert "Only coordinators and the head of Camera" in rentals(events_url, ALEXA, user=OPERATOR)
    assert "Only coordinators and the head of Camera" in rentals(
        events_url, "extend 1 30 oct", user=OPERATOR
    )
    assert "Alexa" in rentals(events_url, "list", user=OPERATOR)
    outsider = rentals(events_url, "list", user="U0NOBODY1")  # in the crew channel, not on it
    assert outsider == NOT_ON_A_CREW  # the same for every read (issue 22)
    assert saved(hollis) == [("Alexa Mini LF kit", "out", "2026-10-26")]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('add "Arri SkyPanel" vendor Pixipixel dept catering out today due fri rate 90/day',
         "`catering` is not a department here. Departments: Art, Camera"),
        ('add "Arri SkyPanel" vendor Pixipixel dept electric out 2026-10-20 due 2026-10-19 '
         "rate 90/day",
         "due back (Mon 19 Oct) before it is picked up (Tue 20 Oct)"),
        ('add "Arri SkyPanel" vendor Pixipixel dept electric out today due fri rate -90/day',
         "A rate can't be negative"),
        ('add "Arri SkyPanel" vendor Pixipixel dept electric out today due fri rate 90',
         "`90` is not a rate"),
        ('add "Arri SkyPanel" vendor Pixipixel dept electric due fri rate 90/day',
         "Say the rental's pickup."),
        ('add "Arri SkyPanel" vendor Pixipixel dept electric out today due someday rate 90/day',
         "someday"),
        ('add "Arri SkyPanel vendor Pixipixel', "A quote is not closed"),
        ('add "Arri SkyPanel" vendor P dept electric out today due fri rate 9/day qty 0',
         "`0` is not a quantity"),
        ("show 99", "There is no rental 99 on this production"),
        ("return x", "`x` is not one"),
        ("extend 99 fri", "There is no rental 99"),
        ("frobnicate", "I don't know `/rentals frobnicate`"),
        ("list catering", "`catering` is not a department here"),
        # Bigger than any hire, and than the column holds (it once logged OverflowError on
        # SQLite and answered "can't reach its database" on PostgreSQL).
        ('add "Arri SkyPanel" vendor P dept electric out today due fri '
         "rate 99999999999999999999999/day",
         "is more than Crewcall takes for a rate: at most £10,000,000.00."),
        ('add "Arri SkyPanel" vendor P dept electric out today due fri rate 10000000.01/day',
         "at most £10,000,000.00"),
        ('add "Arri SkyPanel" vendor P dept electric out today due fri rate 90.555/day',
         "has more than two decimals"),
        # A British production writes 1,200.50; 1.200,50 is refused saying so, not misread.
        ('add "Arri SkyPanel" vendor P dept electric out today due fri rate 1.200,50/day',
         "`1,200.50` is one thousand two hundred and a half"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_answer_and_changes_nothing(
    hollis: Database, events_url: str, text: str, complaint: str
) -> None:
    assert complaint in rentals(events_url, text)
    assert saved(hollis) == []


def test_the_largest_rate_is_taken_and_kept(hollis: Database, events_url: str) -> None:
    answer = rentals(
        events_url,
        'add "Stage hire" vendor P dept electric out today due fri rate £10,000,000.00/week',
    )

    assert "£10,000,000.00/week" in answer
    with hollis.readers() as session:
        assert session.scalar(select(Rental.rate_cents)) == 10_000_000_00


@pytest.mark.parametrize(
    ("zone", "written", "cents", "currency"),
    [
        ("Europe/Berlin", "1.200,50 €/day", 120050, "EUR"),
        ("Europe/Berlin", "1200,5/day", 120050, "EUR"),
        ("Europe/Paris", "1 200,50 €/week", 120050, "EUR"),
        ("Europe/London", "£1,200.50/day", 120050, "GBP"),
        ("Europe/London", "1200 EUR/day", 120000, "EUR"),
    ],
)
def test_rates_are_read_as_the_productions_country_writes_them(
    zone: str, written: str, cents: int, currency: str
) -> None:
    assert parse_rate(written, currency=currency_for(zone), locale=money_locale(zone))[::2] == (
        cents,
        currency,
    )


def test_due_lists_what_comes_back_by_a_date_overdue_included(
    hollis: Database, events_url: str, slack: FakeSlack
) -> None:
    rentals(events_url, ALEXA)
    rentals(events_url, DOLLY)
    rentals(
        events_url, 'add "Cable" vendor Panther dept grip out 2026-10-15 due 2026-10-16 rate 5/day'
    )
    due = rentals(events_url, "due tomorrow")
    assert "Due back by Mon 19 Oct (2)" in due
    assert "#3 *Cable* · Panther · Grip · due Fri 16 Oct *(overdue)*" in due
    assert "Alexa" not in due

    event = direct_message("which rentals are due friday?", user=OPERATOR)
    send_signed(events_url, event_callback(event, event_id="Ev0RENT01"))
    assert "Due back by Fri 23 Oct: 2" in slack.calls_to("chat.postMessage")[-1].params["text"]
    event = direct_message("what does camera have out?", user=OPERATOR)
    send_signed(events_url, event_callback(event, event_id="Ev0RENT02"))
    assert "Camera rentals out: 1" in slack.calls_to("chat.postMessage")[-1].params["text"]


def test_the_add_form_is_refused_before_it_opens_for_crew(
    hollis: Database, events_url: str, slack: FakeSlack
) -> None:
    """Crew may not add rentals: told so at once, not after filling in a form."""
    answer = rentals(events_url, "add", user=OPERATOR)

    assert answer.startswith("Only coordinators, and department heads")
    assert slack.calls_to("views.open") == []


def test_the_add_form(hollis: Database, events_url: str, slack: FakeSlack) -> None:
    opened = send_signed(events_url, slash_command("/rentals", "add", user_id=COORDINATOR))
    assert (opened.status, opened.body) == (200, b"")
    view = validate_view(slack.calls_to("views.open")[-1].params["view"])
    departments = [o["value"] for o in view["blocks"][2]["element"]["options"]]
    assert departments[:3] == ["Art", "Camera", "Costume"]

    def submit(**fields: str) -> dict:
        values = {
            block: (
                {"value": {"type": "datepicker", "selected_date": value}}
                if block in ("pickup", "due")
                else {"value": {"type": "static_select", "selected_option": {"value": value}}}
                if block == "department"
                else {"value": {"type": "plain_text_input", "value": value}}
            )
            for block, value in fields.items()
        }
        reply = send_signed(events_url, view_submission(view, values, user_id=COORDINATOR))
        assert reply.status == 200, reply.body
        return reply.json()

    fields = {
        "item": "Arri SkyPanel S60",
        "vendor": "Pixipixel",
        "department": "Electric",
        "pickup": "2026-10-20",
        "due": "2026-10-19",
        "rate": "-90/day",
    }
    errors = submit(**fields)
    assert errors["response_action"] == "errors"
    assert set(errors["errors"]) == {"rate"}  # the due date is checked once the rate reads
    errors = submit(**{**fields, "rate": "£90/day"})
    assert "before it is picked up" in errors["errors"]["due"]
    assert saved(hollis) == []
    done = submit(**{**fields, "rate": "£90/day", "due": "2026-10-30", "quantity": "4"})
    assert done["response_action"] == "update"
    assert "Added rental #1: *Arri SkyPanel S60* x4 for Electric, reserved" in json.dumps(done)
    assert saved(hollis) == [("Arri SkyPanel S60", "reserved", "2026-10-30")]


# -- the daily check


def test_the_daily_check_tells_heads_what_is_due_and_escalates_what_is_overdue(
    hollis: Database, events_url: str
) -> None:
    rentals(events_url, ALEXA)  # Camera, due Mon 26 Oct
    rentals(events_url, DOLLY)  # Grip, due Mon 19 Oct
    rentals(
        events_url,
        'add "Tracks" vendor Panther dept grip out 2026-10-22 due 2026-10-27 rate 50/day',
    )
    planner = Planner(hollis, daily_checks=[check_rentals])

    def at(day: int) -> dt.datetime:
        return dt.datetime(2026, 10, day, 9, 0, tzinfo=LONDON).astimezone(dt.UTC)

    def told() -> Counter:
        with hollis.readers.begin() as session:
            rows = session.execute(
                select(Notice.title, Notice.urgent, Delivery.slack_user_id)
                .join(Delivery, Delivery.notice_id == Notice.id)
                .where(Notice.kind == NoticeKind.RENTAL)
            ).all()
        return Counter((title, urgent, user) for title, urgent, user in rows)

    assert planner.run(now=at(18) - dt.timedelta(minutes=1)).checks == 0
    planner.run(now=at(18))  # the dolly is due tomorrow: Grip's head hears
    assert told() == Counter({("Rentals due back · Grip", False, GRIP_HEAD): 1})

    planner.run(now=at(20))  # Tue: the dolly is a day overdue, to the head and coordinators
    overdue = {
        user for (title, urgent, user) in told() if title == "Overdue rentals · Grip" and urgent
    }
    assert overdue == {GRIP_HEAD, COORDINATOR, "U0HF0002"}
    planner.run(now=at(20) + dt.timedelta(hours=3))  # once a day
    planner.run(now=at(21))  # and again the next day, until it is resolved
    assert told()[("Overdue rentals · Grip", True, GRIP_HEAD)] == 2

    rentals(events_url, "return 2")
    planner.run(now=at(22))  # the tracks are picked up today: reserved -> out
    with hollis.readers.begin() as session:
        tracks = session.get(Rental, 3)
        assert tracks.status == RentalStatus.OUT
        assert (
            session.scalar(select(func.count()).where(RentalEvent.what == "reserved -> out")) == 1
        )
    assert told()[("Overdue rentals · Grip", True, GRIP_HEAD)] == 2
    planner.run(now=at(25))  # Sun: the Alexa is due tomorrow, to Camera's head
    assert told()[("Rentals due back · Camera", False, CAMERA_HEAD)] == 1


def test_export_rentals_prints_csv(
    hollis: Database, events_url: str, database_url: str, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    rentals(events_url, ALEXA)
    rentals(events_url, DOLLY)
    rentals(events_url, "return 1")  # so that its cost no longer depends on the day
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["export", "rentals", "--production", "hollis"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["id"], r["item"], r["currency"], r["rate"]) for r in rows] == [
        ("1", "Alexa Mini LF kit", "GBP", "850.00"),
        ("2", "Fisher 10 dolly", "EUR", "2100.00"),
    ]
    assert (rows[0]["status"], rows[0]["cost_projected"]) == ("returned", "11900.00")


def test_history_is_dated_in_the_productions_zone(
    hollis: Database, events_url: str, clock: FakeClock
) -> None:
    clock.now = dt.datetime(2026, 10, 18, 23, 30, tzinfo=dt.UTC)  # 00:30 on Mon 19 Oct in London
    rentals(events_url, ALEXA)
    assert "added (out) Mon 19 Oct" in rentals(events_url, "show 1")
