"""Text people wrote reaches Slack inert (issue 22): a note, a location, a name or a rental
item written as `<!channel>` or as a link shows as those characters on every surface,
and pings or links nobody."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from bot.console.slack import FakeSlack
from bot.core.errors import UserError
from bot.imports.run import import_file
from bot.planning.planner import Planner
from bot.storage.db import Database
from bot.storage.models import Call, CrewMember, Department, Production, Rental, Scene, ShootDay
from tests.conftest import FakeClock
from tests.crew import dm_of
from tests.hollis import CHANNEL, COORDINATOR, FIRST_AC, OPERATOR, import_hollis
from tests.slack_requests import direct_message, event_callback, send_signed, slash_command
from tests.test_home import open_home
from tests.test_right_call import DAY_3, EMAIL_ONLY, EVENING_BEFORE, settle
from tests.test_schedule_change import change_and_send

HOSTILE = "<!channel> & <https://evil.example|free lunch>"
# Slack's markup anywhere in what we send: what HOSTILE must never become.
LIVE = ("<!channel>", "<https://evil.example")
INERT = "&lt;!channel&gt; &amp; &lt;https://evil.example|free lunch&gt;"


@pytest.fixture
def hostile(db: Database, slack: FakeSlack) -> Database:
    """Hollis Farm with HOSTILE in everything people type or import that Crewcall shows."""
    import_hollis(db)
    for number, email in enumerate(EMAIL_ONLY):
        slack.add_user(f"U0EMAIL{number:03d}", email=email)
    with db.transaction() as session:
        production = session.scalar(select(Production))
        production.name = f"Hollis {HOSTILE}"
        day = session.scalar(select(ShootDay).where(ShootDay.date == DAY_3))
        for field in ("location_name", "address", "parking", "hospital", "notes"):
            setattr(day, field, f"{field} {HOSTILE}")
        scene = session.scalar(select(Scene).where(Scene.shoot_day_id == day.id))
        scene.set_name = f"set {HOSTILE}"
        camera = session.scalar(select(Department).where(Department.name == "Camera"))
        camera.name = f"Camera {HOSTILE}"
        operator = session.scalar(select(CrewMember).where(CrewMember.slack_user_id == OPERATOR))
        operator.name, operator.position = f"Jonah {HOSTILE}", f"operator {HOSTILE}"
        call = session.scalar(select(Call).where(Call.shoot_day_id == day.id))
        if call is not None:
            call.note = f"note {HOSTILE}"
    return db


def mrkdwn_texts(value: object) -> list[str]:
    """Every text Slack would read as mrkdwn in a message, answer, view or API call: a
    message's `text` and every mrkdwn element (plain_text is shown as written)."""
    found: list[str] = []
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return found
    if isinstance(value, dict):
        text = value.get("text")
        if isinstance(text, str) and value.get("type") != "plain_text":
            found.append(text)
        for key, item in value.items():
            if key != "text" or not isinstance(item, str):
                found.extend(mrkdwn_texts(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(mrkdwn_texts(item))
    return found


def ask(events_url: str, command: str, text: str, *, user: str = FIRST_AC) -> dict:
    reply = send_signed(
        events_url, slash_command(command, text, user_id=user, channel_id=dm_of(user))
    )
    assert reply.status == 200
    return reply.json() if reply.body else {}


def test_hostile_text_reaches_every_surface_inert(
    hostile: Database, events_url: str, slack: FakeSlack, clock: FakeClock
) -> None:
    clock.now = (EVENING_BEFORE - dt.timedelta(hours=1)).astimezone(dt.UTC)
    answers = [
        ask(events_url, "/calltime", "day 3"),
        ask(events_url, "/calltime", "day 3 camera"),
        ask(events_url, "/calltime", f"day 3 <@{OPERATOR}|jonah>", user=COORDINATOR),
        ask(events_url, "/callsheet", "day 3"),
        ask(events_url, "/crewcall", f"announce {HOSTILE}", user=COORDINATOR),
        ask(
            events_url,
            "/rentals",
            f'add "{HOSTILE}" vendor "v {HOSTILE}" dept camera out 2026-10-19 due 2026-10-26 '
            "rate 100/day",
            user=COORDINATOR,
        ),
        ask(events_url, "/rentals", "list", user=COORDINATOR),
        ask(events_url, "/rentals", "show 1", user=COORDINATOR),
        ask(events_url, "/script", f"new pages 12 -- {HOSTILE}", user=COORDINATOR),
        ask(events_url, "/script", ""),
        ask(events_url, "/acks", "latest", user=COORDINATOR),
    ]
    with hostile.readers() as session:
        assert session.scalar(select(Rental.item)) == HOSTILE  # stored as typed
    question = direct_message("where is day 3", user=FIRST_AC, channel=dm_of(FIRST_AC))
    send_signed(events_url, event_callback(question, event_id="EvQ1"))
    open_home(events_url, slack, FIRST_AC)
    open_home(events_url, slack, COORDINATOR)
    # The evening call sheet, a schedule change with a hostile note, and their DMs.
    clock.now = EVENING_BEFORE.astimezone(dt.UTC)
    Planner(hostile).run(now=clock.now)
    preview, _ = change_and_send(events_url, slack, f"day 3 wrap 20:00 -- {HOSTILE}")
    settle(hostile, slack, clock.now)
    sent = [call.params for call in slack.calls if call.method != "auth.test"]

    shown = [text for answer in [*answers, preview] for text in mrkdwn_texts(answer)]
    shown += [text for params in sent for text in mrkdwn_texts(params)]
    assert not [text for text in shown if any(live in text for live in LIVE)]
    escaped_in = [text for text in shown if "&lt;!channel&gt;" in text]
    assert len(escaped_in) >= 20  # it was shown, on many surfaces, as written
    assert any(INERT in text for text in shown)
    assert slack.posted(CHANNEL)  # the crew channel had its posts too


# Without `|`, which separates a scene's fields.
MENTION = "<!channel>&<@U0HF0001>"


@pytest.mark.parametrize(
    "kind_and_text",
    [
        ("schedule", f"date,general_call,scenes\n2026-12-01,07:00,12|SET|D|{MENTION}\n"),
        ("schedule", f"date,general_call,scenes\n2026-12-01,07:00,{MENTION}|SET|D\n"),
        ("schedule", f'date,general_call,scenes\n2026-12-01,07:00,"12, {MENTION}"\n'),
    ],
)
def test_what_a_refusal_quotes_back_is_inert(db: Database, kind_and_text: tuple) -> None:
    """A scene or page count that is not one is quoted back short and escaped."""
    import_hollis(db)
    kind, text = kind_and_text
    with db.transaction() as session:
        production = session.scalar(select(Production))
        with pytest.raises(UserError) as refused:
            import_file(session, production=production, kind=kind, data=text.encode())
    message = str(refused.value)
    assert "<!channel>" not in message
    assert "<@U0HF0001>" not in message
    assert "&lt;" in message
