"""Follow-ups with an explicit clock: nudges, escalation, quiet hours, urgent, supersede."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.console.slack import TEAM_ID, FakeSlack
from bot.notices.acknowledgements import acknowledge
from bot.notices.followups import follow_up
from bot.notices.notices import create_notice, crew_of
from bot.storage.db import Database
from bot.storage.models import Delivery, DeliveryStatus, Notice, NoticeKind
from tests.crew import COORDINATOR, Crew, dm_of, make_crew, production_of, sender_for

# 11:00 in London (summer time): outside the default quiet hours, 22:00-06:00.
T0 = dt.datetime(2026, 10, 20, 10, 0, tzinfo=dt.UTC)


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def send_notice(
    db: Database, crew: Crew, *, at: dt.datetime = T0, subject: str | None = None, **options
) -> int:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        production = production_of(session, crew)
        notice = create_notice(
            session,
            production=production,
            kind=options.pop("kind", NoticeKind.SCHEDULE_CHANGE),
            title="Tue 20 Oct: call 06:30",
            subject=subject,
            recipients=[
                r
                for r in crew_of(session, production_id=production.id)
                if r.slack_user_id != COORDINATOR
            ],
            post_to_channel=False,
            now=at,
            **options,
        )
        return notice.id


def run_follow_up(db: Database, now: dt.datetime):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return follow_up(session, now=now)


def dms(slack: FakeSlack, user: str) -> list[str]:
    return [json.dumps(m["blocks"]) for m in slack.posted(dm_of(user))]


class TestNudgesAndEscalation:
    def test_nudged_every_interval_at_most_max_times_then_escalated(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=6)
        notice_id = send_notice(db, crew)
        sender = sender_for(db, slack)
        sender.run(now=T0)
        first = crew.everyone[0]

        assert run_follow_up(db, minutes(29)).nudged == 0
        assert run_follow_up(db, minutes(31)).nudged == 6
        sender.run(now=minutes(31))
        assert "Reminder 1" in dms(slack, first)[1]
        with db.transaction() as session:
            acknowledge(
                session, notice_id=notice_id, team_id=TEAM_ID, user_id=first, now=minutes(40)
            )
        assert run_follow_up(db, minutes(62)).nudged == 5
        sender.run(now=minutes(62))
        assert run_follow_up(db, minutes(93)).nudged == 5
        sender.run(now=minutes(93))
        assert len(dms(slack, first)) == 2  # acknowledged: no more reminders
        # The notice and its latest reminder: each reminder replaced the one before it.
        _notice, reminder = dms(slack, crew.everyone[1])
        assert "Reminder 3 of 3" in reminder
        assert len(slack.calls_to("chat.delete")) == 5 * 2

        escalation = run_follow_up(db, minutes(124))
        sender.run(now=minutes(124))

        assert (escalation.nudged, escalation.escalated) == (0, 5)
        [to_coordinator] = dms(slack, COORDINATOR)
        assert "Not acknowledged" in to_coordinator
        assert "Not acknowledged (5)" in to_coordinator
        assert "Crew 0001" not in to_coordinator  # the one who acknowledged
        # The Sound head (Crew 0002) gets Sound's people only: Crew 0006, and is told in
        # their own words that they have not acknowledged it either.
        sound_head = crew.heads["Sound"]
        escalated_to_head = dms(slack, sound_head)[-1]
        assert "You haven't acknowledged it yourself yet." in escalated_to_head
        assert "Not acknowledged (1)" in escalated_to_head
        assert "Crew 0006" in escalated_to_head
        assert "Crew 0002" not in escalated_to_head
        assert "Crew 0005" not in escalated_to_head
        assert run_follow_up(db, minutes(400)).escalated == 0

    def test_quiet_hours_hold_follow_ups_until_they_end(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=2)
        evening = dt.datetime(2026, 10, 20, 20, 45, tzinfo=dt.UTC)  # 21:45 in London
        send_notice(db, crew, at=evening)
        sender_for(db, slack).run(now=evening)

        at_night = run_follow_up(db, evening + dt.timedelta(minutes=35))  # 22:20 London
        early = run_follow_up(db, dt.datetime(2026, 10, 21, 4, 55, tzinfo=dt.UTC))  # 05:55
        morning = run_follow_up(db, dt.datetime(2026, 10, 21, 5, 5, tzinfo=dt.UTC))  # 06:05

        assert (at_night.nudged, early.nudged, morning.nudged) == (0, 0, 2)

    def test_urgent_notices_are_followed_up_in_quiet_hours(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=2)
        evening = dt.datetime(2026, 10, 20, 20, 45, tzinfo=dt.UTC)
        send_notice(db, crew, at=evening, urgent=True)
        sender_for(db, slack).run(now=evening)

        assert run_follow_up(db, evening + dt.timedelta(minutes=35)).nudged == 2

    def test_the_production_settings_set_the_interval_and_the_maximum(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=2)
        with db.transaction() as session:
            production = production_of(session, crew)
            production.renotify_every, production.renotify_max = 10, 0
        send_notice(db, crew)
        sender_for(db, slack).run(now=T0)

        assert run_follow_up(db, minutes(9)).escalated == 0
        done = run_follow_up(db, minutes(11))

        assert (done.nudged, done.escalated) == (0, 2)

    def test_expired_and_superseded_notices_are_not_followed_up(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=2)
        send_notice(db, crew, expires_at=minutes(20))
        send_notice(db, crew, subject="day:2026-10-21")
        sender = sender_for(db, slack)
        sender.run(now=T0)
        send_notice(db, crew, subject="day:2026-10-21", at=minutes(10))
        sender.run(now=minutes(10))

        done = run_follow_up(db, minutes(45))

        with db.readers.begin() as session:
            nudged = session.scalars(
                select(Notice.version).join(Delivery).where(Delivery.renotify_count > 0)
            ).all()
        assert done.nudged == 2
        assert set(nudged) == {2}  # only the live version of the day's notice

    def test_unsent_and_failed_deliveries_are_not_nudged(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=2)
        send_notice(db, crew)

        assert run_follow_up(db, minutes(45)).nudged == 0
        with db.readers.begin() as session:
            assert set(session.scalars(select(Delivery.status))) == {DeliveryStatus.PENDING}
