"""Automatic messages: call sheets and reminders once, at the right local time, whatever happens."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select, update

from bot.console.slack import FakeSlack
from bot.imports.run import import_file
from bot.notices.notices import Recipient, create_notice
from bot.planning.planner import Planner
from bot.storage.db import Database
from bot.storage.models import (
    CrewMember,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeKind,
    Occurrence,
    Production,
)
from tests.conftest import FakeClock
from tests.crew import dm_of, drain, sender_for
from tests.hollis import (
    CHANNEL,
    FIXTURES,
    OPERATOR,
    SOUND_ASSISTANT,
    import_hollis,
    new_production,
)
from tests.hollis import COORDINATOR as HOLLIS_COORDINATOR
from tests.test_acks import command, shown
from tests.test_notices import click

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


@dataclass(frozen=True)
class Sent:
    """One delivery as planned: what kind, to whom (Slack id or email; None: the channel), when."""

    kind: NoticeKind
    notice_id: int
    subject: str | None
    title: str
    user: str | None
    detail: str
    planned_at: dt.datetime


def simulate(planner: Planner, *, start: dt.datetime, end: dt.datetime) -> int:
    """Run the planner at every moment it says something falls due, and on every hour."""
    now, runs = start, 0
    hourly = start.replace(minute=0, second=0, microsecond=0)
    while now < end:
        report = planner.run(now=now)
        runs += 1
        assert not report.failed
        while hourly <= now:
            hourly += dt.timedelta(hours=1)
        now = min(report.next_due or end, hourly, end)
    return runs


def planned(db: Database) -> list[Sent]:
    with db.readers.begin() as session:
        rows = session.execute(
            select(
                Notice.kind,
                Notice.id,
                Notice.subject,
                Notice.title,
                func.coalesce(Delivery.slack_user_id, Delivery.email),
                Delivery.detail,
                Notice.created_at,
            )
            .join(Delivery, Delivery.notice_id == Notice.id)
            .where(Notice.kind.in_([NoticeKind.CALLSHEET, NoticeKind.REMINDER]))
            .order_by(Notice.created_at, Delivery.id)
        ).all()
    return [Sent(*row) for row in rows]


def local(zone: zoneinfo.ZoneInfo, *args: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone, fold=fold).astimezone(UTC)


def callsheets(sent: list[Sent]) -> dict[str, dt.datetime]:
    """When each day's call sheet was planned, by subject; asserting one notice per day."""
    notices = {
        (s.subject, s.notice_id, s.planned_at) for s in sent if s.kind == NoticeKind.CALLSHEET
    }
    subjects = Counter(subject for subject, _, _ in notices)
    assert set(subjects.values()) == {1}, subjects
    return {subject: at for subject, _, at in notices}  # type: ignore[misc]


def once_each(sent: list[Sent], kind: NoticeKind) -> Counter:
    """Deliveries per (day, person); asserting nobody got one twice."""
    counts = Counter((s.subject or s.title, s.user) for s in sent if s.kind == kind)
    assert counts
    assert set(counts.values()) == {1}, counts.most_common(3)
    return counts


# -- a week in London, across the night the clocks go back


def test_a_week_in_london_sends_each_call_sheet_and_reminder_once_at_local_time(
    db: Database,
) -> None:
    import_hollis(db)
    simulate(
        Planner(db),
        start=dt.datetime(2026, 10, 18, 12, tzinfo=UTC),
        end=dt.datetime(2026, 10, 26, 23, tzinfo=UTC),
    )
    sent = planned(db)

    # 18:00 London the evening before each shoot day: BST (17:00 UTC) until the
    # clocks go back on Sunday 25 Oct, GMT (18:00 UTC) after. No shoot on the 25th.
    assert callsheets(sent) == {
        "day:2026-10-19": local(LONDON, 2026, 10, 18, 18),
        "day:2026-10-20": local(LONDON, 2026, 10, 19, 18),
        "day:2026-10-21": local(LONDON, 2026, 10, 20, 18),
        "day:2026-10-22": local(LONDON, 2026, 10, 21, 18),
        "day:2026-10-23": local(LONDON, 2026, 10, 22, 18),
        "day:2026-10-24": local(LONDON, 2026, 10, 23, 18),
        "day:2026-10-26": local(LONDON, 2026, 10, 25, 18),
        "day:2026-10-27": local(LONDON, 2026, 10, 26, 18),
    }
    assert local(LONDON, 2026, 10, 25, 18) == dt.datetime(2026, 10, 25, 18, tzinfo=UTC)
    sheets = once_each(sent, NoticeKind.CALLSHEET)
    reminders = once_each(sent, NoticeKind.REMINDER)
    # Everyone called on a day in the week got that day's call sheet and one reminder.
    reminded_days = {title for title, _ in reminders}
    assert len(reminded_days) == 7
    assert len(reminders) == sum(1 for (day, user) in sheets if user and day != "day:2026-10-27")

    # Jonah Pike's personal 05:45 on Wed 21 Oct: reminded at 04:15 BST, 90 minutes before.
    jonah = [s for s in sent if s.user == OPERATOR and s.kind == NoticeKind.REMINDER]
    wednesday = next(s for s in jonah if "Wed 21 Oct" in s.title)
    assert wednesday.planned_at == local(LONDON, 2026, 10, 21, 4, 15)
    assert wednesday.detail.startswith("Your call today 05:45 at Hollis Farm")


def test_a_night_shoot_reminds_each_person_before_their_own_call(db: Database) -> None:
    import_hollis(db)
    with db.transaction() as session:
        session.execute(update(Production).values(reminder_lead=120))
    simulate(
        Planner(db),
        start=dt.datetime(2026, 11, 1, 12, tzinfo=UTC),
        end=dt.datetime(2026, 11, 3, 12, tzinfo=UTC),
    )
    # Day 12 (Mon 2 Nov) is a night shoot; Rosa Vidal is called at 01:30 the next morning,
    # and reminded two hours before, the evening before.
    rosa = [s for s in planned(db) if s.user == SOUND_ASSISTANT]
    reminder = next(s for s in rosa if s.kind == NoticeKind.REMINDER and "Day 12" in s.title)
    assert reminder.planned_at == local(LONDON, 2026, 11, 2, 23, 30)
    assert reminder.detail.startswith("Your call tomorrow 01:30 at")
    sheet = next(
        s for s in rosa if s.kind == NoticeKind.CALLSHEET and s.subject == "day:2026-11-02"
    )
    assert "*01:30 Tue*" in sheet.detail


# -- Los Angeles, both changes of the clocks


def coastline(db: Database, *, dates: list[str], callsheet_time: dt.time, calls: str = "") -> int:
    """A small Los Angeles production: 6 crew in two departments, a day per date at 07:00."""
    crew = "name,slack_id,department,role\n" + "".join(
        f"Crew {n},U0CL000{n},{'Camera' if n % 2 else 'Grip'},{'head' if n < 3 else 'crew'}\n"
        for n in range(1, 7)
    )
    schedule = "date,day,general_call,shooting_call,wrap,location\n" + "".join(
        f"{date},{n},07:00,08:00,19:00,Point Dume\n" for n, date in enumerate(dates, 1)
    )
    with db.transaction() as session:
        production = new_production(
            session,
            name="Coastline",
            slug="coastline",
            channel="C0CLCREW01",
            coordinator="U0CL0001",
        )
        production.timezone = "America/Los_Angeles"
        production.callsheet_time = callsheet_time
        for kind, data in (
            ("crew", crew),
            ("schedule", schedule),
            ("calls", f"date,who,call\n{calls}"),
        ):
            if data.count("\n") > 1:
                import_file(session, production=production, kind=kind, data=data.encode())
        session.flush()
        return production.id


def test_spring_forward_a_skipped_time_goes_out_once_just_after_the_jump(db: Database) -> None:
    # Clocks jump from 02:00 to 03:00 on Sunday 14 March 2027: 02:30 never happens.
    coastline(
        db,
        dates=["2027-03-13", "2027-03-14", "2027-03-15"],
        callsheet_time=dt.time(2, 30),
        calls="2027-03-14,Camera,04:00\n",
    )
    simulate(
        Planner(db),
        start=dt.datetime(2027, 3, 12, 0, tzinfo=UTC),
        end=dt.datetime(2027, 3, 15, 20, tzinfo=UTC),
    )
    sent = planned(db)

    assert callsheets(sent) == {
        "day:2027-03-13": local(LOS_ANGELES, 2027, 3, 12, 2, 30),
        "day:2027-03-14": local(LOS_ANGELES, 2027, 3, 13, 2, 30),
        # 02:30 on the 14th does not exist: the sheet goes at 03:30 PDT, once.
        "day:2027-03-15": dt.datetime(2027, 3, 14, 10, 30, tzinfo=UTC),
    }
    once_each(sent, NoticeKind.CALLSHEET)
    once_each(sent, NoticeKind.REMINDER)
    # Camera's 04:00 PDT call (11:00 UTC) is reminded 90 real minutes before: 01:30 PST.
    camera = {s.planned_at for s in sent if s.kind == NoticeKind.REMINDER and s.user == "U0CL0001"}
    assert dt.datetime(2027, 3, 14, 9, 30, tzinfo=UTC) in camera
    # Grip's 07:00 PDT general call that morning: 05:30 PDT.
    grip = {s.planned_at for s in sent if s.kind == NoticeKind.REMINDER and s.user == "U0CL0002"}
    assert local(LOS_ANGELES, 2027, 3, 14, 5, 30) in grip


def test_fall_back_a_repeated_time_goes_out_once_the_first_time(db: Database) -> None:
    # Clocks go back from 02:00 PDT to 01:00 PST on Sunday 1 November 2026: 01:30 happens twice.
    coastline(db, dates=["2026-10-31", "2026-11-01", "2026-11-02"], callsheet_time=dt.time(1, 30))
    simulate(
        Planner(db),
        start=dt.datetime(2026, 10, 29, 0, tzinfo=UTC),
        end=dt.datetime(2026, 11, 2, 20, tzinfo=UTC),
    )
    sent = planned(db)

    first_0130 = local(LOS_ANGELES, 2026, 11, 1, 1, 30, fold=0)
    assert first_0130 == dt.datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert callsheets(sent)["day:2026-11-02"] == first_0130
    once_each(sent, NoticeKind.CALLSHEET)
    reminders = once_each(sent, NoticeKind.REMINDER)
    assert len(reminders) == 3 * 6


# -- downtime, restarts, settings


def test_after_three_hours_down_the_call_sheet_still_goes_and_passed_reminders_are_dropped(
    db: Database,
) -> None:
    import_hollis(db)
    simulate(
        Planner(db),
        start=dt.datetime(2026, 10, 20, 12, tzinfo=UTC),
        end=local(LONDON, 2026, 10, 20, 17),
    )
    assert planned(db) == []

    # Down from 17:00 to 20:00 BST: the 18:00 call sheet for Wed 21 Oct was missed,
    # and goes out on restart, once.
    restarted = Planner(db)
    report = restarted.run(now=local(LONDON, 2026, 10, 20, 20))
    assert report.callsheets == 45
    assert callsheets(planned(db)) == {"day:2026-10-21": local(LONDON, 2026, 10, 20, 20)}
    assert restarted.run(now=local(LONDON, 2026, 10, 20, 20, 1)).callsheets == 0

    # Down again from 03:50 to 06:50 on the 21st. Reminders due meanwhile for calls
    # that have passed (05:30 to 06:45) are dropped; those for the 07:00 general call
    # go out late, once.
    simulate(
        restarted, start=local(LONDON, 2026, 10, 20, 20), end=local(LONDON, 2026, 10, 21, 3, 50)
    )
    early = {s.user for s in planned(db) if s.kind == NoticeKind.REMINDER}
    assert early  # the 05:00 call, reminded at 03:30
    late = Planner(db).run(now=local(LONDON, 2026, 10, 21, 6, 50))
    sent = planned(db)
    once_each(sent, NoticeKind.REMINDER)
    own_calls = {s.user: s.detail for s in sent if s.kind == NoticeKind.CALLSHEET and s.user}
    at_seven = {user for user, detail in own_calls.items() if "*07:00*" in detail}
    reminded_late = {s.user for s in sent if s.kind == NoticeKind.REMINDER} - early
    assert late.reminders == len(reminded_late) > 0
    assert reminded_late == at_seven
    assert len(early) + len(at_seven) < len(own_calls)  # some reminders were dropped


def test_a_new_callsheet_time_applies_to_the_next_evening(db: Database) -> None:
    import_hollis(db)
    planner = Planner(db)
    assert planner.run(now=local(LONDON, 2026, 10, 19, 16)).callsheets == 0
    with db.transaction() as session:
        # As /crewcall setup saves it: through the ORM, which raises the schedule version.
        session.scalars(select(Production)).one().callsheet_time = dt.time(16, 0)
    report = planner.run(now=local(LONDON, 2026, 10, 19, 16))
    assert report.callsheets == 45
    assert callsheets(planned(db))["day:2026-10-20"] == local(LONDON, 2026, 10, 19, 16)
    # And every evening after: not before 16:00, at 16:00.
    assert planner.run(now=local(LONDON, 2026, 10, 20, 15, 59)).callsheets == 0
    assert planner.run(now=local(LONDON, 2026, 10, 20, 16)).callsheets == 45


def test_reminder_lead_zero_turns_reminders_off(db: Database) -> None:
    import_hollis(db)
    with db.transaction() as session:
        session.execute(update(Production).values(reminder_lead=0))
    simulate(
        Planner(db),
        start=dt.datetime(2026, 10, 20, 12, tzinfo=UTC),
        end=dt.datetime(2026, 10, 21, 12, tzinfo=UTC),
    )
    kinds = Counter(s.kind for s in planned(db))
    assert kinds[NoticeKind.REMINDER] == 0
    assert kinds[NoticeKind.CALLSHEET] == 46  # 45 people and the crew channel


def test_planners_running_at_once_plan_each_message_once(db: Database) -> None:
    import_hollis(db)
    planners = [Planner(db) for _ in range(4)]
    now = local(LONDON, 2026, 10, 20, 18)
    reports = []
    threads = [
        threading.Thread(target=lambda p=p: reports.append(p.run(now=now))) for p in planners
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.callsheets for r in reports) == 45
    assert all(not r.failed for r in reports)
    sent = planned(db)
    once_each(sent, NoticeKind.CALLSHEET)
    assert len({s.notice_id for s in sent}) == 1
    # A restarted planner that knows nothing finds it all done.
    assert Planner(db).run(now=now).callsheets == 0
    with db.readers.begin() as session:
        assert session.scalar(select(Occurrence.id).where(Occurrence.notice_id.is_(None))) is None


# -- the messages as Slack gets them


def texts(message: dict) -> str:
    """Every piece of text in a message's blocks, one per line."""
    found = []
    for block in message["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        found.extend(element.get("text", "") for element in block.get("elements", []))
        found.extend(field["text"] for field in block.get("fields", []))
    return "\n".join(t if isinstance(t, str) else t.get("text", "") for t in found)


def buttons(message: dict) -> list[str]:
    return [
        element["action_id"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_the_call_sheet_and_reminder_as_crew_see_them(db: Database, slack: FakeSlack) -> None:
    import_hollis(db)
    slack.add_user("U0RAVI0001", email="ravi.menon@hollisfarm.example")
    planner, sender = Planner(db), sender_for(db, slack)
    planner.run(now=local(LONDON, 2026, 10, 20, 18))
    drain(sender, db)

    [post] = slack.posted(CHANNEL)
    shown = texts(post)
    assert "Call sheet · Wed 21 Oct · Day 3" in shown
    assert "*Calls by department*" in shown
    assert "• *Camera*: 06:00 (60 min before the general call)" in shown
    assert "Jonah Pike (Camera): *05:45* — lens tests before call" in shown
    assert "*Nearest hospital:* John Radcliffe Hospital" in shown
    assert "0/45 acknowledged" in shown
    assert buttons(post) == ["acknowledge"]

    [sheet] = slack.posted(dm_of(OPERATOR))
    shown = texts(sheet)
    assert "Your call Wed 21 Oct: *05:45* · personal call" in shown
    assert "_lens tests before call_" in shown
    # The whole sheet, below the person's own call, as the channel has it (issue 23).
    assert shown.index("Your call Wed 21 Oct") < shown.index("*General crew call:* 07:00")
    assert shown.index("*General crew call:* 07:00") < shown.index("*Calls by department*")
    assert buttons(sheet) == ["acknowledge"]

    planner.run(now=local(LONDON, 2026, 10, 21, 4, 15))
    drain(sender, db)
    reminder = slack.posted(dm_of(OPERATOR))[-1]
    assert reminder["text"].startswith("Reminder · Wed 21 Oct · Day 3: Your call today 05:45")
    assert "Hollis Lane, Little Milton" in texts(reminder)
    assert buttons(reminder) == []  # read, not acknowledged
    with db.readers.begin() as session:
        failed = session.scalars(select(Delivery).where(Delivery.status == DeliveryStatus.FAILED))
        # Those known only by email are looked up; two have no Slack account (yet).
        assert sorted({d.email for d in failed}) == [
            "finn.walsh@hollisfarm.example",
            "hugo.lenz@hollisfarm.example",
        ]
    assert len(slack.posted(dm_of("U0RAVI0001"))) == 1  # his reminder is not due until 04:30


def test_a_call_sheet_replaces_a_schedule_change_sent_before_it(db: Database) -> None:
    import_hollis(db)
    with db.transaction() as session:
        production = session.scalars(select(Production)).one()
        change = create_notice(
            session,
            production=production,
            kind=NoticeKind.SCHEDULE_CHANGE,
            subject="day:2026-10-21",
            title="Schedule change · Wed 21 Oct · Day 3",
            recipients=[Recipient.of(m) for m in session.scalars(select(CrewMember)).all()[:5]],
            now=local(LONDON, 2026, 10, 19, 12),
        )
        change_id = change.id
    Planner(db).run(now=local(LONDON, 2026, 10, 20, 18))
    with db.readers.begin() as session:
        old = session.get(Notice, change_id)
        sheet = session.scalars(select(Notice).where(Notice.kind == NoticeKind.CALLSHEET)).one()
        assert old is not None
        assert old.superseded_at == local(LONDON, 2026, 10, 20, 18)
        assert sheet.supersedes_id == change_id
        assert sheet.superseded_at is None


NEW_TRAINEE = b"\nNell Price,U0HF0099,,Camera,Trainee,crew,,\n"


def test_someone_called_after_the_call_sheet_went_out_gets_it_too(db: Database) -> None:
    import_hollis(db)
    planner = Planner(db)
    planner.run(now=local(LONDON, 2026, 10, 21, 18))  # Thu 22 Oct: Oscar Dunn is off on day 5 only
    with db.transaction() as session:
        production = session.scalars(select(Production)).one()
        import_file(
            session,
            production=production,
            kind="crew",
            data=(FIXTURES / "crew.csv").read_bytes().rstrip()
            + b"\nNell Price,U0HF0099,,Camera,Trainee,crew,,\n",
        )
    planner.run(now=local(LONDON, 2026, 10, 21, 18, 5))
    sent = [s for s in planned(db) if s.kind == NoticeKind.CALLSHEET]
    assert len({s.notice_id for s in sent}) == 1  # the same call sheet, not a new version
    nell = [s for s in sent if s.user == "U0HF0099"]
    assert len(nell) == 1
    assert nell[0].detail.startswith("Your call Thu 22 Oct: *06:00* · Camera call")
    with db.readers.begin() as session:
        assert session.scalar(select(func.count()).where(Notice.superseded_at.is_not(None))) == 0


def test_the_daily_check_runs_once_a_day_at_rentals_time(db: Database) -> None:
    import_hollis(db)
    runs: list[tuple[str, dt.date, dt.datetime]] = []

    def check(session, production, date, now) -> None:  # type: ignore[no-untyped-def]
        runs.append((production.slug, date, now))

    planners = [Planner(db, daily_checks=[check]) for _ in range(2)]
    for planner in planners:
        simulate(
            planner,
            start=dt.datetime(2026, 10, 20, 0, tzinfo=UTC),
            end=dt.datetime(2026, 10, 22, 12, tzinfo=UTC),
        )
    assert runs == [
        ("hollis", dt.date(2026, 10, 20), local(LONDON, 2026, 10, 20, 9)),
        ("hollis", dt.date(2026, 10, 21), local(LONDON, 2026, 10, 21, 9)),
        ("hollis", dt.date(2026, 10, 22), local(LONDON, 2026, 10, 22, 9)),
    ]


def test_an_inactive_production_gets_nothing(db: Database) -> None:
    import_hollis(db)
    with db.transaction() as session:
        session.scalars(select(Production)).one().active = False
    report = Planner(db).run(now=local(LONDON, 2026, 10, 20, 18))
    assert (report.callsheets, report.next_due) == (0, None)


def test_the_call_sheet_is_what_acks_and_calltime_report_on(
    db: Database, slack: FakeSlack, events_url: str, clock: FakeClock
) -> None:
    import_hollis(db)
    planner = Planner(db)
    planner.run(now=local(LONDON, 2026, 10, 20, 18))
    planner.run(now=local(LONDON, 2026, 10, 21, 4, 15))  # Jonah Pike's reminder, told not acked
    drain(sender_for(db, slack), db)
    with db.readers.begin() as session:
        sheet_id = session.scalar(select(Notice.id).where(Notice.kind == NoticeKind.CALLSHEET))

    report = shown(command(events_url, "/acks", user=HOLLIS_COORDINATOR, channel=CHANNEL))
    assert f"Notice {sheet_id}: 0/45 acknowledged" in report  # the call sheet, not the reminder
    assert "Reminder" not in report

    clock.now = local(LONDON, 2026, 10, 21, 4, 20)
    before = shown(command(events_url, "/calltime", user=OPERATOR, channel=CHANNEL))
    assert f"You haven't acknowledged this day's call sheet (notice {sheet_id})" in before
    click(events_url, slack, sheet_id, OPERATOR)
    after = shown(command(events_url, "/calltime", user=OPERATOR, channel=CHANNEL))
    assert "Call sheet acknowledged" in after
