"""Spreadsheets saved by Excel in a Windows code page, short ones too: read in the
production's own code page first, detection only after it, and a reading no name would
have refused rather than stored. Each file here is the bytes Excel's plain "CSV" writes
(its code page, semicolons in Europe, CRLF); each case was once read wrongly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.console.slack import FakeSlack
from bot.imports.csvfile import ImportFailed
from bot.imports.run import import_file
from bot.imports.text import NotText, decode, odd_in
from bot.storage.db import Database
from bot.storage.models import CrewMember, Production, ShootDay
from tests.hollis import import_hollis
from tests.test_import_ics import production
from tests.test_uploads import share

WORDS = ["José Müller", "Søren Ødegård", "Zoë Ångström", "Carla Núñez", "François Dubois"]


def excel_csv(rows: list[list[str]], *, code_page: str, separator: str = ";") -> bytes:
    """What Excel's "CSV" writes: the code page's bytes, rows ending CRLF."""
    return "".join(separator.join(row) + "\r\n" for row in rows).encode(code_page)


def crew_file(names: list[str], *, code_page: str = "cp1252", separator: str = ";") -> bytes:
    header = ["name", "email", "department"]
    rows = [[name, f"person{n}@example.com", "Camera"] for n, name in enumerate(names)]
    return excel_csv([header, *rows], code_page=code_page, separator=separator)


def crew_named(db: Database) -> set[str]:
    with db.readers() as session:
        return set(session.scalars(select(CrewMember.name).where(CrewMember.name != "")))


def imported(db: Database, kind: str, data: bytes, *, slug: str = "marsh") -> str:
    with db.transaction() as session:
        target = session.scalar(select(Production).where(Production.slug == slug))
        return import_file(session, production=target, kind=kind, data=data).summary()


@pytest.mark.parametrize(
    "names",
    [
        ["José Müller", "Søren Ødegård"],  # two rows: once read as Windows-775
        ["Søren Ødegård", *[f"Crew Member {n}" for n in range(9)]],  # ten: as Windows-1250
        ["Zoë Ångström", "Amélie Laurent", *[f"Crew Member {n}" for n in range(5)]],  # seven
    ],
)
def test_a_windows_1252_crew_file_in_a_western_production_reads_right(
    db: Database, names: list[str]
) -> None:
    production(db)

    report = imported(db, "crew", crew_file(names))

    assert crew_named(db) == set(names)
    shown = ", ".join(sorted(dict.fromkeys(names), key=str.isascii)[:3])
    assert f"The file was read as Windows-1252 text: {shown}." in report


def test_a_one_row_calls_file_names_its_person_as_typed(db: Database) -> None:
    production(db)
    imported(db, "crew", crew_file(["Carla Núñez"]))
    imported(db, "schedule", excel_csv([["date", "general_call"], ["2026-10-19", "07:00"]],
                                       code_page="cp1252"))  # fmt: skip

    report = imported(
        db, "calls", excel_csv([["date", "who", "call"], ["2026-10-19", "Carla Núñez", "06:00"]],
                               code_page="cp1252"),
    )  # fmt: skip

    assert "1 added" in report
    assert "Carla Núñez" in report


def test_a_windows_1252_schedule_keeps_its_accents(db: Database) -> None:
    production(db)
    rows = [["date", "general_call", "location", "notes"],
            ["2026-10-19", "07:00", "Café de Flore", "Déjà vu scene"]]  # fmt: skip

    imported(db, "schedule", excel_csv(rows, code_page="cp1252"))

    with db.readers() as session:
        day = session.scalar(select(ShootDay))
        assert (day.location_name, day.notes) == ("Café de Flore", "Déjà vu scene")


def test_a_polish_production_reads_its_own_code_page(db: Database) -> None:
    production(db, slug="warsaw", timezone="Europe/Warsaw")
    names = ["Paweł Żółkiewski", "Michał Łęcki"]

    report = imported(db, "crew", crew_file(names, code_page="cp1250"), slug="warsaw")

    assert crew_named(db) == set(names)
    assert "The file was read as Windows-1250 text: Paweł Żółkiewski, Michał Łęcki." in report


def test_utf8_with_and_without_a_bom_and_utf16_come_first(db: Database) -> None:
    production(db, slug="warsaw", timezone="Europe/Warsaw")
    text = "name;email;department\r\nJosé Müller;jose@example.com;Camera\r\n"
    for data, encoding in (
        (text.encode("utf-8"), "UTF-8"),
        (text.encode("utf-8-sig"), "UTF-8"),
        (text.encode("utf-16"), "UTF-16"),
    ):
        assert decode(data, save_as="", code_page="cp1250").encoding == encoding
        report = imported(db, "crew", data, slug="warsaw")
        assert f"The file was read as {encoding} text: José Müller." in report
    assert crew_named(db) == {"José Müller"}


@pytest.mark.parametrize(
    ("word", "odd"),
    [
        ("M³ller", True),
        ("N·±ez", True),
        ("Jo\x81sé", True),  # a C1 control
        ("Paral·lel", False),  # Catalan's l·l
        ("20°C at 06:00", False),
        ("£850/day", False),
        ("O'Brien-Smith", False),
        ("Ødegård", False),
    ],
)
def test_what_no_name_holds(word: str, odd: bool) -> None:
    assert (odd_in(f"x;{word};y") is not None) == odd


def test_a_file_that_reads_as_no_names_do_is_refused_not_guessed(db: Database) -> None:
    production(db)
    # Windows-1252 has no character at 0x81 or 0x8D, and 0xB3 0xB1 read in any code page
    # Crewcall tries are symbols inside a word.
    data = b"name;email;department\r\nJo\x81s\x8d M\xb3\xb1ller;j@example.com;Camera\r\n"

    with pytest.raises(ImportFailed) as refused:
        imported(db, "crew", data)

    assert "reads as no names do" in str(refused.value)
    assert "CSV UTF-8" in str(refused.value)
    assert crew_named(db) == set()


def test_binary_is_still_named_for_what_it_is() -> None:
    with pytest.raises(NotText, match="an Excel workbook"):
        decode(b"PK\x03\x04rest", save_as="save it as CSV")


def test_the_dm_preview_shows_the_encoding_and_the_first_names(
    db: Database, events_url: str, slack: FakeSlack
) -> None:
    import_hollis(db)

    [preview] = share(events_url, slack, "crew.csv", crew_file(["José Müller", "Søren Ødegård"]))

    shown = "\n".join(block["text"]["text"] for block in preview["blocks"] if "text" in block)
    assert "- The file was read as Windows-1252 text: José Müller, Søren Ødegård." in shown
