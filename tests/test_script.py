"""/script: revision colours, announcing pages, who has them; through the signed endpoint."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.console.slack import FakeSlack
from bot.core.errors import UserError
from bot.questions.questions import Question, understand
from bot.script.pages import pages_text, parse_pages
from bot.storage.db import Database
from bot.storage.models import Notice, Production, ScriptRevision
from tests.crew import drain, sender_for
from tests.hollis import CHANNEL, COORDINATOR, OPERATOR, import_hollis
from tests.slack_requests import (
    block_action,
    direct_message,
    event_callback,
    send_signed,
    shown,
    slash_command,
)
from tests.test_notices import click
from tests.test_planner import buttons, texts

WGA_TWENTY = [
    "White", "Blue", "Pink", "Yellow", "Green", "Goldenrod", "Buff", "Salmon", "Cherry",
    "Double White", "Double Blue", "Double Pink", "Double Yellow", "Double Green",
    "Double Goldenrod", "Double Buff", "Double Salmon", "Double Cherry",
    "Triple White", "Triple Blue",
]  # fmt: skip


def script(events_url: str, text: str = "", *, user: str = COORDINATOR) -> str:
    """What the person reads in the answer to `/script <text>`."""
    reply = send_signed(
        events_url, slash_command("/script", text, user_id=user, channel_id=CHANNEL)
    )
    assert reply.status == 200
    return shown(reply.json())


def revisions(db: Database) -> list[str]:
    with db.readers.begin() as session:
        return list(session.scalars(select(ScriptRevision.colour).order_by(ScriptRevision.number)))


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


# -- pages as people write them


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("12", "12"),
        ("14-16", "14-16"),
        ("23A", "23A"),
        ("23a-23c", "23A-23C"),
        ("1, 3, 45A", "1, 3, 45A"),
        ("12,14-16  23A", "12, 14-16, 23A"),
        ("9-9", "9"),
    ],
)
def test_page_lists_are_read_as_written(written: str, read: str) -> None:
    assert pages_text(parse_pages(written)) == read


@pytest.mark.parametrize(
    ("written", "complaint"),
    [
        ("", "Say which pages"),
        ("16-14", "`16-14` runs backwards: write it as `14-16`"),
        ("23C-23A", "`23C-23A` runs backwards"),
        ("A23", "`A23` is not a page"),
        ("12-", "`12-` is not a page or a range"),
        ("1-2-3", "`1-2-3` is not a page or a range"),
        ("twelve", "`TWELVE` is not a page"),
    ],
)
def test_bad_page_lists_say_what_is_wrong(written: str, complaint: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_pages(written)
    assert complaint in str(raised.value)


@pytest.mark.parametrize(
    ("asked", "question"),
    [
        ("what colour are we on?", Question("/script", "status")),
        ("do I have the latest pages?", Question("/script", "status")),
        ("who hasn't got the pink pages?", Question("/script", "missing pink")),
        ("who hasn't acked the double blue pages", Question("/script", "missing double blue")),
    ],
)
def test_script_questions_in_plain_words(asked: str, question: Question) -> None:
    assert understand(asked) == question


# -- the colour sequence


def test_twenty_revisions_follow_the_wga_sequence_into_double_and_triple(
    hollis: Database, events_url: str
) -> None:
    for number in range(1, 21):
        answer = script(events_url, f"new pages {number}")
        assert f"*{WGA_TWENTY[number - 1]} pages* announced to 44 people" in answer
    assert revisions(hollis) == WGA_TWENTY
    history = script(events_url, "history")
    assert "Script revisions (20)" in history
    assert (
        history.index("*Triple Blue*") < history.index("*Triple White*") < history.index("*White*")
    )


def test_a_production_can_replace_the_sequence(hollis: Database, events_url: str) -> None:
    with hollis.transaction() as session:
        session.scalars(select(Production)).one().revision_colours = ["White", "Blue", "Yellow"]
    for number in range(4):
        script(events_url, f"new pages {number + 1}")
    assert revisions(hollis) == ["White", "Blue", "Yellow", "Double White"]
    assert "is not a revision colour here" in script(events_url, "new pink pages 5")


def test_a_colour_out_of_sequence_asks_first(
    hollis: Database, slack: FakeSlack, events_url: str
) -> None:
    script(events_url, "new pages 1")  # White
    reply = send_signed(
        events_url, slash_command("/script", "new pink pages 23A-23C", user_id=COORDINATOR)
    )
    answer = reply.json()
    assert "The next colour is *Blue*, but you asked for *Pink*" in shown(answer)
    assert revisions(hollis) == ["White"]

    confirm = answer["blocks"][1]["elements"][0]
    payload = block_action(
        confirm["action_id"],
        confirm["value"],
        user_id=COORDINATOR,
        channel_id=CHANNEL,
        response_url=slack.response_url("confirm"),
    )
    assert send_signed(events_url, payload).status == 200
    [response] = slack.responses_to("confirm")
    assert "*Pink pages* announced" in response["text"]
    assert revisions(hollis) == ["White", "Pink"]
    # The sequence goes on from the colour used.
    script(events_url, "new pages 30")
    assert revisions(hollis)[-1] == "Yellow"


def test_cancelling_an_out_of_sequence_colour_sends_nothing(
    hollis: Database, slack: FakeSlack, events_url: str
) -> None:
    answer = send_signed(
        events_url, slash_command("/script", "new green pages 4", user_id=COORDINATOR)
    ).json()
    cancel = answer["blocks"][1]["elements"][1]
    payload = block_action(
        cancel["action_id"],
        cancel["value"],
        user_id=COORDINATOR,
        channel_id=CHANNEL,
        response_url=slack.response_url("cancel"),
    )
    send_signed(events_url, payload)
    assert slack.responses_to("cancel")[0]["text"] == "Not announced: nothing was sent."
    assert revisions(hollis) == []


# -- announcing, acknowledging, asking


def test_a_revision_is_announced_acknowledged_and_reported(
    hollis: Database, slack: FakeSlack, events_url: str
) -> None:
    assert script(events_url, user=OPERATOR) == "No script revisions have been announced yet."
    answer = script(
        events_url,
        "new pages 12, 14-16, 23A scenes 14, 15 url <https://files.example/blue.pdf|blue.pdf>"
        " -- the new ending",
    )
    assert "*White pages* announced to 44 people and the crew channel" in answer
    drain(sender_for(hollis, slack), hollis)

    [dm] = [m for m in slack.posted("D" + OPERATOR[1:]) if "Script" in m["text"]]
    shown_dm = texts(dm)
    assert "Script revision · White pages" in shown_dm
    assert "*Pages:* 12, 14-16, 23A" in shown_dm
    assert "*Scenes:* 14, 15" in shown_dm
    assert "<https://files.example/blue.pdf|Open the pages>" in shown_dm
    assert buttons(dm) == ["acknowledge"]
    [post] = slack.posted(CHANNEL)
    assert "0/44 acknowledged" in texts(post)

    status = script(events_url, user=OPERATOR)
    assert "Current script: White pages" in status
    assert "You haven't acknowledged these pages yet" in status
    with hollis.readers.begin() as session:
        notice_id = session.scalar(select(ScriptRevision.notice_id))
    click(events_url, slack, notice_id, OPERATOR)
    assert "You acknowledged these pages" in script(events_url, user=OPERATOR)

    missing = script(events_url, "missing white")
    assert f"Acknowledgements · notice {notice_id}\n*Script revision · White pages*" in missing
    assert "1/44 acknowledged\n*Not yet (43)*" in missing
    acks = send_signed(
        events_url, slash_command("/acks", str(notice_id), user_id=COORDINATOR, channel_id=CHANNEL)
    )
    # /acks adds who has the pages; /script missing lists only who hasn't.
    assert "Acknowledged (1)" in shown(acks.json())
    assert "Acknowledged" not in missing
    assert "Show all" not in missing
    assert shown(acks.json()).startswith(missing.split("*Not yet")[0])

    event = direct_message("what colour are we on?", user=OPERATOR)
    send_signed(events_url, event_callback(event, event_id="Ev0SCRIPT1"))
    assert "Current script: White pages" in slack.calls_to("chat.postMessage")[-1].params["text"]
    event = direct_message("who hasn't got the white pages?", user=COORDINATOR)
    send_signed(events_url, event_callback(event, event_id="Ev0SCRIPT2"))
    assert "1/44 acknowledged" in slack.calls_to("chat.postMessage")[-1].params["text"]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("new", "Say which pages the revision replaces"),
        ("new pages", "Say which pages"),
        ("new pages 16-14", "`16-14` runs backwards"),
        ("new purple pages 3", "`purple` is not a revision colour here"),
        ("new pages 3 url notalink", "`notalink` is not a link"),
        ("new pages 3 pages 4", "`pages` appears twice"),
        ("frobnicate", "I don't know `/script frobnicate`"),
        ("missing pink", "There are no pink pages yet"),
    ],
)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(
    hollis: Database, events_url: str, text: str, complaint: str
) -> None:
    assert complaint in script(events_url, text)
    assert revisions(hollis) == []
    with hollis.readers.begin() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 0


def test_only_coordinators_announce(hollis: Database, events_url: str) -> None:
    answer = script(events_url, "new pages 12", user=OPERATOR)
    assert answer == "Only the production's coordinators can announce script revisions."
    assert revisions(hollis) == []


def test_help_lists_what_script_does(hollis: Database, events_url: str) -> None:
    answer = script(events_url, "help")
    assert "/script new pages 12, 14-16, 23A" in answer
    assert "/script history" in answer
