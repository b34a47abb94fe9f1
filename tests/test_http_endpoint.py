"""The bot through its real HTTP endpoint: signatures, commands, events, health."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from bot.clock import now as clock_now
from bot.console.block_checks import validate_blocks
from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.core.commands import COMMANDS, SlashCommand
from bot.jobs.leader import Leadership
from bot.questions.handlers import SHORT_HELP
from bot.slack.app import create_app
from bot.slack.errors import DB_DOWN
from bot.slack.health import EVERY_SCHEDULER
from bot.slack.web import HealthWeb
from bot.storage.db import Database
from bot.storage.models import ProcessedEvent
from tests.hollis import COORDINATOR, FIRST_AC, SOUND_MIXER, import_hollis
from tests.slack_requests import (
    direct_message,
    event_callback,
    get,
    post,
    send_signed,
    signed_headers,
    slash_command,
)
from tests.wsgi_server import serve

UNREACHABLE_DB = "postgresql+psycopg://postgres@127.0.0.1:9/none"


@pytest.fixture
def hollis(db: Database) -> None:
    import_hollis(db)


def _section_texts(blocks: list[dict]) -> str:
    return "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")


def _help_for(events_url: str, user: str) -> list[str]:
    reply = send_signed(events_url, slash_command("/crewcall", "help", user_id=user))
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_type"] == "ephemeral"
    validate_blocks(answer["blocks"], limit=50)
    return [line for line in _section_texts(answer["blocks"]).splitlines() if line]


def test_a_coordinator_gets_help_for_every_command(hollis: None, events_url: str) -> None:
    shown = "\n".join(_help_for(events_url, COORDINATOR))

    for command in COMMANDS:
        assert command.name in shown, command.name
    for usage in ("/schedule-change", "/crewcall setup", "/crewcall role", "/script new"):
        assert usage in shown


def test_crew_get_help_for_what_they_may_do_alone_in_under_15_lines(
    hollis: None, events_url: str
) -> None:
    lines = _help_for(events_url, FIRST_AC)
    shown = "\n".join(lines)

    assert len(lines) + 2 < 15  # and the header and the footer
    for usage in ("/calltime", "/callsheet", "/script [history]", "/rentals [list", "calendar"):
        assert usage in shown
    for usage in ("/schedule-change", "/acks", "/script new", "announce", "setup", "role", "add"):
        assert usage not in shown, usage


def test_a_head_also_gets_what_heads_may_do(hollis: None, events_url: str) -> None:
    shown = "\n".join(_help_for(events_url, SOUND_MIXER))

    assert "/acks" in shown
    assert "/rentals add" in shown
    assert "/schedule-change" not in shown
    assert "/crewcall setup" not in shown


def test_someone_on_no_crew_gets_the_crews_help(events_url: str) -> None:
    shown = "\n".join(_help_for(events_url, "U0NOBODY01"))

    assert "/calltime" in shown
    assert "/schedule-change" not in shown


def test_crewcall_without_text_is_help(events_url: str) -> None:
    reply = send_signed(events_url, slash_command("/crewcall", ""))

    assert "`/calltime [when]" in _section_texts(reply.json()["blocks"])


def test_unknown_crewcall_verb_says_what_was_not_understood(events_url: str) -> None:
    reply = send_signed(events_url, slash_command("/crewcall", "frobnicate now"))

    assert reply.status == 200
    assert "`/crewcall frobnicate`" in reply.json()["text"]
    assert "/crewcall help" in reply.json()["text"]


# `/crewcall help` is Crewcall's own help, by role (tested above).
@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if c.name != "/crewcall"], ids=lambda command: command.name
)
def test_every_command_in_the_manifest_answers_help_with_examples(
    events_url: str, command: SlashCommand
) -> None:
    reply = send_signed(events_url, slash_command(command.name, "help"))

    assert reply.status == 200
    shown = _section_texts(reply.json()["blocks"])
    assert command.works
    for usage, _ in command.works:
        assert f"`{usage}`" in shown


def test_wrong_signature_is_refused_and_touches_nothing(
    events_url: str, slack: FakeSlack, db: Database
) -> None:
    body, kind = event_callback(direct_message("hello"), event_id="Ev0BADSIG")
    headers = signed_headers(body, secret="not-the-signing-secret")

    reply = post(events_url, body, kind, headers)

    assert reply.status == 401
    assert slack.calls_to("chat.postMessage") == []
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


def test_stale_timestamp_is_refused_even_when_correctly_signed(
    events_url: str, slack: FakeSlack, db: Database
) -> None:
    body, kind = event_callback(direct_message("hello"), event_id="Ev0STALE")
    headers = signed_headers(body, timestamp=int(time.time()) - 6 * 60)

    reply = post(events_url, body, kind, headers)

    assert reply.status == 401
    assert slack.calls_to("chat.postMessage") == []
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0


def test_unsigned_command_is_refused(events_url: str) -> None:
    body, kind = slash_command("/crewcall", "help")

    assert post(events_url, body, kind).status == 401


def test_start_up_auth_test_goes_to_slack_api_url(bot: str, slack: FakeSlack) -> None:
    calls = slack.calls_to("auth.test")

    assert len(calls) == 1
    assert calls[0].token == BOT_TOKEN


def test_direct_message_gets_an_answer_through_the_fake_slack(
    events_url: str, slack: FakeSlack
) -> None:
    reply = send_signed(events_url, event_callback(direct_message("hi?"), event_id="Ev0HELLO"))

    assert reply.status == 200
    [call] = slack.calls_to("chat.postMessage")
    assert call.token == BOT_TOKEN
    assert call.params["channel"] == "D0CREW0001"
    assert call.params["text"] == SHORT_HELP


def test_event_retry_has_its_side_effect_once(events_url: str, slack: FakeSlack) -> None:
    # A question from someone on no crew list: answered with an explanation (bad input),
    # which must not be given again when Slack retries.
    delivery = event_callback(direct_message("what's my call?"), event_id="Ev0RETRY1")

    first = send_signed(events_url, delivery)
    retry = send_signed(events_url, delivery, **{"X-Slack-Retry-Num": "1"})
    other = send_signed(events_url, event_callback(direct_message("again"), event_id="Ev0OTHER"))

    assert (first.status, retry.status, other.status) == (200, 200, 200)
    assert len(slack.calls_to("chat.postMessage")) == 2


def test_bots_own_messages_get_no_answer(events_url: str, slack: FakeSlack) -> None:
    event = {**direct_message("Your call is 06:30"), "bot_id": "B0CREWBOT"}

    reply = send_signed(events_url, event_callback(event, event_id="Ev0SELF"))

    assert reply.status == 200
    assert slack.calls_to("chat.postMessage") == []


def test_mention_is_answered_to_the_asker_in_its_thread(events_url: str, slack: FakeSlack) -> None:
    event = {
        "type": "app_mention",
        "user": "U0CREW0001",
        "text": "<@U0CREWBOT> what colour are we on?",
        "ts": "1700000000.000300",
        "channel": "C0CREWCHAN",
        "event_ts": "1700000000.000300",
    }

    send_signed(events_url, event_callback(event, event_id="Ev0MENTION"))

    assert slack.calls_to("chat.postMessage") == []
    [call] = slack.calls_to("chat.postEphemeral")
    assert call.params["channel"] == "C0CREWCHAN"
    assert call.params["user"] == "U0CREW0001"
    assert call.params["thread_ts"] == "1700000000.000300"


def test_rate_limited_and_failing_web_api_calls_are_retried(
    events_url: str, slack: FakeSlack
) -> None:
    slack.fail_next(429, 503)

    send_signed(events_url, event_callback(direct_message("hi"), event_id="Ev0RETRYAPI"))

    calls = slack.calls_to("chat.postMessage")
    assert len(calls) == 3
    assert calls[1].at - calls[0].at >= 0.9  # Retry-After: 1 was honoured


def test_subscribed_events_without_behaviour_yet_are_acknowledged(events_url: str) -> None:
    event = {
        "type": "app_home_opened",
        "user": "U0CREW0001",
        "channel": "D0CREW0001",
        "tab": "home",
    }

    reply = send_signed(events_url, event_callback(event, event_id="Ev0HOME"))

    assert reply.status == 200


def test_healthz_reports_the_database(bot: str) -> None:
    reply = get(f"{bot}/healthz")

    assert reply.status == 200
    assert reply.json()["database"] == "ok"


def test_healthz_names_the_scheduling_leader(bot: str, db: Database) -> None:
    if db.is_sqlite:
        assert get(f"{bot}/healthz").json()["scheduler_leader"] == EVERY_SCHEDULER
        return
    assert get(f"{bot}/healthz").json()["scheduler_leader"] == "none"
    leader = Leadership(db, name="host-a:4242:abc123")
    try:
        assert leader.held()
        assert get(f"{bot}/healthz").json()["scheduler_leader"] == "host-a:4242:abc123"
    finally:
        leader.release()
    assert get(f"{bot}/healthz").json()["scheduler_leader"] == "none"


def test_get_on_the_events_endpoint_and_unknown_paths(bot: str) -> None:
    assert get(f"{bot}/slack/events").status == 405
    assert get(f"{bot}/nowhere").status == 404


def test_unreachable_database_health_and_event(settings, slack: FakeSlack) -> None:
    db = Database(UNREACHABLE_DB, pool_size=1)
    web_app = create_app(settings, db=db)
    with serve(web_app) as base:
        health = get(f"{base}/healthz")
        event = send_signed(
            f"{base}/slack/events", event_callback(direct_message("hi"), event_id="Ev0DBDOWN")
        )

    assert health.status == 503
    assert event.status == 500  # Slack retries the event later
    assert slack.calls_to("chat.postMessage") == []


def test_command_that_needs_an_unreachable_database_says_so(settings) -> None:
    web_app = create_app(settings, db=Database(UNREACHABLE_DB, pool_size=1))

    @web_app.command("/needs-db")
    def needs_db(ack, db) -> None:  # type: ignore[no-untyped-def]
        db.execute(text("SELECT 1"))
        ack("unreachable")

    with serve(web_app) as base:
        reply = send_signed(f"{base}/slack/events", slash_command("/needs-db"))

    assert reply.status == 200
    assert reply.json() == {"response_type": "ephemeral", "text": DB_DOWN}


def test_a_routed_command_that_needs_an_unreachable_database_says_so(settings) -> None:
    web_app = create_app(settings, db=Database(UNREACHABLE_DB, pool_size=1))

    with serve(web_app) as base:
        reply = send_signed(f"{base}/slack/events", slash_command("/calltime", "tomorrow"))

    assert reply.status == 200
    assert reply.json() == {"response_type": "ephemeral", "text": DB_DOWN}


def test_a_failed_request_rolls_back_its_unit_of_work(settings, db: Database) -> None:
    web_app = create_app(settings, db=db)

    @web_app.command("/half-done")
    def half_done(ack, db) -> None:  # type: ignore[no-untyped-def]
        db.add(ProcessedEvent(event_id="written-then-failed", received_at=clock_now()))
        db.flush()
        raise RuntimeError("boom after a write")

    with serve(web_app) as base:
        reply = send_signed(f"{base}/slack/events", slash_command("/half-done"))

    assert reply.status == 200
    assert "went wrong" in reply.json()["text"]
    with db.transaction() as session:
        assert session.get(ProcessedEvent, "written-then-failed") is None


def test_socket_modes_health_is_down_while_its_websocket_is(db: Database) -> None:
    def ask(connected: bool) -> tuple[str, str]:
        statuses: list[str] = []
        body = HealthWeb(db, lambda: connected)(
            {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"},
            lambda status, _headers: statuses.append(status),
        )
        return statuses[0], json.loads(b"".join(body))["socket_mode"]

    assert ask(True) == ("200 OK", "connected")
    assert ask(False) == ("503 Service Unavailable", "disconnected")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_many_clients_connecting_at_one_instant_are_all_answered(bot: str) -> None:
    """The test server itself: sixty-four connections opened at once, none reset, and none
    waiting out a dropped SYN (Linux retransmits one after a second) behind a full backlog."""
    clients = 64
    start = threading.Barrier(clients)

    def ask(_: int) -> tuple[int, float]:
        start.wait(timeout=10)
        started = time.monotonic()
        status = get(f"{bot}/healthz").status
        return status, time.monotonic() - started

    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(ask, range(clients)))

    assert [status for status, _ in answers] == [200] * clients
    assert max(took for _, took in answers) < 1.0, sorted(took for _, took in answers)[-5:]
