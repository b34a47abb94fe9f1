"""Spreadsheets as coordinators export them: European Excel (semicolons, decimal commas,
Windows-1252), Excel's `sep=` line and "Unicode text", headers as people name them, times
with seconds, dates with month names, titles above the header, plain scene numbers; and
the files that still cannot be read, refused saying what they look like."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.imports.csvfile import ImportFailed
from bot.imports.run import import_file
from bot.storage.db import Database
from bot.storage.models import CrewMember, Production, ShootDay
from tests.test_import_ics import production

CSV = Path(__file__).with_name("fixtures") / "csv"


def imported(db: Database, kind: str, name: str) -> str:
    with db.transaction() as session:
        target = session.scalar(select(Production))
        data = (CSV / name).read_bytes()
        return import_file(session, production=target, kind=kind, data=data).summary()


def refused(db: Database, kind: str, name: str) -> str:
    with pytest.raises(ImportFailed) as failed:
        imported(db, kind, name)
    return str(failed.value)


def test_a_european_excel_schedule(db: Database) -> None:
    production(db)

    report = imported(db, "schedule", "schedule_excel_europe.csv")

    assert report.startswith("Imported shoot days: 3 added, 0 updated, 0 unchanged.")
    assert "The file was read as Windows-1252 text: Château Marsh, Whitley Wood." in report
    assert "Its columns are separated by semicolons." in report
    assert "The 2 lines above the header row were skipped." in report
    with db.readers() as session:
        days = session.scalars(select(ShootDay).order_by(ShootDay.date)).all()
        first, night, third = days
        assert (first.date, first.day_number, first.general_call) == (dt.date(2026, 10, 23), 1, 420)
        assert (first.shooting_call, first.wrap) == (480, 1140)
        assert (first.location_name, first.notes) == ("Château Marsh", "Café on set")
        assert (first.latitude, first.longitude) == (51.4545, -0.9781)
        assert first.hospital == "Royal Berkshire"
        assert [s.number for s in first.scenes] == ["57", "58A"]
        assert night.wrap == 29 * 60  # 05:00 the next morning
        assert [s.number for s in night.scenes] == ["59"]
        assert [s.number for s in third.scenes] == ["57", "58A", "59"]
    assert "0 added, 0 updated, 3 unchanged" in imported(
        db, "schedule", "schedule_excel_europe.csv"
    )


def test_excels_sep_line_and_header_names_and_what_was_not_used(db: Database) -> None:
    production(db)

    report = imported(db, "crew", "crew_excel_sep_line.csv")

    assert report.startswith("Imported crew: 2 added")
    assert "Not used, as crew.csv has no such column: `Dietary`." in report
    with db.readers() as session:
        ana = session.scalar(select(CrewMember).where(CrewMember.name == "Ana Lima"))
        assert (ana.email, ana.slack_user_id, ana.position) == (
            "ana@marsh.example",
            "U0ANA0001",
            "1st AC",
        )
        assert (ana.department.name, ana.phone) == ("Camera", "+44 7700 900101")


def test_excels_unicode_text_is_utf16_with_tabs(db: Database) -> None:
    production(db)

    report = imported(db, "crew", "crew_excel_unicode_text.txt")

    assert "The file was read as UTF-16 text: Zoë Brannagh, Søren Ødegaard." in report
    assert "Its columns are separated by tabs." in report
    with db.readers() as session:
        names = set(session.scalars(select(CrewMember.name)))
    assert {"Zoë Brannagh", "Søren Ødegaard"} <= names


def test_excels_numbers_for_dates_are_read_as_dates(db: Database) -> None:
    production(db)

    report = imported(db, "schedule", "schedule_excel_date_serials.csv")

    assert "(46318 is Fri 23 Oct 2026)" in report
    with db.readers() as session:
        dates = list(session.scalars(select(ShootDay.date).order_by(ShootDay.date)))
    assert dates == [dt.date(2026, 10, 23) + dt.timedelta(days=n) for n in range(6)]


def test_calls_with_month_names_and_times_with_seconds(db: Database) -> None:
    production(db)
    imported(db, "schedule", "schedule_excel_europe.csv")
    imported(db, "crew", "crew_excel_sep_line.csv")

    report = imported(db, "calls", "calls_named_months.csv")

    assert report.startswith("Imported calls: 3 added")


def test_plain_and_detailed_scenes_in_one_file(db: Database) -> None:
    production(db)

    imported(db, "schedule", "schedule_scenes_mixed.csv")

    with db.readers() as session:
        first, second = session.scalars(select(ShootDay).order_by(ShootDay.date)).all()
        assert [(s.number, s.set_name, s.eighths) for s in first.scenes] == [
            ("57", "", 0),
            ("58A", "", 0),
            ("12", "INT. KITCHEN", 11),
        ]
        assert [(s.number, s.day_night, s.eighths) for s in second.scenes] == [
            ("12", "N", 4),
            ("14", "N", 8),
        ]


@pytest.mark.parametrize(
    ("kind", "name", "said"),
    [
        (
            "schedule",
            "schedule_times_as_words.csv",
            "- row 2, column general_call: `about 7` is not a time; write a time like 06:30, "
            "6:30am or 18:00.\n"
            "- row 3, column general_call: `about 7` is not a time; write a time like 06:30, "
            "6:30am or 18:00.\n"
            "- row 4, column general_call: `about 7` is not a time; write a time like 06:30, "
            "6:30am or 18:00.\n"
            "- column general_call: the same on 3 more rows",
        ),
        ("crew", "crew_workbook.xlsx", "this is a zip archive, such as an Excel workbook"),
        (
            "crew",
            "budget.csv",
            "this does not read as crew.csv: its first row has 2 columns (`line`, `amount`), "
            "separated by semicolons",
        ),
    ],
)
def test_files_that_still_cannot_be_read_say_what_they_look_like(
    db: Database, kind: str, name: str, said: str
) -> None:
    production(db)

    message = refused(db, kind, name)

    assert said in message
    with db.readers() as session:
        assert session.scalar(select(ShootDay)) is None


def test_columns_a_file_leaves_out_are_left_as_they_are(db: Database) -> None:
    production(db)
    imported(db, "schedule", "schedule_excel_europe.csv")
    with db.transaction() as session:
        target = session.scalar(select(Production))
        data = b"date,general_call\n2026-10-23,07:30\n"
        report = import_file(session, production=target, kind="schedule", data=data).summary()

    assert "0 added, 1 updated" in report
    with db.readers() as session:
        day = session.scalar(select(ShootDay).where(ShootDay.date == dt.date(2026, 10, 23)))
        assert (day.general_call, day.day_number, day.location_name) == (450, 1, "Château Marsh")
        assert (day.wrap, day.latitude) == (1140, 51.4545)
        assert [s.number for s in day.scenes] == ["57", "58A"]
