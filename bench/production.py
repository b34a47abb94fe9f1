"""A generated production for benchmarks: N crew in 12 departments, D shoot days from tomorrow."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

DEPARTMENTS = [
    "Production", "Camera", "Grip", "Electric", "Sound", "Art", "Costume",
    "Hair & Make-up", "Locations", "Transport", "Stunts", "VFX",
]  # fmt: skip
OFFSETS = {"Camera": "-60", "Hair & Make-up": "-90", "Costume": "-75", "Grip": "-45"}


def user_id(n: int) -> str:
    return f"U0BENCH{n:04d}"


def write_production(folder: Path, *, crew: int, days: int, today: dt.date) -> dict[str, Path]:
    """crew.csv, schedule.csv and calls.csv in `folder`; returns their paths by kind."""
    files = {kind: folder / f"{kind}.csv" for kind in ("crew", "schedule", "calls")}
    people = io.StringIO()
    writer = csv.writer(people)
    writer.writerow(["name", "slack_id", "email", "department", "position", "role", "phone"])
    for n in range(crew):
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        role = "coordinator" if n == 0 else ("head" if n < len(DEPARTMENTS) else "crew")
        writer.writerow(
            [f"Person {n}", user_id(n), f"p{n}@bench.example", department, "Crew", role, f"+44 {n}"]
        )
    files["crew"].write_text(people.getvalue())
    schedule, calls = io.StringIO(), io.StringIO()
    day_writer, call_writer = csv.writer(schedule), csv.writer(calls)
    day_writer.writerow(
        ["date", "day", "general_call", "shooting_call", "wrap", "location", "address",
         "parking", "hospital", "latitude", "longitude", "scenes"]
    )  # fmt: skip
    call_writer.writerow(["date", "who", "call", "note"])
    for number in range(1, days + 1):
        date = (today + dt.timedelta(days=number)).isoformat()
        scenes = "; ".join(f"{number * 5 + k}|INT. SET {k}|D|1 3/8" for k in range(5))
        day_writer.writerow(
            [date, number, "07:00", "08:00", "19:00", "Hollis Farm", "Hollis Lane",
             "Top field", "John Radcliffe A&E", "51.715", "-1.118", scenes]
        )  # fmt: skip
        for department, offset in OFFSETS.items():
            call_writer.writerow([date, department, offset, ""])
        call_writer.writerow([date, "Transport", "05:30", "pickup 05:15 at hotel"])
        for n in range(number % 7, crew, 37):
            call_writer.writerow([date, user_id(n), "06:15", "personal"])
    files["schedule"].write_text(schedule.getvalue())
    files["calls"].write_text(calls.getvalue())
    return files
