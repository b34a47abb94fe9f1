"""Messages that read at a glance (issue 23): notes whole or refused, little echoed back,
and every kind of message within Block Kit's limits for a 300-person production."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.errors import UserError
from bot.imports.csvfile import ImportFailed
from bot.imports.run import import_file
from bot.money import money_locale, money_text
from bot.notes import NOTE_LIMIT
from bot.productions import create_production
from bot.storage.db import Database
from bot.storage.models import Notice, Production, ScheduleChange, ScriptRevision
from tests.hollis import import_hollis
from tests.test_schedule_change import command
from tests.test_script import script

LONG_NOTE = "Rain cover: interiors first & the barn after lunch. " * 45  # ~2,300 characters


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


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

        assert "characters; Slack shows at most" in answer
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

        assert "characters; Slack shows at most" in str(refused.value)
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
    ("timezone", "currency", "written"),
    [
        ("Europe/London", "GBP", "£11,900.00"),
        ("Europe/Berlin", "EUR", "11.900,00\xa0€"),
        ("America/New_York", "USD", "$11,900.00"),
        ("Australia/Sydney", "AUD", "$11,900.00"),
        ("UTC", "USD", "$11,900.00"),
    ],
)
def test_a_production_prices_in_its_countrys_currency_and_writes_it_so(
    db: Database, timezone: str, currency: str, written: str
) -> None:
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
