"""/acks, its buttons, `crewcall export acks`, and /crewcall announce, through the endpoint."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.clock import now as clock_now
from bot.console.slack import FakeSlack
from bot.storage.db import Database
from bot.storage.models import AuditEntry, Delivery, Notice
from tests.conftest import FakeClock
from tests.crew import CHANNEL, COORDINATOR, dm_of, drain, make_crew, sender_for
from tests.slack_requests import (
    block_action,
    direct_message,
    event_callback,
    send_signed,
    slash_command,
)
from tests.test_notices import click


@pytest.fixture
def announced(db: Database, slack: FakeSlack, events_url: str, clock: FakeClock):  # type: ignore[no-untyped-def]
    """Eight crew, an announcement sent to them all, and three acknowledgements."""
    clock.now = clock_now().replace(microsecond=0)
    crew = make_crew(db, size=8)
    answer = command(events_url, "/crewcall", "announce Wrap party Friday 20:00 at the Crown")
    assert "on its way to 8 people" in answer["text"]
    with db.readers.begin() as session:
        notice_id = session.scalar(select(Notice.id))
    drain(sender_for(db, slack), db)
    for user in crew.everyone[:3]:
        click(events_url, slack, notice_id, user)
    return crew, notice_id


def command(
    events_url: str, name: str, text: str = "", *, user: str = COORDINATOR, channel: str = CHANNEL
) -> dict:
    reply = send_signed(events_url, slash_command(name, text, user_id=user, channel_id=channel))
    assert reply.status == 200
    return reply.json()


def shown(answer: dict) -> str:
    return json.dumps(answer.get("blocks", [])) + answer.get("text", "")


def button(events_url: str, slack: FakeSlack, action: str, value: str, user: str) -> dict:
    key = f"{action}-{user}-{value}"
    payload = block_action(
        action, value, user_id=user, channel_id=CHANNEL, response_url=slack.response_url(key)
    )
    assert send_signed(events_url, payload).status == 200
    [answer] = slack.responses_to(key)
    return answer


def state(db: Database) -> tuple:
    with db.readers.begin() as session:
        return (
            session.scalar(select(func.count()).select_from(Notice)),
            session.scalar(select(func.count()).select_from(AuditEntry)),
            tuple(session.scalars(select(Delivery.status).order_by(Delivery.id))),
        )


class TestReport:
    def test_the_coordinator_sees_who_has_and_who_hasnt(self, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        _, notice_id = announced

        latest = command(events_url, "/acks")
        by_id = command(events_url, "/acks", str(notice_id))

        assert latest == by_id
        text = shown(latest)
        assert "3/8 acknowledged" in text
        assert "Not yet (5)" in text
        assert "Acknowledged (3)" in text
        # Who needs chasing is listed by department; who has acknowledged is counted.
        assert "*Camera* (2 of 2): Crew 0004, Crew 0008" in text
        assert "Crew 0001" not in text
        assert "Nudge now" in text
        assert "Show all" in text
        assert "Export CSV" in text

    def test_all_lists_who_has_acknowledged_too(self, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        _, notice_id = announced

        text = shown(command(events_url, "/acks", f"{notice_id} all"))

        assert "Not yet (5)" in text
        assert "Crew 0001" in text
        assert "Crew 0004" in text
        assert "Show all" not in text
        assert shown(command(events_url, "/acks", "all")) == text

    def test_show_all_expands_the_report_in_place(self, slack, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        _, notice_id = announced

        answer = button(events_url, slack, "acks_all", str(notice_id), COORDINATOR)

        assert answer["replace_original"] is True
        assert shown(answer) == shown(command(events_url, "/acks", f"{notice_id} all"))

    def test_a_head_sees_their_own_department_only(self, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        crew, _ = announced

        text = shown(command(events_url, "/acks", "all", user=crew.heads["Sound"]))

        assert "*Sound* (1 of 2): Crew 0006" in text
        assert "Crew 0002" in text
        assert "Grip" not in text
        assert "Camera" not in text
        assert "1/2 acknowledged" in text

    def test_crew_are_refused_and_nothing_changes(self, db, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        crew, notice_id = announced
        before = state(db)

        answer = command(events_url, "/acks", str(notice_id), user=crew.crew[0])

        assert answer["response_type"] == "ephemeral"
        assert "Only coordinators" in answer["text"]
        assert state(db) == before

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("99999", "no notice 99999"), ("abc", "/acks 12"), ("12 13", "/acks 12")],
    )
    def test_unknown_notices_are_explained(self, db, events_url, announced, text, expected) -> None:  # type: ignore[no-untyped-def]
        before = state(db)

        answer = command(events_url, "/acks", text)

        assert expected in answer["text"]
        assert state(db) == before

    def test_help(self, events_url: str) -> None:
        assert "/acks 12" in shown(command(events_url, "/acks", "help"))

    def test_who_hasnt_acked_in_a_dm(self, events_url, slack, announced) -> None:  # type: ignore[no-untyped-def]
        event = direct_message("who hasn't acked?", user=COORDINATOR)
        reply = send_signed(events_url, event_callback(event, event_id="Ev0ACKS01"))

        assert reply.status == 200
        answer = slack.calls_to("chat.postMessage")[-1].params
        assert "3/8 acknowledged" in answer["text"]


class TestButtons:
    def test_nudge_now_reminds_who_hasnt_acknowledged(
        self, db, slack, events_url, announced
    ) -> None:  # type: ignore[no-untyped-def]
        crew, notice_id = announced

        answer = button(events_url, slack, "acks_nudge", str(notice_id), COORDINATOR)
        drain(sender_for(db, slack), db)

        assert "Reminding 5 people" in answer["text"]
        assert len(slack.posted(dm_of(crew.everyone[0]))) == 1  # acknowledged: left alone
        reminder = slack.posted(dm_of(crew.everyone[4]))[-1]
        assert "Reminder" in json.dumps(reminder["blocks"])

    def test_a_head_nudges_their_own_department(self, db, slack, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        crew, notice_id = announced

        answer = button(events_url, slack, "acks_nudge", str(notice_id), crew.heads["Camera"])

        # Camera: Crew 0004 (head) and Crew 0008; neither has acknowledged.
        assert "Reminding 2 people" in answer["text"]

    def test_crew_cannot_nudge_or_export(self, db, slack, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        crew, notice_id = announced
        before = state(db)

        nudge = button(events_url, slack, "acks_nudge", str(notice_id), crew.crew[0])
        export = button(events_url, slack, "acks_export", str(notice_id), crew.crew[0])

        assert "Only coordinators" in nudge["text"]
        assert "Only coordinators" in export["text"]
        assert state(db) == before
        assert not slack.files

    def test_export_csv_arrives_in_the_clickers_dm(self, slack, events_url, announced) -> None:  # type: ignore[no-untyped-def]
        _, notice_id = announced

        answer = button(events_url, slack, "acks_export", str(notice_id), COORDINATOR)

        assert f"acks-notice-{notice_id}.csv" in answer["text"]
        [upload] = slack.files.values()
        assert upload["channel"] == dm_of(COORDINATOR)
        rows = list(csv.DictReader(io.StringIO(upload["content"].decode())))
        assert len(rows) == 8
        assert sum(1 for row in rows if row["acknowledged_at"]) == 3
        assert {row["status"] for row in rows} == {"sent"}


class TestAnnounce:
    @pytest.mark.parametrize(
        ("text", "user", "expected"),
        [
            ("announce", COORDINATOR, "Write the announcement"),
            ("announce --urgent", COORDINATOR, "Write the announcement"),
            (
                "announce " + "x" * 3000,
                COORDINATOR,
                "That announcement is 3,000 characters; at most 2,900 fit.",
            ),
            ("announce Lunch at one", "U0BC00003", "Only the production's coordinators"),
            # Someone on no crew hears only that (issue 22): nothing about the production.
            ("announce Lunch at one", "U0NOBODY1", "not on any production's crew list"),
        ],
    )
    def test_bad_announcements_are_explained_and_change_nothing(
        self, db: Database, events_url: str, text: str, user: str, expected: str
    ) -> None:
        make_crew(db, size=4)
        before = state(db)

        answer = command(events_url, "/crewcall", text, user=user)

        assert answer["response_type"] == "ephemeral"
        assert expected in answer["text"]
        assert state(db) == before

    def test_urgent_announcements_are_marked(self, db, slack, events_url, clock) -> None:  # type: ignore[no-untyped-def]
        clock.now = clock_now()
        crew = make_crew(db, size=2)

        command(events_url, "/crewcall", "announce --urgent Storm warning: no exterior today")
        drain(sender_for(db, slack), db)

        with db.readers.begin() as session:
            assert session.scalar(select(Notice.urgent)) is True
        dm = json.dumps(slack.posted(dm_of(crew.everyone[0]))[0]["blocks"])
        assert ":rotating_light:" in dm
        assert "Storm warning" in dm
        assert not slack.posted(dm_of(COORDINATOR))  # the author is not asked


class TestExportCommand:
    def test_export_acks_prints_csv(self, db, announced, monkeypatch, database_url, capsys) -> None:  # type: ignore[no-untyped-def]
        _, notice_id = announced
        monkeypatch.setenv("DATABASE_URL", database_url)

        assert (
            main(["export", "acks", "--production", "broadcast", "--notice", str(notice_id)]) == 0
        )
        one = capsys.readouterr().out
        assert main(["export", "acks", "--production", "broadcast"]) == 0
        every = capsys.readouterr().out

        rows = list(csv.DictReader(io.StringIO(one)))
        assert len(rows) == 8
        assert one == every
        assert rows[0].keys() >= {"notice_id", "name", "acknowledged_at", "renotify_count"}

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (["--production", "nope"], "no production 'nope'"),
            (["--production", "broadcast", "--notice", "999"], "no notice 999"),
        ],
    )
    def test_bad_export_arguments(
        self, db, monkeypatch, database_url, capsys, argv, expected
    ) -> None:  # type: ignore[no-untyped-def]
        make_crew(db, size=2)
        monkeypatch.setenv("DATABASE_URL", database_url)

        assert main(["export", "acks", *argv]) == 2
        assert expected in capsys.readouterr().err
