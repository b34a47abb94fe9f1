"""Notices end to end: the outbox, the sender against the fake Slack, clicks, supersede."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bot.clock import now as clock_now
from bot.console.slack import FakeSlack
from bot.jobs.outbox import claim_due, record_sent
from bot.notices.blocks import METADATA_TYPE
from bot.notices.notices import Recipient, announce, create_notice, crew_of
from bot.storage.db import Database
from bot.storage.models import (
    AuditAction,
    AuditEntry,
    CrewMember,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeKind,
)
from tests.conftest import FakeClock
from tests.crew import (
    CHANNEL,
    COORDINATOR,
    Crew,
    dm_of,
    drain,
    make_crew,
    production_of,
    sender_for,
    unsent,
)
from tests.slack_requests import block_action, send_signed, slash_command

# The sender runs on the real clock here (it sleeps to pace posts), so notices are new.
NOW = clock_now()


def announce_to_all(db: Database, crew: Crew, text: str = "Wrap party Friday") -> int:
    with db.transaction() as session:
        notice, _ = announce(
            session, production=production_of(session, crew), text=text, author=COORDINATOR, now=NOW
        )
        return notice.id


def notice_posts(slack: FakeSlack, notice_id: int) -> Counter:
    """How many messages each channel got for this notice, by their metadata."""
    return Counter(
        channel
        for channel, messages in slack.messages.items()
        for message in messages
        if message.get("metadata", {}).get("event_type") == METADATA_TYPE
        and message["metadata"]["event_payload"]["notice"] == notice_id
    )


def click(events_url: str, slack: FakeSlack, notice_id: int, user: str, *, channel: str = ""):  # type: ignore[no-untyped-def]
    key = f"{user}-{channel or 'dm'}-{notice_id}"
    payload = block_action(
        "acknowledge",
        str(notice_id),
        user_id=user,
        channel_id=channel or dm_of(user),
        response_url=slack.response_url(key),
    )
    before = len(slack.responses.get(key, []))
    reply = send_signed(events_url, payload)
    assert reply.status == 200, reply.body
    return slack.responses_to(key, count=before + 1)


def clicks_at_once(
    events_url: str, slack: FakeSlack, notice_id: int, user: str, *, times: int = 4
) -> None:
    """`user` presses Acknowledge in their DM `times` times, all released at one instant."""
    start = threading.Barrier(times)

    def press(n: int) -> None:
        payload = block_action(
            "acknowledge",
            str(notice_id),
            user_id=user,
            channel_id=dm_of(user),
            response_url=slack.response_url(f"{user}-burst-{notice_id}-{n}"),
        )
        start.wait(timeout=10)
        reply = send_signed(events_url, payload)
        assert reply.status == 200, reply.body

    with ThreadPoolExecutor(times) as pool:
        list(pool.map(press, range(times)))


def acknowledged(db: Database, notice_id: int) -> int:
    with db.readers.begin() as session:
        return session.scalar(
            select(func.count()).where(
                Delivery.notice_id == notice_id, Delivery.acknowledged_at.is_not(None)
            )
        )


class TestBroadcast:
    @pytest.mark.heavy
    def test_200_recipients_get_one_dm_each_and_every_click_counts_once(
        self, db: Database, slack: FakeSlack, events_url: str, clock: FakeClock
    ) -> None:
        crew = make_crew(db, size=200)
        clock.now = NOW
        reply = send_signed(
            events_url,
            slash_command(
                "/crewcall",
                "announce Wrap party Friday 20:00",
                user_id=COORDINATOR,
                channel_id=CHANNEL,
            ),
        )
        assert "on its way to 200 people" in reply.json()["text"]
        with db.readers.begin() as session:
            notice_id = session.scalar(select(Notice.id))
        sender = sender_for(db, slack, tally_every=dt.timedelta(0))

        drain(sender, db)

        posts = notice_posts(slack, notice_id)
        assert {dm_of(user) for user in crew.everyone} | {CHANNEL} == set(posts)
        assert set(posts.values()) == {1}
        # Every person clicks four times at the same moment (their taps on a bad signal
        # arriving together), sixteen people at a time; only one click of each counts.
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda u: clicks_at_once(events_url, slack, notice_id, u), crew.everyone))
        assert acknowledged(db, notice_id) == 200
        with db.readers.begin() as session:
            recorded = session.scalar(
                select(func.count()).where(AuditEntry.action == AuditAction.ACKNOWLEDGED)
            )
        assert recorded == 200
        sender.run(now=clock_now())
        [post] = slack.posted(CHANNEL)
        assert "200/200 acknowledged" in json.dumps(post["blocks"])

    def test_a_click_replaces_the_dm_with_its_acknowledgement(
        self, db: Database, slack: FakeSlack, events_url: str, clock: FakeClock
    ) -> None:
        crew = make_crew(db, size=3)
        notice_id = announce_to_all(db, crew)
        drain(sender_for(db, slack), db)
        clock.now = dt.datetime(2026, 10, 18, 13, 5, tzinfo=dt.UTC)
        user = crew.everyone[0]

        [first] = click(events_url, slack, notice_id, user)
        second = click(events_url, slack, notice_id, user)[-1]

        assert first["replace_original"] is True
        shown = json.dumps(first["blocks"])
        assert "Acknowledged 14:05 Sun 18 Oct" in shown  # London summer time
        assert '"acknowledge"' not in shown  # the button is gone
        assert second["replace_original"] is True
        assert acknowledged(db, notice_id) == 1

    def test_a_click_on_the_channel_post_answers_only_the_clicker(
        self, db: Database, slack: FakeSlack, events_url: str
    ) -> None:
        crew = make_crew(db, size=3)
        notice_id = announce_to_all(db, crew)
        drain(sender_for(db, slack), db)

        [answer] = click(events_url, slack, notice_id, crew.everyone[0], channel=CHANNEL)
        [again] = click(events_url, slack, notice_id, crew.everyone[0], channel=CHANNEL)[1:]

        assert answer["response_type"] == "ephemeral"
        assert answer["replace_original"] is False
        assert "Acknowledged at" in answer["text"]
        assert "already acknowledged" in again["text"]
        assert acknowledged(db, notice_id) == 1

    def test_someone_the_notice_was_not_sent_to_cannot_acknowledge_it(
        self, db: Database, slack: FakeSlack, events_url: str
    ) -> None:
        crew = make_crew(db, size=3)
        notice_id = announce_to_all(db, crew)

        [answer] = click(events_url, slack, notice_id, "U0STRANGER", channel=CHANNEL)
        [author] = click(events_url, slack, notice_id, COORDINATOR, channel=CHANNEL)

        assert "wasn't sent to you" in answer["text"]
        assert "wasn't sent to you" in author["text"]  # the author is not asked to acknowledge
        assert acknowledged(db, notice_id) == 0

    @pytest.mark.parametrize("value", ["", "abc", "12; DROP TABLE notices", "99999"])
    def test_a_broken_button_gets_an_answer_and_changes_nothing(
        self, db: Database, slack: FakeSlack, events_url: str, value: str
    ) -> None:
        crew = make_crew(db, size=2)
        notice_id = announce_to_all(db, crew)
        payload = block_action(
            "acknowledge",
            value,
            user_id=crew.everyone[0],
            channel_id=dm_of(crew.everyone[0]),
            response_url=slack.response_url("broken"),
        )

        reply = send_signed(events_url, payload)

        assert reply.status == 200
        [answer] = slack.responses_to("broken")
        assert answer["response_type"] == "ephemeral"
        assert "notice" in answer["text"]
        assert acknowledged(db, notice_id) == 0


class TestUnreliableSlack:
    @pytest.mark.heavy
    def test_429s_and_500s_still_deliver_each_exactly_once(
        self, db: Database, slack: FakeSlack
    ) -> None:
        # Every 429 holds all posting for its Retry-After (1 s), so 60 people take a while.
        crew = make_crew(db, size=60)
        notice_id = announce_to_all(db, crew)
        slack.faults.rate_limited = 0.20
        slack.faults.server_error = 0.05
        # Some 500s come after the message was posted: the sender must look before reposting,
        # reading history once a minute (Slack's minute, sped up sixty times).
        slack.faults.lost_answers = 0.05
        slack.limits.minute = 1.0

        drain(sender_for(db, slack), db, timeout=120)

        posts = notice_posts(slack, notice_id)
        assert len(posts) == 61
        assert set(posts.values()) == {1}
        assert slack.busiest_second()[1] == 1
        assert len(slack.calls_to("conversations.history")) > 0
        with db.readers.begin() as session:
            statuses = set(session.scalars(select(Delivery.status)))
        assert statuses == {DeliveryStatus.SENT}

    def test_one_channel_never_gets_more_than_one_message_a_second(
        self, db: Database, slack: FakeSlack
    ) -> None:
        slack.limits.minute = 60.0  # Slack's own clock: this is about the pace itself
        crew = make_crew(db, size=2)
        for text in ("First", "Second", "Third"):
            announce_to_all(db, crew, text)

        drain(sender_for(db, slack), db)

        assert len(slack.posted(CHANNEL)) == 3
        assert slack.busiest_second()[1] == 1, [
            (c, [round(m["_at"], 3) for m in ms]) for c, ms in slack.messages.items()
        ]

    def test_a_delivery_that_keeps_failing_is_reported_to_the_coordinators(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=1)
        with db.transaction() as session:
            production = production_of(session, crew)
            ghost = CrewMember(production=production, email="ghost@example.org", name="Ghost")
            session.add(ghost)
            session.flush()
            create_notice(
                session,
                production=production,
                kind=NoticeKind.ANNOUNCEMENT,
                title="Lunch moved",
                recipients=[Recipient.of(ghost)],
                post_to_channel=False,
                now=NOW,
            )

        drain(sender_for(db, slack), db)

        report = slack.posted(dm_of(COORDINATOR))
        assert len(report) == 1
        assert "could not be delivered to Ghost" in json.dumps(report[0]["blocks"])
        assert "no Slack account has the email ghost@example.org" in json.dumps(report[0]["blocks"])

    def test_server_errors_are_retried_with_backoff_then_fail(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=1)
        with db.transaction() as session:
            production = production_of(session, crew)
            member = session.scalar(
                select(CrewMember).where(CrewMember.slack_user_id == crew.heads["Grip"])
            )
            create_notice(
                session,
                production=production,
                kind=NoticeKind.ANNOUNCEMENT,
                title="Lunch moved",
                recipients=[Recipient.of(member)],
                post_to_channel=False,
                now=NOW,
            )
        sender = sender_for(db, slack)
        slack.faults.server_error = 1.0
        now, waits = clock_now(), []
        for _ in range(8):
            sender.run(now=now, budget=0)
            with db.readers.begin() as session:
                delivery = session.scalar(select(Delivery))
            if delivery.status == DeliveryStatus.FAILED:
                break
            waits.append((delivery.next_attempt_at - now).total_seconds())
            now = delivery.next_attempt_at

        assert delivery.status == DeliveryStatus.FAILED
        assert "after 8 attempts" in delivery.last_error
        assert waits == pytest.approx([1, 2, 4, 8, 16, 32, 64], abs=1)


class TestSupersede:
    def test_a_second_version_makes_old_acknowledgements_not_count(
        self, db: Database, slack: FakeSlack, events_url: str
    ) -> None:
        crew = make_crew(db, size=3)
        people = crew.everyone

        def change(title: str) -> int:
            with db.transaction() as session:
                production = production_of(session, crew)
                notice = create_notice(
                    session,
                    production=production,
                    kind=NoticeKind.SCHEDULE_CHANGE,
                    subject="day:2026-10-20",
                    title=title,
                    recipients=crew_of(session, production_id=production.id)[1:],
                    now=NOW,
                )
                return notice.id

        first = change("Tue 20 Oct: call 07:00")
        sender = sender_for(db, slack)
        drain(sender, db)
        click(events_url, slack, first, people[0])

        second = change("Tue 20 Oct: call 06:30")
        drain(sender, db)
        sender.run(now=clock_now())

        with db.readers.begin() as session:
            old, new = session.get(Notice, first), session.get(Notice, second)
            assert (new.version, new.supersedes_id) == (2, first)
            assert old.superseded_at is not None
        assert acknowledged(db, second) == 0
        # The old DMs and post now say they are out of date, without a button.
        old_dm = slack.posted(dm_of(people[1]))[0]
        assert "Out of date" in json.dumps(old_dm["blocks"])
        assert '"acknowledge"' not in json.dumps(old_dm["blocks"])
        assert "Out of date" in json.dumps(slack.posted(CHANNEL)[0]["blocks"])
        # A click on the old notice points to the new one and records nothing.
        answer = click(events_url, slack, first, people[1])[-1]
        assert f"replaced by notice {second}" in json.dumps(answer)
        assert acknowledged(db, first) == 1

    def test_a_version_superseded_before_it_was_sent_is_never_sent(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=2)
        ids = []
        for call in ("07:00", "06:30"):
            with db.transaction() as session:
                production = production_of(session, crew)
                ids.append(
                    create_notice(
                        session,
                        production=production,
                        kind=NoticeKind.SCHEDULE_CHANGE,
                        subject="day:2026-10-20",
                        title=f"Call {call}",
                        recipients=crew_of(session, production_id=production.id),
                        now=NOW,
                    ).id
                )

        drain(sender_for(db, slack), db)

        assert notice_posts(slack, ids[0]) == Counter()
        assert sum(notice_posts(slack, ids[1]).values()) == 4
        assert unsent(db) == 0

    def test_a_post_in_flight_when_its_notice_is_superseded_is_recorded_then_marked(
        self, db: Database
    ) -> None:
        crew = make_crew(db, size=1)

        def change(title: str) -> int:
            with db.transaction() as session:
                production = production_of(session, crew)
                return create_notice(
                    session,
                    production=production,
                    kind=NoticeKind.SCHEDULE_CHANGE,
                    subject="day:2026-10-20",
                    title=title,
                    recipients=crew_of(session, production_id=production.id),
                    post_to_channel=False,
                    now=NOW,
                ).id

        first = change("Call 07:00")
        with db.transaction() as session:
            [out] = claim_due(
                session, now=NOW, limit=1, worker="w1", lease=dt.timedelta(seconds=12)
            )
            # A nudge: posted once before, being posted again now.
            session.get(Delivery, out.id).sends = 1
        change("Call 06:30")  # supersedes the first while its post is in flight
        with db.transaction() as session:
            recorded = record_sent(
                session,
                delivery_id=out.id,
                worker="w1",
                user_id=out.slack_user_id,
                channel="D0BC00001",
                ts="1700000000.000100",
                now=NOW,
            )

        with db.readers.begin() as session:
            delivery = session.get(Delivery, out.id)
        assert recorded
        assert delivery.notice_id == first
        assert (delivery.status, delivery.ts) == (DeliveryStatus.SENT, "1700000000.000100")
        assert delivery.refresh_due == NOW  # to be marked out of date


def test_an_announcement_keeps_its_line_breaks(
    db: Database, slack: FakeSlack, events_url: str
) -> None:
    crew = make_crew(db, size=2)
    typed = "--urgent Wrap party Saturday\n\n  20:00 at the Crown\n- bring a friend"

    reply = send_signed(
        events_url,
        slash_command("/crewcall", f"announce {typed}", user_id=COORDINATOR, channel_id=CHANNEL),
    )

    assert reply.status == 200
    with db.readers.begin() as session:
        notice = session.scalar(select(Notice))
        assert notice.body == "Wrap party Saturday\n\n  20:00 at the Crown\n- bring a friend"
        assert notice.urgent
    drain(sender_for(db, slack), db)
    [dm] = slack.posted(dm_of(crew.everyone[0]))
    assert "Wrap party Saturday\n\n  20:00 at the Crown\n- bring a friend" in json.dumps(
        dm["blocks"]
    ).replace("\\n", "\n")
