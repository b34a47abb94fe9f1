"""The README says only what is true: its console transcript is what the console prints,
its demo is the demo, every setting is in its table, and it stands alone in a clone."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from bot.config import Settings
from bot.console import demo
from tests import processes

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_console_transcript_is_what_the_console_prints(tmp_path: Path) -> None:
    written = re.search(r"this one is `printf (\".*?\") \| crewcall console --demo`:", README, re.S)
    assert written is not None
    script = shlex.split(written[1].replace("\n", " "))[0].encode().decode("unicode_escape")
    shown = README[written.end() :].split("```\n", 2)[1]

    printed = processes.run(
        processes.crewcall("console", "--demo"),
        input=script,
        cwd=tmp_path,
        env=processes.environment(HOME=str(tmp_path)),
        timeout=120,
    )

    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == shown


def test_the_demo_is_as_the_readme_describes_it() -> None:
    described = re.search(
        r"Kestrel Bay, (\d+) crew in (\d+) departments, (\d+) shoot days", README.replace("\n", " ")
    )

    assert described is not None
    crew, departments, days = (int(number) for number in described.groups())
    assert crew == sum(len(people) for people in demo.DEPARTMENTS.values())
    assert departments == len(demo.DEPARTMENTS)
    assert days == len(demo.shoot_days())


def test_every_setting_is_in_the_settings_table_and_nothing_else() -> None:
    table = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", table.split("| Setting |", 1)[1]))
    rows = {name for line in table.splitlines() if line.startswith("| `") for name in
            re.findall(r"`([A-Z][A-Z_]+)`", line.split("|")[1])}  # fmt: skip

    assert rows == {name.upper() for name in Settings.model_fields}
    assert rows <= documented


def test_it_stands_alone_in_a_clone() -> None:
    assert "../shared" not in README
    assert "PRODUCT.md" not in README
