"""Messages that read at a glance (issue 23): notes whole or refused, little echoed back,
and every kind of message within Block Kit's limits for a 300-person production."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
from sqlalchemy import func, select

from bot.console.block_checks import validate_blocks, validate_view
from bot.console.slack import FakeSlack
from bot.core.errors import UserError
from bot.core.kit import names_line
from bot.core.locales import money_locale
from bot.core.money import money_text
from bot.core.notes import NOTE_LIMIT
from bot.core.productions import create_production
from bot.imports.csvfile import ImportFailed
from bot.imports.run import import_file
from bot.planning.planner import Planner
from bot.storage.db import Database
from bot.storage.models import (
    DateOrder,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeKind,
    Production,
    ScheduleChange,
    ScriptRevision,
)
from tests.conftest import FakeClock
from tests.crew import dm_of
from tests.slack_requests import block_action, home_opened, send_signed, shown, slash_command
from tests.test_right_call import hollis, nudges_at, settle  # noqa: F401 (a fixture)
from tests.test_schedule_change import command
from tests.test_script import script

LONG_NOTE = "Rain cover: interiors first & the barn after lunch. " * 45  # ~2,300 characters


def counts(db: Database) -> tuple[int, ...]:
    with db.readers.begin() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Notice, ScheduleChange, ScriptRevision)
        )


@pytest.mark.usefixtures("hollis")
class TestNotes:
    def test_a_change_note_too_long_to_show_is_refused_with_its_length(
        self, db: Database, events_url: str
    ) -> None:
        before = counts(db)

        answer = command(events_url, f"day 3 call 06:30 -- {LONG_NOTE}")

        assert answer["response_type"] == "ephemeral"
        assert f"That note is {len(LONG_NOTE.strip()):,} characters" in answer["text"]
        assert f"at most {NOTE_LIMIT:,}" in answer["text"]
        assert counts(db) == before

    def test_a_note_that_fits_is_shown_whole(self, db: Database, events_url: str) -> None:
        note = LONG_NOTE[:1500].strip()

        preview = command(events_url, f"day 3 call 06:30 -- {note}")

        shown = "".join(b.get("text", {}).get("text", "") for b in preview["blocks"])
        assert note.replace("&", "&amp;") in shown

    def test_a_script_note_too_long_is_refused(self, db: Database, events_url: str) -> None:
        before = counts(db)

        answer = script(events_url, f"new pages 12 -- {LONG_NOTE}")

        assert (
            f"note is {len(LONG_NOTE.strip()):,} characters; at most 2,000 fit. Shorten it"
            in answer
        )
        assert counts(db) == before

    @pytest.mark.parametrize(
        ("kind", "header", "row"),
        [
            ("calls", "date,who,call,note", "2026-10-19,Camera,-60,{note}"),
            (
                "schedule",
                "Date,Day,General Call,Notes",
                "2026-10-19,1,07:00,{note}",
            ),
        ],
    )
    def test_an_imported_note_too_long_refuses_the_file(
        self, db: Database, kind: str, header: str, row: str
    ) -> None:
        with db.readers.begin() as session:
            before = session.scalar(select(Production.schedule_version))
        data = f"{header}\n{row.format(note=LONG_NOTE.replace(',', ';'))}\n".encode()

        with db.transaction() as session:
            production = session.scalar(select(Production))
            with pytest.raises(ImportFailed) as refused:
                import_file(session, production=production, kind=kind, data=data)

        assert f"{len(LONG_NOTE.strip()):,} characters; at most 2,000 fit. Shorten it" in str(
            refused.value
        )
        with db.readers.begin() as session:
            assert session.scalar(select(Production.schedule_version)) == before


@pytest.mark.usefixtures("hollis")
def test_refusals_quote_a_short_excerpt(events_url: str) -> None:
    typed = "zzz-not-a-change " * 30

    answer = command(events_url, f"day 3 {typed}")

    assert isinstance(answer["text"], str)
    assert typed.strip() not in answer["text"]
    assert "zzz-not-a-change" in answer["text"]
    assert len(answer["text"]) < 700


def test_user_error_is_what_refusals_raise() -> None:
    assert issubclass(ImportFailed, UserError)


@pytest.mark.parametrize(
    ("timezone", "currency", "written", "order"),
    [
        ("Europe/London", "GBP", "£11,900.00", DateOrder.DAY_FIRST),
        ("Europe/Berlin", "EUR", "11.900,00\xa0€", DateOrder.DAY_FIRST),
        ("America/New_York", "USD", "$11,900.00", DateOrder.MONTH_FIRST),
        ("Australia/Sydney", "AUD", "$11,900.00", DateOrder.DAY_FIRST),
        ("UTC", "USD", "$11,900.00", DateOrder.DAY_FIRST),
    ],
)
def test_a_production_works_in_its_countrys_terms(
    db: Database, timezone: str, currency: str, written: str, order: DateOrder
) -> None:
    """Its currency, money as its country writes it, and `11/24` read as its people mean it."""
    with db.transaction() as session:
        production = create_production(
            session,
            team_id="T0CREW001",
            name="Somewhere",
            slug="somewhere",
            timezone=timezone,
            channel="C0SOMEWHERE",
            coordinators=["U0COORD001"],
        )
        assert production.currency == currency
        assert production.date_order == order
    assert money_text(1_190_000, currency, locale=money_locale(timezone)) == written


def test_a_currency_given_at_creation_is_kept_and_checked(db: Database) -> None:
    fields = {
        "team_id": "T0CREW001",
        "name": "Somewhere",
        "timezone": "Europe/London",
        "channel": "C0SOMEWHERE",
        "coordinators": ["U0COORD001"],
    }
    with db.transaction() as session:
        production = create_production(session, slug="chosen", currency="eur", **fields)
        assert production.currency == "EUR"
        with pytest.raises(UserError, match="not a currency code"):
            create_production(session, slug="made-up", currency="XYZ", **fields)


# -- 300 crew in 12 departments (issue 23): every kind of message within Block Kit's limits,
# and nobody dropped from a list without saying so.

BIG_DEPARTMENTS = [
    "Production", "Camera", "Grip", "Electric", "Sound", "Art", "Costume",
    "Hair & Make-up", "Locations", "Transport", "Stunts", "Visual Effects",
]  # fmt: skip
BIG_COORDINATOR = "U0BIG00000"


def big_name(n: int) -> str:
    return f"Alexandra-Konstantina Vandermeer-Oyelaran {n:03d}"


def _scenes(day: int) -> str:
    return "; ".join(f"{day * 30 + s}|INT. SET {s}|D|1 3/8" for s in range(30))


def big_production(db: Database) -> None:
    """300 crew with long names in 12 departments; a head in each; two shoot days."""
    crew = ["Name,Slack ID,Email,Department,Position,Role"]
    for n in range(300):
        role = "coordinator" if n == 0 else ("head" if n < len(BIG_DEPARTMENTS) else "crew")
        department = BIG_DEPARTMENTS[n % len(BIG_DEPARTMENTS)]
        crew.append(f"{big_name(n)},U0BIG{n:05d},b{n}@big.example,{department},Crew,{role}")
    schedule = (
        "Date,Day,General Call,Shooting Call,Wrap,Location,Address,Parking,Hospital,Scenes\n"
        + "".join(
            f'2026-11-{24 + k},{k + 1},07:00,08:00,19:00,Harbour,"1 Quay Road","Level 2",'
            f'"General Hospital","{_scenes(k)}"\n'
            for k in range(2)
        )
    )
    calls = (
        "date,who,call,note\n"
        + "".join(
            f"2026-11-24,{department},-{15 * (i % 6)},pickup 05:15 at the Harbour Hotel, bay {i}\n"
            for i, department in enumerate(BIG_DEPARTMENTS)
        )
        + "".join(f"2026-11-24,U0BIG{n:05d},05:{n % 60:02d},own call\n" for n in range(12, 300, 5))
    )
    with db.transaction() as session:
        production = create_production(
            session,
            team_id="T0CREW001",
            name="Big Harbour",
            slug="big",
            timezone="Europe/London",
            channel="C0BIGCREW1",
            coordinators=[BIG_COORDINATOR],
        )
        for kind, text in (("crew", "\n".join(crew)), ("schedule", schedule), ("calls", calls)):
            import_file(session, production=production, kind=kind, data=text.encode())


@pytest.mark.heavy
def test_every_message_for_300_crew_stays_within_slacks_limits(
    db: Database, slack: FakeSlack, events_url: str, clock: FakeClock
) -> None:
    big_production(db)
    for n in range(300):
        slack.add_user(f"U0BIG{n:05d}", tz="Europe/London")
    evening = dt.datetime(2026, 11, 23, 18, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    clock.now = evening.astimezone(dt.UTC)
    member = "U0BIG00150"

    def ask(name: str, text: str, user: str = BIG_COORDINATOR) -> dict:
        reply = send_signed(
            events_url, slash_command(name, text, user_id=user, channel_id="C0BIGCREW1")
        )
        assert reply.status == 200
        return reply.json()

    answers = {
        "calltime": ask("/calltime", "tomorrow", member),
        "calltime-department": ask("/calltime", "tomorrow camera"),
        "callsheet": ask("/callsheet", "tomorrow", member),
        "preview": ask("/schedule-change", "tue call 06:30 --urgent -- rain cover"),
    }
    Planner(db).run(now=clock.now)
    settle(db, slack, clock.now)
    change_id = int(
        next(b for b in answers["preview"]["blocks"] if b["type"] == "actions")["elements"][0][
            "value"
        ]
    )
    send_signed(
        events_url,
        block_action(
            "schedule_change_send",
            str(change_id),
            user_id=BIG_COORDINATOR,
            channel_id="C0BIGCREW1",
            response_url=slack.response_url("send"),
        ),
    )
    settle(db, slack, clock.now)
    with db.readers.begin() as session:
        change = session.scalar(
            select(func.max(Notice.id)).where(Notice.kind == NoticeKind.SCHEDULE_CHANGE)
        )
    answers["acks"] = ask("/acks", str(change))
    answers["acks-all"] = ask("/acks", f"{change} all")
    for minutes in range(60, 300, 60):
        nudges_at(db, slack, clock.now + dt.timedelta(minutes=minutes))

    for kind, answer in answers.items():
        assert "blocks" in answer, (kind, answer)
        validate_blocks(answer["blocks"], limit=50)
    posted = slack.posted()
    kinds = {m["text"].split(" · ")[0].split(":")[0] for m in posted}
    # The call sheets went out, then the change replaced them ("Out of date: Call sheet ...").
    assert {"Out of date", "Schedule change", "Reminder 3 of 3", "Not acknowledged"} <= kinds
    for message in posted:  # the stand-in refuses what Slack would: none was refused
        validate_blocks(message["blocks"], limit=50)
    with db.readers.begin() as session:  # Slack took every post: none failed
        statuses = set(session.scalars(select(Delivery.status)))
    assert DeliveryStatus.FAILED not in statuses
    home = send_signed(events_url, home_opened(member, event_id="EvBIGHOME"))
    assert home.status == 200
    validate_view(slack.calls_to("views.publish")[-1].params["view"])
    # Nobody left off a list without a word: every name, or a count of those not shown.
    everyone = shown(answers["acks-all"])
    escalated = next(
        m for m in slack.posted(dm_of(BIG_COORDINATOR)) if "Not acknowledged" in m["text"]
    )
    for listing in (everyone, json.dumps(escalated["blocks"])):
        missing = [n for n in range(1, 300) if big_name(n) not in listing]
        assert not missing or " more" in listing, missing[:5]


def test_a_list_longer_than_a_section_says_how_many_it_leaves_out() -> None:
    names = [big_name(n) for n in range(200)]

    line = names_line("*Camera* (200 of 200): ", names)

    assert len(line) <= 3000
    shown_names = [name for name in names if name in line]
    assert line.endswith(f" and {len(names) - len(shown_names)} more")
    assert shown_names == names[: len(shown_names)]
