"""CSV imports on both backends: all or nothing, row-and-column errors, idempotent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.imports.csvfile import ImportFailed
from bot.imports.run import import_file
from bot.storage.db import Database
from bot.storage.models import Call, CrewMember, Department, Production, Role, Scene, ShootDay
from tests.hollis import FIXTURES, import_hollis


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def snapshot(db: Database) -> dict:
    """Every imported row, as plain values, to compare databases."""
    with db.transaction() as session:
        return {
            model.__tablename__: sorted(
                tuple(getattr(row, c.key) for c in model.__table__.columns)
                for row in session.scalars(select(model))
            )
            for model in (CrewMember, Department, ShootDay, Scene, Call)
        }


def try_import(db: Database, kind: str, text: str | bytes) -> ImportFailed:
    data = text if isinstance(text, bytes) else text.encode()
    with db.transaction() as session:
        production = session.scalar(select(Production))
        with pytest.raises(ImportFailed) as failed:
            import_file(session, production=production, kind=kind, data=data)
    return failed.value


def test_the_fixture_imports_completely(hollis: Database) -> None:
    with hollis.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CrewMember)) == 45
        assert session.scalar(select(func.count()).select_from(Department)) == 10
        assert session.scalar(select(func.count()).select_from(ShootDay)) == 22
        assert session.scalar(select(func.count()).select_from(Call)) == 162
        maya = session.scalar(select(CrewMember).where(CrewMember.slack_user_id == "U0HF0001"))
        assert (maya.name, maya.role, maya.department.name) == (
            "Maya Okafor",
            Role.COORDINATOR,
            "Production",
        )


def test_importing_the_same_files_twice_leaves_the_database_identical(hollis: Database) -> None:
    before = snapshot(hollis)
    with hollis.transaction() as session:
        production = session.scalar(select(Production))
        reports = [
            import_file(
                session,
                production=production,
                kind=kind,
                data=(FIXTURES / f"{kind}.csv").read_bytes(),
            )
            for kind in ("crew", "schedule", "calls")
        ]

    assert [(r.created, r.updated) for r in reports] == [(0, 0)] * 3
    assert snapshot(hollis) == before


def test_a_changed_day_bumps_its_revision_once(hollis: Database) -> None:
    changed = (
        (FIXTURES / "schedule.csv")
        .read_text()
        .replace("2026-10-20,2,07:00,08:00,19:00", "2026-10-20,2,07:00,08:00,20:00")
    )
    with hollis.transaction() as session:
        before = session.scalar(select(ShootDay.revision).where(ShootDay.day_number == 2))
        production = session.scalar(select(Production))
        report = import_file(session, production=production, kind="schedule", data=changed.encode())
        day = session.scalar(select(ShootDay).where(ShootDay.day_number == 2))
        assert (report.updated, report.unchanged) == (1, 21)
        assert (day.wrap, day.revision) == (20 * 60, before + 1)


def test_a_calls_import_bumps_each_changed_day_once(hollis: Database) -> None:
    with hollis.transaction() as session:
        before = session.scalar(select(ShootDay.revision).where(ShootDay.day_number == 3))
        production = session.scalar(select(Production))
        data = b"date,who,call\n2026-10-21,Camera,-30\n2026-10-21,Grip,-30\n"
        import_file(session, production=production, kind="calls", data=data)
        after = session.scalar(select(ShootDay.revision).where(ShootDay.day_number == 3))
        assert after == before + 1


@pytest.mark.parametrize(
    ("kind", "text", "error"),
    [
        ("crew", b"", "the file is empty"),
        ("crew", "name,email\n", "the file has a header but no rows"),
        (
            "crew",
            "name,email,e-mail\nA,a@x.example,b@x.example\n",
            "the header gives column email twice (`email` and `e-mail`)",
        ),
        ("crew", b"PK\x03\x04\x14\x00\x06\x00", "this is a zip archive, such as an Excel workbook"),
        ("crew", "name,phone\nAna,123\n", "row 2, column slack_id: give a slack_id"),
        (
            "crew",
            "name,slack_id\nAna,ana\n",
            "row 2, column slack_id: `ana` is not a Slack user id",
        ),
        ("crew", "name,email\nAna,ana-at-example\n", "row 2, column email: `ana-at-example`"),
        ("crew", "name,slack_id,role\nAna,U0ANA0001,boss\n", "row 2, column role: `boss`"),
        (
            "crew",
            "name,slack_id\nAna,U0ANA0001\nBen,U0ANA0001\n",
            "row 3, column slack_id/email: U0ANA0001 is already on row 2",
        ),
        ("schedule", "date,day\n2026-12-01,1\n", "the header has no column general_call"),
        ("schedule", "date,general_call\n2026-13-01,07:00\n", "row 2, column date: `2026-13-01`"),
        ("schedule", "date,general_call\ntomorrow,07:00\n", "row 2, column date: `tomorrow`"),
        (
            "schedule",
            "date,general_call\n2026-12-01,25:99\n",
            "row 2, column general_call: `25:99`",
        ),
        ("schedule", "date,general_call,wrap\n2026-12-01,07:00,7pmish\n", "column wrap: `7pmish`"),
        ("schedule", "date,general_call,day\n2026-12-01,07:00,twelve\n", "column day: `twelve`"),
        (
            "schedule",
            "date,general_call,latitude,longitude\n2026-12-01,07:00,95,1\n",
            "column latitude: `95` is outside -90 to 90",
        ),
        (
            "schedule",
            "date,general_call,latitude\n2026-12-01,07:00,51.7\n",
            "give both coordinates or neither",
        ),
        ("schedule", "date,general_call,scenes\n2026-12-01,07:00,12 kitchen\n", "is not a scene"),
        ("schedule", "date,general_call,scenes\n2026-12-01,07:00,12|X|D|3/9\n", "not a page count"),
        (
            "schedule",
            "date,general_call\n2026-12-01,07:00\n2026-12-01,08:00\n",
            "row 3, column date: 2026-12-01 is already on row 2",
        ),
        ("calls", "date,who,call\n2026-12-25,Camera,06:00\n", "no shoot day on 2026-12-25"),
        ("calls", "date,who,call\n2026-10-19,Catering,06:00\n", "`Catering` is not a department"),
        ("calls", "date,who,call\n2026-10-19,Camera,soon\n", "row 2, column call: `soon`"),
        ("calls", "date,who,call\n2026-10-19,Camera,\n", "row 2, column call: is empty"),
        ("calls", "date,who,call\n2026-10-19,Camera,-900\n", "more than 12 hours"),
        ("calls", "date,who,call\n2026-10-19,U0NOBODY01,06:00\n", "`U0NOBODY01` is not"),
        (
            "calls",
            "date,who,call\n2026-10-19,camera,06:00\n2026-10-19,Camera,07:00\n",
            "row 3, column who: Camera on 2026-10-19 is already on row 2",
        ),
    ],
)
def test_bad_files_are_refused_whole_with_the_row_and_column(
    hollis: Database, kind: str, text: str | bytes, error: str
) -> None:
    before = snapshot(hollis)

    failed = try_import(hollis, kind, text)

    assert error in str(failed)
    assert snapshot(hollis) == before


def test_one_bad_row_refuses_the_good_rows_too(hollis: Database) -> None:
    before = snapshot(hollis)
    text = "date,general_call\n2026-12-01,07:00\n2026-12-02,07:00\n2026-12-03,never\n"

    failed = try_import(hollis, "schedule", text)

    [error] = failed.errors
    assert error.startswith("row 4, column general_call: `never` is not a time; write a time like")
    assert snapshot(hollis) == before


def test_every_bad_row_is_reported_at_once(hollis: Database) -> None:
    text = "name,slack_id,role\nA,bad,crew\nB,U0OK00001,chief\nC,,\n"

    failed = try_import(hollis, "crew", text)

    assert [error.split(":")[0] for error in failed.errors] == [
        "row 2, column slack_id",
        "row 3, column role",
        "row 4, column slack_id",
    ]


def test_header_case_order_bom_and_unknown_columns(db: Database) -> None:
    import_hollis(db, kinds=())
    data = "\ufeffPHONE,Department,  Slack ID ,Shoe Size,NAME\n+44 1,Camera,U0ANA0001,9,Ana Lima\n"
    with db.transaction() as session:
        production = session.scalar(select(Production))
        import_file(session, production=production, kind="crew", data=data.encode())

    with db.transaction() as session:
        ana = session.scalar(select(CrewMember).where(CrewMember.slack_user_id == "U0ANA0001"))
        assert (ana.name, ana.phone, ana.department.name) == ("Ana Lima", "+44 1", "Camera")


def test_a_blank_role_keeps_a_coordinator_a_coordinator(db: Database) -> None:
    import_hollis(db, kinds=())
    with db.transaction() as session:
        production = session.scalar(select(Production))
        data = b"name,slack_id,role\nMaya Okafor,U0HF0001,\n"
        import_file(session, production=production, kind="crew", data=data)

    with db.transaction() as session:
        maya = session.scalar(select(CrewMember).where(CrewMember.slack_user_id == "U0HF0001"))
        assert maya.role == Role.COORDINATOR


def test_emails_are_resolved_with_users_lookup_by_email(db: Database, slack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import_hollis(db, kinds=())
    slack.add_user("U0RAVI0001", email="ravi.menon@hollisfarm.example")
    monkeypatch.setenv("DATABASE_URL", db.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-crewcall-test-token")
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)

    code = main(["import", "crew", str(FIXTURES / "crew.csv"), "--production", "hollis"])

    assert code == 0
    looked_up = {call.params["email"] for call in slack.calls_to("users.lookupByEmail")}
    assert looked_up == {
        "ravi.menon@hollisfarm.example",
        "finn.walsh@hollisfarm.example",
        "hugo.lenz@hollisfarm.example",
    }
    with db.transaction() as session:
        ravi = session.scalar(select(CrewMember).where(CrewMember.name == "Ravi Menon"))
        finn = session.scalar(select(CrewMember).where(CrewMember.name == "Finn Walsh"))
        assert (ravi.slack_user_id, finn.slack_user_id) == ("U0RAVI0001", None)


def test_cli_import_reports_and_refuses(db: Database, monkeypatch, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_hollis(db, kinds=())
    monkeypatch.setenv("DATABASE_URL", db.url)
    bad = tmp_path / "calls.csv"
    bad.write_text("date,who,call\n2026-10-19,Camera,06:00\n")

    assert main(["import", "crew", str(FIXTURES / "crew.csv"), "--production", "hollis"]) == 0
    assert main(["import", "calls", str(bad), "--production", "hollis"]) == 2
    assert main(["import", "crew", str(tmp_path / "missing.csv"), "--production", "hollis"]) == 2
    assert main(["import", "crew", str(FIXTURES / "crew.csv"), "--production", "nope"]) == 2

    out, err = capsys.readouterr()
    assert "Imported crew: 44 added, 1 updated, 0 unchanged." in out
    assert "row 2, column date: there is no shoot day on 2026-10-19" in err
    assert "cannot read" in err
    assert "there is no production 'nope'" in err


def imported(db: Database, kind: str, text: str) -> str:
    with db.transaction() as session:
        production = session.scalar(select(Production))
        return import_file(session, production=production, kind=kind, data=text.encode()).summary()


@pytest.mark.parametrize(
    ("kind", "text", "warning"),
    [
        # A 19-hour day: a wrap of 02:00 on a 06:45 call.
        ("schedule", "date,general_call,shooting_call,wrap\n2026-10-20,06:45,07:45,02:00\n",
         "Tue 20 Oct · Day 2: The day runs 19 h 15 min from the crew call (06:45) to wrap "
         "(02:00 Wed), more than 14 h."),
        ("schedule", "date,general_call,shooting_call\n2026-10-20,07:00,06:00\n",
         "Tue 20 Oct · Day 2: The shooting call (06:00) is before the crew call (07:00)."),
        ("schedule", "date,general_call,shooting_call,wrap\n2026-10-20,07:00,09:00,08:30\n",
         "Tue 20 Oct · Day 2: The wrap (08:30) is before the shooting call (09:00)."),
        # 01:30 on the 18:00 night shoot of day 12: the small hours, 7 h 30 min after its call.
        ("calls", "date,who,call\n2026-11-02,Electric,01:30\n",
         "Mon 2 Nov · Day 12: Electric has a fixed call at 01:30 Tue, 7 h 30 min after the "
         "general crew call (18:00)."),
        ("calls", "date,who,call\n2026-10-20,Jonah Pike,12:00\n",
         "Tue 20 Oct · Day 2: Jonah Pike has a fixed call at 12:00, 5 h after the general "
         "crew call (07:00)."),
        # The general call moves by four and a half hours; Locations' fixed 05:00 stays.
        ("schedule", "date,general_call\n2026-10-21,11:30\n",
         "Wed 21 Oct · Day 3: Locations has a fixed call at 05:00, 6 h 30 min before the "
         "general crew call (11:30)."),
    ],
)  # fmt: skip
def test_an_import_points_out_what_a_preview_would(
    hollis: Database, kind: str, text: str, warning: str
) -> None:
    report = imported(hollis, kind, text)

    assert f"- :warning: {warning}" in report.splitlines()


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("schedule", "date,general_call,shooting_call,wrap\n2026-10-20,06:45,07:45,19:45\n"),
        ("calls", "date,who,call\n2026-11-02,Electric,16:30\n"),
        ("calls", "date,who,call\n2026-10-20,Camera,-90\n"),
    ],
)
def test_a_day_in_order_draws_no_warning(hollis: Database, kind: str, text: str) -> None:
    assert ":warning:" not in imported(hollis, kind, text)
