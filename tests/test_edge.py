"""Hardened at the edge: nothing unsigned, malformed, stale, replayed or oversized is acted on.

Every refusal is a 401 (413 for a body over the limit) with no outgoing call (not to
Slack, not to the response_url the body names), no write, and no traceback logged.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from bot.console.slack import FakeSlack
from bot.slack.gate import MAX_BODY, Gate, request_timestamp
from bot.storage.db import Database
from bot.storage.models import Notice, ProcessedEvent
from tests.hollis import import_hollis
from tests.slack_requests import (
    SIGNING_SECRET,
    post,
    send_signed,
    signed_headers,
    slash_command,
)


@pytest.fixture
def hollis(db: Database) -> Database:
    import_hollis(db)
    return db


def an_attack(slack: FakeSlack) -> tuple[str, str]:
    """A /calltime whose response_url is the stand-in's: any call out would show there."""
    return slash_command("/calltime", "tomorrow", response_url=slack.response_url("attack"))


def nothing_happened(slack: FakeSlack, db: Database, caplog: pytest.LogCaptureFixture) -> None:
    assert slack.calls == [c for c in slack.calls if c.method == "auth.test"]
    assert slack.responses == {}
    with db.readers() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def headers_for(body: str, **changes: str) -> dict:
    return {**signed_headers(body), **changes}


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("no headers at all", lambda body: {}),
        ("a timestamp that is not a number", lambda body: headers_for(
            body, **{"X-Slack-Request-Timestamp": "abc"})),
        ("an empty timestamp", lambda body: headers_for(body, **{"X-Slack-Request-Timestamp": ""})),
        ("a timestamp with a sign", lambda body: headers_for(
            body, **{"X-Slack-Request-Timestamp": f"+{int(time.time())}"})),
        ("a huge timestamp", lambda body: headers_for(
            body, **{"X-Slack-Request-Timestamp": "9" * 40})),
        # A minute past the window either way: the edge itself is tested on the gate's clock.
        ("a stale timestamp", lambda body: signed_headers(body, timestamp=int(time.time()) - 360)),
        ("a future timestamp", lambda body: signed_headers(body, timestamp=int(time.time()) + 360)),
        ("no signature", lambda body: {"X-Slack-Request-Timestamp": str(int(time.time()))}),
        ("a signature of another version", lambda body: headers_for(
            body, **{"X-Slack-Signature": "v1=" + "0" * 64})),
        ("a signature that is not hex", lambda body: headers_for(
            body, **{"X-Slack-Signature": "v0=" + "z" * 64})),
        ("a signature by another secret", lambda body: signed_headers(body, secret="other")),
    ],
)  # fmt: skip
def test_signature_failures_are_refused_and_nothing_happens(
    events_url: str,
    slack: FakeSlack,
    db: Database,
    caplog: pytest.LogCaptureFixture,
    name: str,
    change,  # type: ignore[no-untyped-def]
) -> None:
    body, kind = an_attack(slack)

    reply = post(events_url, body, kind, change(body))

    assert reply.status == 401, name
    nothing_happened(slack, db, caplog)


def _now() -> int:
    return int(time.time())


# Each is signed over itself, as a forger who knows the secret's shape would sign it: the
# signature matches, so only the timestamp's own reading can refuse it.
SIGNED_MALFORMED_TIMESTAMPS = [
    ("digits then junk", lambda: f"{_now()}x"),
    ("a decimal point", lambda: f"{_now()}.5"),
    ("a sign", lambda: f"+{_now()}"),
    ("a space before", lambda: f" {_now()}"),
    ("a space after", lambda: f"{_now()} "),
    ("underscores, which int() reads", lambda: f"{_now():_}"),
    ("hexadecimal", lambda: hex(_now())),
    ("milliseconds", lambda: f"{_now() * 1000}"),
]


@pytest.mark.parametrize(
    ("name", "timestamp"),
    SIGNED_MALFORMED_TIMESTAMPS,
    ids=[n for n, _ in SIGNED_MALFORMED_TIMESTAMPS],
)
def test_a_correctly_signed_request_with_a_malformed_timestamp_is_refused(
    events_url: str,
    slack: FakeSlack,
    db: Database,
    caplog: pytest.LogCaptureFixture,
    name: str,
    timestamp,  # type: ignore[no-untyped-def]
) -> None:
    body, kind = an_attack(slack)

    reply = post(events_url, body, kind, signed_headers(body, timestamp=timestamp()))

    assert reply.status == 401, name
    nothing_happened(slack, db, caplog)


@pytest.mark.parametrize(
    "written",
    [
        "1733300000x",
        "1733300000\n",  # a regex's `$` matches before a final newline
        "\u0661\u0667\u0663\u0663\u0663\u0660\u0660\u0660\u0660\u0660",  # Arabic-Indic
        "\uff11\uff17\uff13\uff13\uff13\uff10\uff10\uff10\uff10\uff10",  # full-width
        "1_733_300_000",
        " 1733300000",
        "+1733300000",
        "-1733300000",
        "",
        "9" * 13,
        "1733300000.0",
    ],
)
def test_the_timestamp_reader_takes_only_ascii_digits(written: str) -> None:
    assert request_timestamp(written) is None


@pytest.mark.parametrize("written", ["1733300000", "0", "999999999999"])
def test_the_timestamp_reader_reads_slacks_own(written: str) -> None:
    assert request_timestamp(written) == int(written)


@pytest.mark.parametrize(
    ("age", "passes"), [(0, True), (300, True), (-300, True), (301, False), (-301, False)]
)
def test_five_minutes_either_way_and_not_a_second_more(
    db: Database, age: int, passes: bool
) -> None:
    now = 1_733_300_000
    gate = Gate(SIGNING_SECRET, db, clock=lambda: float(now))
    body, kind = slash_command("/crewcall", "help")
    headers = {k.lower(): v for k, v in signed_headers(body, timestamp=now - age).items()}

    refusal = gate.check({**headers, "content-type": kind}, body.encode())

    assert (refusal is None) == passes, refusal


@pytest.mark.parametrize(
    ("name", "body", "kind"),
    [
        ("not UTF-8", b"command=/calltime&text=\xff\xfe", "application/x-www-form-urlencoded"),
        ("not form-encoded", b"%%%=&&", "application/x-www-form-urlencoded"),
        ("a payload that is not JSON", b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        ("not JSON", b'{"type": "event_callback", ', "application/json"),
        ("neither form nor JSON", b"command=/calltime", "text/plain"),
    ],
)
def test_bodies_slack_never_sends_are_refused_before_they_are_read(
    events_url: str,
    slack: FakeSlack,
    db: Database,
    caplog: pytest.LogCaptureFixture,
    name: str,
    body: bytes,
    kind: str,
) -> None:
    reply = post(events_url, body, kind, signed_headers(body))

    assert reply.status == 401, name
    nothing_happened(slack, db, caplog)


def test_a_body_over_the_limit_gets_413_unread(
    events_url: str, slack: FakeSlack, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the headers are sent: the answer must not wait for a body it will not read."""
    url = urlsplit(events_url)
    head = (
        f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {MAX_BODY + 1}\r\n\r\n"
    )
    with socket.create_connection((url.hostname, url.port), timeout=5) as connection:
        connection.sendall(head.encode())
        answer = connection.recv(4096).decode()

    assert answer.startswith("HTTP/1.")
    assert " 413 " in answer.splitlines()[0]
    nothing_happened(slack, db, caplog)


@pytest.mark.usefixtures("hollis")
def test_the_same_signed_request_twice_is_answered_once(
    events_url: str, slack: FakeSlack, db: Database
) -> None:
    payload = slash_command("/crewcall", "announce Fire drill at 10", user_id="U0HF0001")
    body, kind = payload
    headers = signed_headers(body)

    first = post(events_url, body, kind, headers)
    again = post(events_url, body, kind, headers)

    assert "Announcement 1 is on its way" in json.dumps(first.json())
    assert (again.status, again.body) == (200, b"{}")
    with db.readers() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 1
    assert send_signed(events_url, slash_command("/crewcall", "help")).status == 200


@pytest.mark.parametrize(
    ("command", "typed", "answer"),
    [
        ("/calltime", "<script>", "I don't understand `&lt;script&gt;`"),
        ("/calltime", "tom & jerry", "I don't understand `&amp;`"),
        ("/crewcall", "<b>", "I don't know `/crewcall &lt;b&gt;`"),
    ],
)
def test_a_refusal_quotes_what_was_typed_escaped_once(
    hollis: Database, events_url: str, command: str, typed: str, answer: str
) -> None:
    """Slack sends `<script>` as `&lt;script&gt;`; the answer must show `<script>`, so its
    text holds the entities once, never `&amp;lt;` (which Slack shows as `&lt;`)."""
    reply = send_signed(events_url, slash_command(command, typed, user_id="U0HF0009"))

    text = reply.json()["text"]
    assert answer in text, text
    for twice in ("&amp;lt;", "&amp;gt;", "&amp;amp;"):
        assert twice not in text


def _form(fields: dict) -> tuple[str, str]:
    return urlencode(fields), "application/x-www-form-urlencoded"


def _payload(payload: object) -> tuple[str, str]:
    return _form({"payload": json.dumps(payload)})


def _json(body: object) -> tuple[str, str]:
    return json.dumps(body), "application/json"


CLICKER = {"team": {"id": "T0CREW001"}, "user": {"id": "U0HF0001"}}
# Signed with the app's secret, but of shapes Slack never sends.
NOT_SLACKS_SHAPES = [
    ("a JSON body that is null", _json(None)),
    ("a JSON body that is a list", _json([])),
    ("a JSON body that is a number", _json(1)),
    ("a JSON object without a type", _json({})),
    ("an event_callback without its event", _json(
        {"type": "event_callback", "team_id": "T0CREW001", "event_id": "Ev1"})),
    ("an event that is a list", _json(
        {"type": "event_callback", "team_id": "T0CREW001", "event_id": "Ev1", "event": []})),
    ("a url_verification without its challenge", _json({"type": "url_verification"})),
    ("a payload that is null", _payload(None)),
    ("a payload that is a list", _payload([])),
    ("a block_actions whose actions are empty", _payload(
        {"type": "block_actions", **CLICKER, "actions": []})),
    ("a block_actions without actions", _payload({"type": "block_actions", **CLICKER})),
    ("a block_actions whose actions are numbers", _payload(
        {"type": "block_actions", **CLICKER, "actions": [1]})),
    ("an action without an action_id", _payload(
        {"type": "block_actions", **CLICKER, "actions": [{"value": "1"}]})),
    ("a user that is a string", _payload({"type": "block_actions", "user": "U0HF0001",
        "actions": [{"action_id": "acknowledge", "value": "1"}]})),
    ("a view_submission without its view", _payload({"type": "view_submission", **CLICKER})),
    ("a command without its user", _form({"command": "/calltime", "team_id": "T0CREW001"})),
    ("a form that is neither a command nor a payload", _form({"a": "b"})),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "request_body"), NOT_SLACKS_SHAPES, ids=[name for name, _ in NOT_SLACKS_SHAPES]
)
def test_a_signed_request_of_a_shape_slack_does_not_send_is_a_400_and_does_nothing(
    hollis: Database,
    events_url: str,
    slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    name: str,
    request_body: tuple[str, str],
) -> None:
    body, kind = request_body

    reply = post(events_url, body, kind, signed_headers(body))

    assert reply.status == 400, (name, reply.body)
    assert slack.calls == [c for c in slack.calls if c.method == "auth.test"]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    with hollis.readers() as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 0


def test_slacks_certificate_check_is_still_answered(events_url: str) -> None:
    body, kind = _form({"ssl_check": "1", "token": "deprecated-verification-token"})

    reply = post(events_url, body, kind, signed_headers(body))

    assert reply.status == 200
