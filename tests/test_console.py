"""`crewcall console --demo < script`: the real app driven from a terminal, as a transcript."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.console.demo import DEPARTMENTS, START, people, shoot_days
from bot.console.render import blocks_text, buttons_of
from tests import processes

ROOT = Path(__file__).resolve().parents[1]
SESSION = """\
# a coordinator looks up tomorrow, then moves Tuesday's general call
/calltime tomorrow
/schedule-change tue call 06:30
click Send
as @Jonah Pike
click Acknowledge
/acks 4
as @Priya Shah
/acks 4
/acks 4 all
# Tuesday morning: Jonah's reminder goes out 90 minutes before his 05:30 call
as @Jonah Pike
clock 2026-11-24 04:05
/calltime day 99
clock soon
as @Nobody
as @irsi
as @iris
as priya
inbox @jonah
inbox @jnoah
/crewcall setup callsheet_time 17:30
/crewcall setup renotify_max 50
quit
/calltime
"""


def console(script: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return processes.run(
        processes.crewcall("console", *args),
        input=script,
        cwd=tmp_path,
        env=processes.environment(HOME=str(tmp_path)),
        timeout=180,
    )


@pytest.fixture(scope="module")
def transcript(tmp_path_factory: pytest.TempPathFactory) -> str:
    result = console(SESSION, "--demo", tmp_path=tmp_path_factory.mktemp("console"))
    assert result.returncode == 0, result.stderr
    return result.stdout


def after(transcript: str, line: str) -> str:
    """What the console printed for one input line, up to the next."""
    start = transcript.index(f"> {line}\n") + len(line) + 3
    end = transcript.find("\n> ", start)
    return transcript[start : end if end != -1 else None]


def test_it_greets_and_suggests_things_to_try(transcript: str) -> None:
    assert transcript.startswith("Crewcall console: Kestrel Bay, Mon 23 Nov 2026 12:00.")
    assert "You are Priya Shah, a coordinator." in transcript
    assert "Things to try:\n  /calltime tomorrow\n" in transcript


def test_as_names_people_as_every_command_does(transcript: str) -> None:
    assert after(transcript, "as @irsi") == (
        "  as: I don't understand `@irsi`: did you mean Iris Novak? Try `as @Jonah Pike`."
    )
    assert after(transcript, "as @iris") == "  You are now Iris Novak."
    assert after(transcript, "as priya") == "  You are now Priya Shah."


def test_inbox_shows_what_someone_was_sent_as_it_stands_now(transcript: str) -> None:
    shown = after(transcript, "inbox @jonah")

    # Priya looks at Jonah's DMs: each as it is now. The change he acknowledged has been
    # replaced since by Tuesday's call sheet; his morning reminder came after.
    count = shown.count("[DM to Jonah Pike]")
    assert shown.startswith(f"  Jonah Pike's DMs from Crewcall: {count}\n")
    assert count >= 3
    assert ":warning: *Out of date:* replaced by notice" in shown
    assert "Your call Tue 24 Nov: *05:30*, was 06:00" in shown
    assert "Your call today 05:30 at Kestrel Bay Harbour" in shown
    assert after(transcript, "inbox @jnoah").startswith(
        "  inbox: I don't understand `@jnoah`: did you mean Jonah Pike?"
    )


def test_settings_in_text(transcript: str) -> None:
    assert "Call sheet goes out at: 17:30" in after(
        transcript, "/crewcall setup callsheet_time 17:30"
    )
    assert "from 0 to 20 (nudges). Nothing was changed." in after(
        transcript, "/crewcall setup renotify_max 50"
    )


def test_a_call_time(transcript: str) -> None:
    shown = after(transcript, "/calltime tomorrow")

    assert "[only you]" in shown
    assert "== Your call · Tue 24 Nov · Day 1 ==" in shown
    assert "*Kestrel Bay Harbour*" in shown


def test_a_schedule_change_its_dms_and_an_acknowledgement(transcript: str) -> None:
    preview = after(transcript, "/schedule-change tue call 06:30")
    sent = after(transcript, "click Send")
    acknowledged = after(transcript, "click Acknowledge")
    report = transcript.split("> /acks 4\n")[2]

    assert "Camera (5 people): 05:30, was 06:00" in preview
    assert "[ Send ] [ Cancel ]" in preview
    # The 35 whose call moves, but Priya, who sent it.
    assert "Sent: notice 4 is on its way to 34 people" in sent
    assert "[#kestrel-crew]" in sent
    assert "(34 more messages to other people)" in sent  # Priya has no DM of her own change
    assert "[updated]" in acknowledged
    assert "Acknowledged" in acknowledged
    assert "1/34 acknowledged" in acknowledged
    # The report lists who still has to acknowledge; `all` names who has, too.
    assert "*Acknowledged (1)*: Camera 1" in report.split("> ")[0]
    assert "Jonah Pike" not in report.split("> ")[0]
    assert "Jonah Pike" in after(transcript, "/acks 4 all")


def test_a_reminder_fired_by_moving_the_clock(transcript: str) -> None:
    shown = after(transcript, "clock 2026-11-24 04:05")

    assert "It is now Tue 24 Nov 04:05." in shown
    assert "== Call sheet · Tue 24 Nov · Day 1 ==" in shown  # the evening before, at 18:00
    assert "== Reminder · Tue 24 Nov · Day 1 ==\n    Your call today 05:30 at Kestrel Bay" in shown


def test_bad_input_gets_an_answer(transcript: str) -> None:
    assert "There is no day 99: the schedule runs to day 15." in after(
        transcript, "/calltime day 99"
    )
    assert "clock: write +30m, +2h, +1d or 2026-11-24 05:00." in after(transcript, "clock soon")
    assert "as: Nobody on the crew list of Kestrel Bay is called `@Nobody`" in after(
        transcript, "as @Nobody"
    )


def test_quit_ends_the_session(transcript: str) -> None:
    assert transcript.rstrip().endswith("> quit")


def test_demo_needs_a_new_database(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path}/used.db"
    assert console("quit\n", "--demo", "--database", database, tmp_path=tmp_path).returncode == 0

    again = console("quit\n", "--demo", "--database", database, tmp_path=tmp_path)

    assert again.returncode == 2
    assert again.stderr.strip() == (
        "crewcall: --demo needs a new database; leave out --database, or name a new one"
    )


def test_the_demo_is_the_size_promised() -> None:
    crew = people()
    days = shoot_days()

    assert len(crew) >= 40
    assert len(DEPARTMENTS) >= 8
    assert len(days) == 15
    assert days[0] > START.date()


def test_buttons_render_and_are_found() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Call sheet"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Hi <@U1|x> in <#C1>"},
            "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Ack"}},
        },
    ]

    lines = blocks_text(blocks, {"U1": "Jo", "C1": "crew"}.get)

    assert lines == ["== Call sheet ==", "Hi @Jo in #crew", "[ Ack ]"]
    assert [b["text"]["text"] for b in buttons_of(blocks)] == ["Ack"]


def test_the_console_plays_a_production_of_another_workspace(tmp_path: Path) -> None:
    """A production created with a real bot token belongs to that workspace, not the
    stand-in's: the console plays it as its own workspace (issue 23, item 8)."""
    database = f"sqlite:///{tmp_path}/real.db"
    env = processes.environment(HOME=str(tmp_path), DATABASE_URL=database)
    hollis = ROOT / "tests" / "fixtures" / "hollis"
    for args in (
        ["migrate"],
        ["production", "create", "--name", "Hollis Farm", "--slug", "hollis",
         "--timezone", "Europe/London", "--channel", "C0HOLLIS01",
         "--coordinator", "U0HF0001", "--team", "T0REALTEAM"],
        ["import", "crew", str(hollis / "crew.csv"), "--production", "hollis"],
        ["import", "schedule", str(hollis / "schedule.csv"), "--production", "hollis"],
    ):  # fmt: skip
        done = processes.run(processes.crewcall(*args), cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr

    result = console("/calltime 2026-10-20\n", "--database", database, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    answer = after(result.stdout, "/calltime 2026-10-20")
    assert "not on any production's crew list" not in answer
    assert "Your call" in answer
    assert "07:00" in answer
