"""The demo production `crewcall console --demo` starts with: Kestrel Bay.

40 crew in 10 departments, 15 shoot days (a night shoot, and a company move from the
harbour to the quarry), department offsets and a personal call, two script revisions
and three rentals, one of them overdue. It is made the way a coordinator would make
it: CSV imports, a script announcement, rentals added; on a clock set to the Monday
before the shoot.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.productions import create_production
from bot.imports.run import import_file
from bot.notices.acknowledgements import acknowledge
from bot.rentals.fields import parse_add
from bot.rentals.rentals import Who, add_rental
from bot.script.revisions import announce_revision, parse_new
from bot.storage.models import DeliveryStatus, Notice, NoticeKind, Production, Role

ZONE = zoneinfo.ZoneInfo("Europe/London")
# The console's clock starts here: Monday noon, the day before the first shoot day.
START = dt.datetime(2026, 11, 23, 12, 0, tzinfo=ZONE)
TEAM_ID = "T0CREW001"
CHANNEL = "C0DEMOCREW"
CHANNEL_NAME = "kestrel-crew"
DEPARTMENTS = {
    "Production": ["Priya Shah", "Tom Reyes", "Lena Fischer", "Omar Haddad"],
    "Camera": ["Iris Novak", "Jonah Pike", "Ada Moreau", "Ben Carter", "Mia Lund"],
    "Grip": ["Declan Ross", "Kit Summers", "Sol Ortega", "Ned Hale"],
    "Electric": ["Rhea Patel", "Gus Moreno", "Lou Brandt", "Vic Tran"],
    "Sound": ["Hana Kim", "Oscar Dunn", "Rosa Vidal"],
    "Art": ["Fay Lowell", "Eli Stone", "June Park", "Raf Costa"],
    "Costume": ["Nell Price", "Ivo Marsh", "Tess Quinn", "Zoe Hart"],
    "Hair & Make-up": ["Cleo Barnes", "Dev Rao", "Amy Cho", "Sara Blom"],
    "Locations": ["Max Ferrer", "Lily Shaw", "Aziz Noor"],
    "Transport": ["Rita Solis", "Hugo Lenz", "Finn Walsh", "Paul Evans", "Nora Kemp"],
}
COORDINATORS = ("Priya Shah", "Tom Reyes")
HARBOUR = (
    "Kestrel Bay Harbour",
    "Quay Road, Kestrel Bay, KB1 2HA",
    "Harbour car park, level 2",
    "Kestrel Bay General Hospital, Marine Parade (A&E, 10 min)",
    "50.6190",
    "-3.4130",
)
QUARRY = (
    "Blackmoor Quarry",
    "Moor Lane, Blackmoor, BM4 7QY",
    "Gravel lay-by at the quarry gate; no parking on Moor Lane",
    "Moorside Hospital, Station Road (A&E, 25 min)",
    "50.6620",
    "-3.5280",
)
NIGHT_DAY = 8
# Those who have not acknowledged the script revisions yet (Vic Tran, Fay Lowell, Max Ferrer).
STILL_READING = {"U0DEMO0017", "U0DEMO0021", "U0DEMO0033"}
MOVE_DAY = 8  # the company moves to the quarry on day 8, which is also the night shoot
OFFSETS = {
    "Camera": "-60",
    "Grip": "-45",
    "Electric": "-30",
    "Costume": "-75",
    "Hair & Make-up": "-90",
}
THINGS_TO_TRY = (
    "/calltime tomorrow",
    "/schedule-change tue call 06:30   (then: click Send, as @Jonah Pike, click Acknowledge)",
    "clock +20h   (the reminders before Tuesday's calls go out)",
)


def user_id(number: int) -> str:
    """The demo's Slack user id for crew member `number`."""
    return f"U0DEMO{number:04d}"


def people() -> list[tuple[str, str, str, str]]:
    """(Slack id, name, department, role) for everyone on the crew."""
    found, number = [], 1
    for department, names in DEPARTMENTS.items():
        for index, name in enumerate(names):
            role = "coordinator" if name in COORDINATORS else ("head" if index == 0 else "crew")
            found.append((user_id(number), name, department, role))
            number += 1
    return found


def shoot_days() -> list[dt.date]:
    """Fifteen weekdays from Tuesday 24 November."""
    days: list[dt.date] = []
    date = START.date() + dt.timedelta(days=1)
    while len(days) < 15:
        if date.weekday() < 5:
            days.append(date)
        date += dt.timedelta(days=1)
    return days


def create_demo(session: Session) -> Production:
    """Make Kestrel Bay, its crew, schedule, calls, script revisions and rentals."""
    crew = people()
    coordinators = [uid for uid, name, _, _ in crew if name in COORDINATORS]
    production = create_production(
        session,
        team_id=TEAM_ID,
        name="Kestrel Bay",
        slug="kestrel",
        timezone=str(ZONE),
        channel=CHANNEL,
        coordinators=coordinators,
    )
    import_file(session, production=production, kind="crew", data=_crew_csv(crew))
    import_file(session, production=production, kind="schedule", data=_schedule_csv())
    import_file(session, production=production, kind="calls", data=_calls_csv(crew))
    _script_and_rentals(session, production, author=coordinators[0])
    return production


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _crew_csv(crew: list[tuple[str, str, str, str]]) -> bytes:
    rows = [
        [name, "".join(name.lower().split()) + "@kestrelbay.example", uid, department, "", role]
        for uid, name, department, role in crew
    ]
    return _csv(["name", "email", "slack_id", "department", "position", "role"], rows)


def _schedule_csv() -> bytes:
    rows = []
    for number, date in enumerate(shoot_days(), start=1):
        place = HARBOUR if number < MOVE_DAY else QUARRY
        call, shooting, wrap = (
            ("18:00", "19:00", "05:00")
            if number == NIGHT_DAY
            else (
                "07:00",
                "08:00",
                "19:00",
            )
        )
        scenes = "; ".join(
            f"{number * 4 + k}|{'EXT.' if k % 2 else 'INT.'} SET {k}|D|1 2/8" for k in range(3)
        )
        notes = (
            "Company move: unit base opens at the quarry at 16:00." if number == MOVE_DAY else ""
        )
        rows.append([date.isoformat(), str(number), call, shooting, wrap, *place, scenes, notes])
    header = [
        "date", "day", "general_call", "shooting_call", "wrap", "location", "address",
        "parking", "hospital", "latitude", "longitude", "scenes", "notes",
    ]  # fmt: skip
    return _csv(header, rows)


def _calls_csv(crew: list[tuple[str, str, str, str]]) -> bytes:
    days = shoot_days()
    rows = []
    for number, date in enumerate(days, start=1):
        rows += [
            [date.isoformat(), department, offset, ""] for department, offset in OFFSETS.items()
        ]
        pickup = ("16:30", "16:15") if number == NIGHT_DAY else ("05:30", "05:15")
        rows.append(
            [date.isoformat(), "Transport", pickup[0], f"pickup {pickup[1]} at the Harbour Hotel"]
        )
    jonah = next(uid for uid, name, _, _ in crew if name == "Jonah Pike")
    rows.append([days[1].isoformat(), jonah, "05:45", "lens tests before call"])
    return _csv(["date", "who", "call", "note"], rows)


def _history(session: Session, *, crew_ids: list[str], still_reading: set[str]) -> None:
    """The script revisions went out when announced, and everyone but a few has
    acknowledged them (their deliveries are marked sent as the sender would have)."""
    session.flush()
    for notice in session.scalars(select(Notice).where(Notice.kind == NoticeKind.SCRIPT)):
        for delivery in notice.deliveries:
            if delivery.slack_user_id is None or delivery.slack_user_id in still_reading:
                continue
            delivery.status, delivery.sends = DeliveryStatus.SENT, 1
            delivery.sent_at = delivery.last_notified_at = notice.created_at
            delivery.channel = "D" + delivery.slack_user_id[1:]
        session.flush()
        for user_id in crew_ids:
            if user_id not in still_reading:
                acknowledge(
                    session,
                    notice_id=notice.id,
                    team_id=TEAM_ID,
                    user_id=user_id,
                    now=notice.created_at + dt.timedelta(hours=3),
                )


def _script_and_rentals(session: Session, production: Production, *, author: str) -> None:
    week_before = START - dt.timedelta(days=7)
    for text, when in (
        ("pages 1-110", week_before),
        (
            "pages 12, 14-16, 23A scenes 12, 14 -- new opening on the quay",
            START - dt.timedelta(days=2),
        ),
    ):
        announce_revision(
            session, production=production, request=parse_new(text), author=author, now=when
        )
    _history(session, crew_ids=[uid for uid, *_ in people()], still_reading=STILL_READING)
    who = Who(author, Role.COORDINATOR, None)
    today = START.date()
    for text in (
        '"Alexa Mini LF kit" vendor Panavision dept camera out 2026-11-20 due 2026-12-15 '
        "rate £850/day po 4411",
        '"Fisher 10 dolly" vendor Panther dept grip out 2026-11-09 due 2026-11-20 rate £300/day',
        '"60 kVA generator" vendor Pinewood Power dept electric out 2026-11-23 '
        "due 2026-11-25 rate £1,400/week",
    ):
        new = parse_add(session, production, text, today=today)
        add_rental(session, production=production, new=new, who=who, today=today, now=START)
