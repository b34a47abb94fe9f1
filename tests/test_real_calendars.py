"""Calendars as they come: the public corpus of ~500 test calendars, and the shapes coordinators
send (all-day starts with timed ends, Windows-1252, Exchange's empty zone, several calendars
in one file, `Wrap: TBC`, commas in place names, floating times with X-WR-TIMEZONE)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from pathlib import Path

import pytest
import vobject
from sqlalchemy import select

from bot.console.slack import FakeSlack
from bot.imports.csvfile import ImportFailed
from bot.imports.run import import_file
from bot.storage.db import Database
from bot.storage.models import Production, ShootDay
from tests.hollis import import_hollis
from tests.test_import_ics import production
from tests.test_uploads import share

FIXTURES = Path(__file__).with_name("fixtures")
REAL = FIXTURES / "ics" / "real"
CORPUS = sorted((FIXTURES / "corpus" / "ics").rglob("*.ics"))
LONDON = zoneinfo.ZoneInfo("Europe/London")
# What a refusal may never show: a traceback, the library's words, or bytes.
RAW = re.compile(
    r"Traceback|vDDDTypes|vText|Parameters\(|b'|\\x[0-9a-f]{2}|Error\b|"
    r"Found (no|multiple) components|Wrong datetime|Content line|Expected datetime"
)


def shoot_days(session) -> list[ShootDay]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(ShootDay).order_by(ShootDay.date)))


# file: (what the report says, [(date, general call, wrap, location, address, parking)])
EXPECTED = {
    "allday_with_timed_end.ics": (
        "1 added",
        [(dt.date(2026, 10, 23), "07:00", "19:00", "Marsh Lane Studios", "", "")],
    ),
    "windows_1252.ics": (
        "read as Windows-1252",
        [
            (
                dt.date(2026, 10, 24),
                "07:00",
                "19:00",
                "Château de Vincennes",
                "",
                "Allée des Marronniers",
            )
        ],
    ),
    # Exchange's zone with no name and a +0000 offset: 07:00 UTC is 07:00 GMT on 26 Oct.
    "exchange_empty_vtimezone.ics": (
        "1 added",
        [(dt.date(2026, 10, 26), "07:00", "19:00", "Whitley Wood", "", "")],
    ),
    "two_calendars.ics": (
        "2 added",
        [
            (dt.date(2026, 10, 23), "07:00", "19:00", "", "", ""),
            (dt.date(2026, 10, 24), "18:00", "05:00", "", "", ""),
        ],
    ),
    "wrap_tbc.ics": (
        "its wrap is `TBC`, so it was left unset",
        [(dt.date(2026, 10, 23), "07:00", None, "", "", "")],
    ),
    "location_with_a_comma.ics": (
        "1 added",
        [
            (
                dt.date(2026, 10, 27),
                "06:30",
                "18:30",
                "Smith, Jones & Co. Warehouse",
                "12 Dock Road, Reading RG1 1AA",
                "In the yard",
            )
        ],
    ),
    # Floating 07:00 in a New York calendar is 12:00 in London on 23 Oct.
    "floating_with_x_wr_timezone.ics": (
        "1 added",
        [(dt.date(2026, 10, 23), "12:00", "00:00", "", "", "")],
    ),
}


def clock(minutes: int | None) -> str | None:
    return None if minutes is None else f"{minutes % 1440 // 60:02d}:{minutes % 60:02d}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_calendars_as_coordinators_send_them(db: Database, name: str) -> None:
    production(db)
    said, expected = EXPECTED[name]
    data = (REAL / name).read_bytes()
    with db.transaction() as session:
        target = session.scalar(select(Production))
        report = import_file(session, production=target, kind="ics", data=data).summary()
    with db.readers() as session:
        found = [
            (d.date, clock(d.general_call), clock(d.wrap), d.location_name, d.address, d.parking)
            for d in shoot_days(session)
        ]

    assert said in report
    assert found == expected
    with db.transaction() as session:  # the same file again changes nothing
        target = session.scalar(select(Production))
        again = import_file(session, production=target, kind="ics", data=data).summary()
    assert "0 added, 0 updated" in again


def test_an_all_day_start_with_a_timed_end_weeks_later_is_refused_not_a_crash(
    db: Database,
) -> None:
    production(db)
    [mixed] = [p for p in CORPUS if p.name.endswith("issue_201_mixed_datetime_and_date.ics")]

    with pytest.raises(ImportFailed) as refused, db.transaction() as session:
        import_file(session, production=session.scalar(select(Production)), kind="ics",
                    data=mixed.read_bytes())  # fmt: skip

    assert str(refused.value) == (
        "Nothing was imported:\n"
        '- event 1 ("Congés", 2023-07-24): it lasts 24 days; give each shoot day its own event'
    )


@pytest.mark.heavy
def test_the_whole_public_corpus_imports_or_is_refused_in_words(db: Database) -> None:
    """Every file: a correct import, or a short refusal naming events and reasons."""
    production(db)
    imported, refused, checked = 0, 0, 0
    for path in CORPUS:
        data = path.read_bytes()
        try:
            with db.transaction() as session:
                target = session.scalar(select(Production))
                import_file(session, production=target, kind="ics", data=data)
                days = {d.date: d.general_call for d in shoot_days(session)}
                session.rollback()
        except ImportFailed as failed:
            refused += 1
            _check_refusal(path, str(failed))
            continue
        imported += 1
        checked += _check_times(path, data, days)

    assert imported + refused == len(CORPUS) == 499
    assert imported >= 100, imported
    assert checked >= 50, checked


def _check_refusal(path: Path, message: str) -> None:
    lines = message.splitlines()
    assert lines[0] == "Nothing was imported:", (path.name, message)
    assert 2 <= len(lines) <= 8, (path.name, message)
    assert all(len(line) <= 400 for line in lines), (path.name, message)
    assert not RAW.search(message), (path.name, message)


def _check_times(path: Path, data: bytes, days: dict[dt.date, int]) -> int:
    """Timed events, read by vobject (not the importer's library): each starts at its day's
    general call in London. How many were checked (0 when vobject cannot read the file).

    A time in a zone the IANA database names is read by the IANA database, as the importer
    does: a file's own VTIMEZONE written in 2003 says nothing true of 2007's clocks."""
    try:
        calendars = list(vobject.readComponents(data.decode("utf-8")))
    except Exception:
        return 0
    checked = 0
    for calendar in calendars:
        for event in getattr(calendar, "vevent_list", []):
            start = event.dtstart.value
            if not isinstance(start, dt.datetime) or start.tzinfo is None:
                continue
            if getattr(event, "status", None) and event.status.value.upper() == "CANCELLED":
                continue
            local = _iana(event.dtstart, start).astimezone(LONDON)
            assert days.get(local.date()) == local.hour * 60 + local.minute, (path.name, local)
            checked += 1
    return checked


def _iana(prop, start: dt.datetime) -> dt.datetime:  # type: ignore[no-untyped-def]
    """The start in the IANA zone its TZID names (after any vendor prefix), if it names one."""
    params = prop.params
    tzid = str((params.get("TZID") or params.get("X-VOBJ-ORIGINAL-TZID") or [""])[0])
    name = "/".join(tzid.split("/")[-2:]) if tzid.startswith("/") else tzid
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return start
    return start.replace(tzinfo=None).replace(tzinfo=zone)


def test_sent_as_a_dm_each_real_calendar_gets_a_preview_not_an_error(
    db: Database, events_url: str, slack: FakeSlack
) -> None:
    import_hollis(db)
    for name in sorted(EXPECTED):
        posted = share(events_url, slack, name, (REAL / name).read_bytes())
        text = json.dumps([m["blocks"] for m in posted], ensure_ascii=False)
        assert "Would import shoot days" in text, (name, text)
