"""`crewcall import ics`: schedules from Google-, Outlook- and Apple-shaped calendars, and
from Crewcall's own production feed; malformed files refused whole, with nothing changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.config import Settings
from bot.console.slack import FakeSlack
from bot.imports.csvfile import ImportFailed
from bot.imports.run import import_file
from bot.storage.db import Database
from bot.storage.models import Production, ShootDay
from tests.hollis import FIRST_AC, import_hollis, new_production
from tests.test_calendar import calendar, fetch, secret_sent

ICS = Path(__file__).with_name("fixtures") / "ics"
VENDORS = ("google", "outlook", "apple")
DAY_FIELDS = (
    "date",
    "day_number",
    "general_call",
    "shooting_call",
    "wrap",
    "location_name",
    "address",
    "parking",
    "hospital",
    "notes",
)
MARSH = "Marsh Lane Studios", "4 Marsh Lane, Reading RG1 8AA, UK"
WOOD = "Whitley Wood", "Basingstoke Road, Reading RG2 0JA, UK"
PARKING, HOSPITAL = "Lay-by on Marsh Lane", "Royal Berkshire Hospital, London Road"
# What each vendor's file says, in the production's (London) wall-clock minutes.
EXPECTED = [
    (dt.date(2026, 10, 23), 1, 7 * 60, 8 * 60, 19 * 60, *MARSH, PARKING, HOSPITAL, ""),
    # Night shoot: wrap 05:00 the next morning, after the clocks went back.
    (
        dt.date(2026, 10, 24),
        2,
        18 * 60,
        19 * 60,
        29 * 60,
        *MARSH,
        PARKING,
        HOSPITAL,
        "Night shoot.",
    ),
    (dt.date(2026, 10, 26), 3, 7 * 60, None, 19 * 60, *WOOD, "", "", "Bring wet weather gear."),
    # All-day, with its calls in the description.
    (dt.date(2026, 10, 27), 4, 7 * 60 + 30, None, 19 * 60 + 30, *WOOD, "", "", ""),
]


def production(db: Database, *, slug: str = "marsh", timezone: str = "Europe/London") -> None:
    with db.transaction() as session:
        made = new_production(
            session,
            name=f"Marsh Lane {slug}",
            slug=slug,
            channel=f"C0ML{slug.upper()}01",
            coordinator="U0ML00001",
        )
        made.timezone = timezone


def days(db: Database, slug: str = "marsh") -> list[tuple]:
    with db.readers() as session:
        rows = session.scalars(
            select(ShootDay).join(Production).where(Production.slug == slug).order_by(ShootDay.date)
        )
        return [tuple(getattr(day, name) for name in DAY_FIELDS) for day in rows]


def import_ics(db: Database, data: bytes, slug: str = "marsh") -> str:
    with db.transaction() as session:
        target = session.scalar(select(Production).where(Production.slug == slug))
        return import_file(session, production=target, kind="ics", data=data).summary()


def refused(db: Database, data: bytes) -> str:
    before = days(db)
    with pytest.raises(ImportFailed) as failed:
        import_ics(db, data)
    assert days(db) == before
    return str(failed.value)


@pytest.mark.parametrize("vendor", VENDORS)
def test_each_vendors_calendar_gives_the_same_days(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, vendor: str
) -> None:
    production(db)
    monkeypatch.setenv("DATABASE_URL", db.url)

    code = main(["import", "ics", str(ICS / f"{vendor}.ics"), "--production", "marsh"])

    out = capsys.readouterr().out
    assert code == 0
    assert "Imported shoot days: 4 added, 0 updated, 0 unchanged." in out
    assert "is cancelled, so it was left out" in out
    assert days(db) == EXPECTED


@pytest.mark.parametrize("vendor", VENDORS)
def test_importing_the_same_file_again_changes_nothing(db: Database, vendor: str) -> None:
    production(db)
    data = (ICS / f"{vendor}.ics").read_bytes()
    import_ics(db, data)

    again = import_ics(db, data)

    assert "Imported shoot days: 0 added, 0 updated, 4 unchanged." in again
    assert days(db) == EXPECTED


def test_apples_structured_location_gives_the_coordinates(db: Database) -> None:
    production(db)
    import_ics(db, (ICS / "apple.ics").read_bytes())

    with db.readers() as session:
        day = session.scalar(select(ShootDay).where(ShootDay.date == dt.date(2026, 10, 23)))
        assert (day.latitude, day.longitude) == (51.4545, -0.9781)


def test_times_land_in_the_productions_own_zone(db: Database) -> None:
    """Outlook's `GMT Standard Time` (defined by the file) read by a New York production."""
    production(db, slug="nyc", timezone="America/New_York")

    import_ics(db, (ICS / "outlook.ics").read_bytes(), slug="nyc")

    by_date = {row[0]: row for row in days(db, "nyc")}
    # 07:00 in London is 02:00 in New York; once London's clocks go back (a week before
    # New York's), 03:00.
    assert by_date[dt.date(2026, 10, 23)][2] == 2 * 60
    assert by_date[dt.date(2026, 10, 26)][2] == 3 * 60
    # The night shoot's 05:00 GMT wrap is 01:00 EDT, the next morning.
    assert by_date[dt.date(2026, 10, 24)][4] == 25 * 60


def test_updates_change_only_what_the_file_gives(db: Database) -> None:
    production(db)
    import_ics(db, (ICS / "google.ics").read_bytes())
    with db.transaction() as session:
        day = session.scalar(select(ShootDay).where(ShootDay.date == dt.date(2026, 10, 26)))
        day.parking = "Car park by the gate"
    moved = (ICS / "google.ics").read_bytes().replace(b"20261026T070000Z", b"20261026T063000Z")

    report = import_ics(db, moved)

    assert "0 added, 1 updated, 3 unchanged" in report
    with db.readers() as session:
        day = session.scalar(select(ShootDay).where(ShootDay.date == dt.date(2026, 10, 26)))
        assert (day.general_call, day.parking) == (6 * 60 + 30, "Car park by the gate")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"public_url": "https://crew.example.com"})


def test_crewcalls_own_production_feed_imports_as_the_same_schedule(
    db: Database, bot: str, events_url: str, slack: FakeSlack
) -> None:
    import_hollis(db)
    production(db, slug="copy")
    calendar(events_url, "production", user=FIRST_AC)
    feed = fetch(bot, secret_sent(slack, FIRST_AC)).body

    report = import_ics(db, feed, slug="copy")

    assert "Imported shoot days: 22 added" in report
    assert days(db, "copy") == days(db, "hollis")
    assert coordinates(db, "copy") == coordinates(db, "hollis")


def coordinates(db: Database, slug: str) -> list[tuple]:
    with db.readers() as session:
        rows = session.scalars(
            select(ShootDay).join(Production).where(Production.slug == slug).order_by(ShootDay.date)
        )
        return [(day.date, day.latitude, day.longitude) for day in rows]


def event(*lines: str, start: str = "DTSTART:20261023T060000Z") -> str:
    body = "\r\n".join(["BEGIN:VEVENT", "UID:x@test", start, *lines, "END:VEVENT"])
    return body


def calendar_of(*events: str) -> bytes:
    return "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *events, "END:VCALENDAR", ""]
    ).encode()


GOOD = event("DTEND:20261023T180000Z", "SUMMARY:Day 1")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"date,day,general_call\n2026-10-23,1,07:00\n", "not an iCalendar (.ics) file"),
        (b"BEGIN:VCALENDAR\r\nthis line has no colon\r\nEND:VCALENDAR\r\n", "could not be read"),
        (calendar_of(), "has no events (VEVENT)"),
        (calendar_of(event("SUMMARY:Day 1", start="X-START:soon")), "no start date (DTSTART)"),
        (
            calendar_of(event("SUMMARY:Day 1", start="DTSTART:2026XX")),
            "its start date (DTSTART) `2026XX` is not a date or a time",
        ),
        (
            calendar_of(event("RRULE:FREQ=DAILY;COUNT=5", "SUMMARY:Day 1")),
            'event 1 ("Day 1", 2026-10-23): it repeats (RRULE)',
        ),
        (
            calendar_of(event("SUMMARY:Day 1", start="DTSTART;TZID=Mars/Olympus:20261023T070000")),
            "time zone `Mars/Olympus` is not known",
        ),
        (
            calendar_of(event("SUMMARY:Day 1", start="DTSTART;VALUE=DATE:20261023")),
            "all-day event with no general call; write `General call: 07:00`",
        ),
        (
            calendar_of(
                event(
                    "DTEND;VALUE=DATE:20261026",
                    "DESCRIPTION:General call: 07:00",
                    start="DTSTART;VALUE=DATE:20261023",
                )
            ),
            "it lasts 3 days",
        ),
        (calendar_of(event("DTEND:20261023T050000Z")), "it ends (DTEND) before it starts"),
        (calendar_of(event("DTEND:20261026T050000Z")), "it lasts into a third day"),
        (calendar_of(event("DTEND;VALUE=DATE:20261024")), "starts at a time but ends on a date"),
        (
            calendar_of(event("DESCRIPTION:Shooting call: after lunch")),
            "`Shooting call: after lunch` in its description is not a time",
        ),
        (calendar_of(event("GEO:95.0;10.0")), "are not on Earth"),
        (calendar_of(event("GEO:north")), "its GEO `north` is not latitude;longitude"),
        (calendar_of(GOOD, event("SUMMARY:Day 1 again")), "is already event 1"),
        (calendar_of(event("STATUS:CANCELLED")), "every event in the file is cancelled"),
    ],
)
def test_malformed_files_are_refused_whole(db: Database, data: bytes, expected: str) -> None:
    production(db)
    import_ics(db, calendar_of(event("DTEND:20261020T180000Z", start="DTSTART:20261020T060000Z")))

    message = refused(db, data)

    assert message.startswith("Nothing was imported:")
    assert expected in message


def test_every_bad_event_is_named_at_once_and_good_ones_are_not_saved(db: Database) -> None:
    production(db)
    data = calendar_of(
        GOOD,
        event("RRULE:FREQ=WEEKLY", "SUMMARY:Day 2", start="DTSTART:20261030T060000Z"),
        event("SUMMARY:Day 3", start="DTSTART;VALUE=DATE:20261031"),
    )

    message = refused(db, data)

    assert 'event 2 ("Day 2", 2026-10-30)' in message
    assert 'event 3 ("Day 3", 2026-10-31)' in message
    with db.readers() as session:
        assert session.scalar(select(func.count()).select_from(ShootDay)) == 0


def test_the_cli_refuses_a_bad_file_with_exit_2(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    production(db)
    monkeypatch.setenv("DATABASE_URL", db.url)
    bad = tmp_path / "bad.ics"
    bad.write_bytes(calendar_of(event("SUMMARY:Day 1", start="DTSTART;VALUE=DATE:20261023")))

    assert main(["import", "ics", str(bad), "--production", "marsh"]) == 2

    assert "all-day event with no general call" in capsys.readouterr().err
    assert days(db) == []


LOS_ANGELES = "\r\n".join(
    [
        "BEGIN:VTIMEZONE", "TZID:America/Los_Angeles",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:-0800", "TZOFFSETTO:-0700", "TZNAME:PDT",
        "DTSTART:19700308T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:-0700", "TZOFFSETTO:-0800", "TZNAME:PST",
        "DTSTART:19701101T020000", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]
)  # fmt: skip


def calendar_in_los_angeles(*events: str, named: bool) -> bytes:
    """A calendar written in Los Angeles (its VTIMEZONE), naming its zone or not."""
    head = ["X-WR-TIMEZONE:America/Los_Angeles"] if named else []
    return calendar_of(*head, LOS_ANGELES, *events)


def _general_and_wrap(db: Database) -> list[tuple[dt.date, int, int]]:
    with db.readers() as session:
        return [(d.date, d.general_call, d.wrap) for d in session.scalars(select(ShootDay))]


@pytest.mark.parametrize("named", [True, False])
@pytest.mark.parametrize(
    "end",
    ["DURATION:PT10H", "DTEND;TZID=America/Los_Angeles:20270630T160000", "DTEND:20270630T230000Z"],
)
def test_an_event_in_another_zone_ends_when_it_ends_whatever_the_calendar_names(
    db: Database, named: bool, end: str
) -> None:
    """06:00 to 16:00 in Los Angeles is 14:00 to midnight in London. Its end was once
    taken from the London start and read again as Los Angeles time: 8 hours late."""
    production(db)
    data = calendar_in_los_angeles(
        event(end, "SUMMARY:Day 1", start="DTSTART;TZID=America/Los_Angeles:20270630T060000"),
        named=named,
    )

    import_ics(db, data)

    assert _general_and_wrap(db) == [(dt.date(2027, 6, 30), 14 * 60, 24 * 60)]


def test_a_duration_in_hours_is_exact_across_a_clock_change(db: Database) -> None:
    """Ten hours from 20:00 on the night Los Angeles springs forward end at 07:00 there
    (not 06:00): 04:00 to 14:00 in London, still on GMT."""
    production(db)
    data = calendar_in_los_angeles(
        event(
            "DURATION:PT10H",
            "SUMMARY:Day 1",
            start="DTSTART;TZID=America/Los_Angeles:20270313T200000",
        ),
        named=True,
    )

    import_ics(db, data)

    assert _general_and_wrap(db) == [(dt.date(2027, 3, 14), 4 * 60, 14 * 60)]
