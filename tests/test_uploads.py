"""Files sent in a DM: fetched with the bot token, recognised, previewed, imported on Import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.core.errors import UserError
from bot.imports.uploads import Upload, fetch
from bot.storage.db import Database
from bot.storage.models import ShootDay
from tests.crew import dm_of
from tests.hollis import COORDINATOR, FIRST_AC, FIXTURES, import_hollis
from tests.slack_requests import (
    block_action,
    event_callback,
    file_message,
    send_signed,
    slash_command,
)

ICS = Path(__file__).with_name("fixtures") / "ics"


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def schedule_with(general_call: str) -> bytes:
    """Hollis's schedule.csv with day 1's general call changed."""
    lines = (FIXTURES / "schedule.csv").read_text().splitlines()
    lines[1] = lines[1].replace(",07:00,", f",{general_call},", 1)
    return ("\n".join(lines) + "\n").encode()


def share(
    events_url: str, slack: FakeSlack, name: str, content: bytes, *, user: str = COORDINATOR
) -> list[dict]:
    """`user` sends the file to Crewcall in their DM; the messages Crewcall posted back."""
    before = len(slack.posted(dm_of(user)))
    files = [slack.share_file(name, content)]
    reply = send_signed(
        events_url, event_callback(file_message(files, user=user), event_id=f"Ev{name}{before}")
    )
    assert reply.status == 200
    return slack.posted(dm_of(user))[before:]


def general_call(db: Database, day: dt.date = dt.date(2026, 10, 19)) -> int:
    with db.readers() as session:
        return session.scalar(select(ShootDay.general_call).where(ShootDay.date == day))


def click(
    events_url: str, slack: FakeSlack, message: dict, action: str, *, user: str = COORDINATOR
) -> str:
    [button] = [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action
    ]
    key = f"{action}-{user}-{len(slack.responses)}"
    reply = send_signed(
        events_url,
        block_action(
            action,
            button["value"],
            user_id=user,
            channel_id=dm_of(user),
            response_url=slack.response_url(key),
        ),
    )
    assert reply.status == 200
    return slack.responses_to(key)[0]["text"]


def text_of(message: dict) -> str:
    return json.dumps(message.get("blocks", [])) + message["text"]


@pytest.mark.usefixtures("hollis")
class TestUpload:
    def test_preview_then_import(self, events_url: str, slack: FakeSlack, db: Database) -> None:
        [preview] = share(events_url, slack, "schedule.csv", schedule_with("06:30"))

        shown = text_of(preview)
        assert "*schedule.csv* is a schedule for *Hollis Farm*" in shown
        assert "Would import shoot days: 0 added, 1 updated, 21 unchanged." in shown
        assert general_call(db) == 7 * 60  # nothing yet

        outcome = click(events_url, slack, preview, "upload_import")

        assert outcome == "Imported shoot days: 0 added, 1 updated, 21 unchanged."
        assert general_call(db) == 6 * 60 + 30
        downloads = slack.calls_to("files-pri")
        assert len(downloads) == 2  # once to preview, once to import
        assert {call.token for call in downloads} == {BOT_TOKEN}

    def test_an_ics_file_is_recognised(self, events_url: str, slack: FakeSlack) -> None:
        [preview] = share(events_url, slack, "shoot.ics", (ICS / "google.ics").read_bytes())

        shown = text_of(preview)
        assert "is a schedule from a calendar (.ics) for *Hollis Farm*" in shown
        assert "Would import shoot days: 0 added, 4 updated, 0 unchanged." in shown
        assert "is cancelled, so it was left out" in shown

    def test_cancel_changes_nothing(self, events_url: str, slack: FakeSlack, db: Database) -> None:
        [preview] = share(events_url, slack, "schedule.csv", schedule_with("06:30"))

        assert (
            click(events_url, slack, preview, "upload_cancel") == "Not imported: nothing changed."
        )
        assert general_call(db) == 7 * 60

    def test_a_bad_file_is_refused_with_rows_and_columns(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        calls = b"date,who,call,note\n2026-10-19,Camera,06:00,\n2026-10-20,Nobody Here,05:00,\n"

        [answer] = share(events_url, slack, "calls.csv", calls)

        assert answer["text"].startswith("Nothing was imported:")
        assert "row 3, column who" in answer["text"]
        assert "upload_import" not in json.dumps(answer)

    def test_a_file_of_unknown_shape(self, events_url: str, slack: FakeSlack) -> None:
        [answer] = share(events_url, slack, "budget.csv", b"line,amount\nfood,100\n")

        said = "I can't tell what budget.csv is (`line`, `amount` in its first row)"
        assert said in answer["text"]

    def test_the_file_changed_after_the_preview(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        [preview] = share(events_url, slack, "schedule.csv", schedule_with("06:30"))
        file_id = json.loads(preview["blocks"][2]["elements"][0]["value"])["file"]
        slack.shared[file_id] = schedule_with("05:00")

        outcome = click(events_url, slack, preview, "upload_import")

        assert "not the one I previewed" in outcome
        assert general_call(db) == 7 * 60

    def test_crew_cannot_import(self, events_url: str, slack: FakeSlack, db: Database) -> None:
        [answer] = share(events_url, slack, "schedule.csv", schedule_with("06:30"), user=FIRST_AC)

        assert answer["text"] == "Only the production's coordinators can import files."
        assert slack.calls_to("files-pri") == []

    def test_crew_cannot_press_import_either(
        self, events_url: str, slack: FakeSlack, db: Database
    ) -> None:
        [preview] = share(events_url, slack, "schedule.csv", schedule_with("06:30"))

        outcome = click(events_url, slack, preview, "upload_import", user=FIRST_AC)

        assert outcome == "Only the production's coordinators can import files."
        assert general_call(db) == 7 * 60

    def test_the_token_goes_to_slack_only(self, events_url: str, slack: FakeSlack) -> None:
        elsewhere = {
            "id": "F0ELSEWHERE",
            "name": "schedule.csv",
            "size": 100,
            "url_private_download": "https://files.example.com/schedule.csv",
        }
        reply = send_signed(
            events_url,
            event_callback(file_message([elsewhere], user=COORDINATOR), event_id="EvElsewhere"),
        )

        assert reply.status == 200
        [answer] = slack.posted(dm_of(COORDINATOR))
        assert answer["text"] == "I couldn't fetch `schedule.csv` from Slack; send it again."

    def test_without_the_token_slack_serves_its_sign_in_page(self, slack: FakeSlack) -> None:
        shared = slack.share_file("schedule.csv", b"date,general_call\n")
        upload = Upload(shared["id"], "schedule.csv", shared["url_private_download"], 20)

        with pytest.raises(UserError, match="couldn't fetch"):
            fetch(upload, token="xoxb-not-ours", api_url=slack.api_url)
        assert fetch(upload, token=BOT_TOKEN, api_url=slack.api_url).startswith(b"date")


@pytest.mark.usefixtures("hollis")
def test_crewcall_import_says_how(events_url: str) -> None:
    reply = send_signed(events_url, slash_command("/crewcall", "import", user_id=COORDINATOR))

    assert "send me a file in our DM" in reply.json()["text"]
