"""The rules that keep the suite honest on any day: one clock, and no process left behind.

A test that lays its days from a fixed date while a process it started reads the real
clock passes for a week, then fails every run. So every clock Crewcall and its tests
read is `bot/clock.py`'s (moved alike in every process by CLOCK_OFFSET, which .ci/run
sets a year ahead for a second run), and every process a test starts goes through
tests/processes.py, which hands it that offset and ends its whole process group.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import processes

ROOT = Path(__file__).resolve().parents[1]
# Reading the real date or time of day (time.time() stays: signatures and pacing are
# real time, as Slack's are).
REAL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}


def _sources(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def _real_clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in REAL_CLOCK:
                found.append(f"{_shown(path)}:{node.lineno}")
    return found


def test_only_bot_clock_reads_the_real_date() -> None:
    reads = [
        where
        for path in _sources("bot", "tests")
        if path != ROOT / "bot" / "clock.py"
        for where in _real_clock_reads(path)
    ]

    assert reads == [], "read bot.clock.now() instead (CLOCK_OFFSET moves it): " + ", ".join(reads)


def test_the_rule_finds_a_real_clock_read(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("import datetime as dt\nx = dt.datetime.now(dt.UTC)\ny = dt.date.today()\n")

    assert len(_real_clock_reads(planted)) == 2


def _starts_processes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "subprocess"
            and node.func.attr in ("Popen", "run", "call", "check_call", "check_output")
        ):
            found.append(f"{_shown(path)}:{node.lineno}")
    return found


def test_tests_start_processes_only_through_tests_processes() -> None:
    starts = [
        where
        for path in _sources("tests")
        if path.name not in ("processes.py", "test_suite_rules.py")
        for where in _starts_processes(path)
    ]

    assert starts == [], "start processes with tests.processes.start/run: " + ", ".join(starts)


def test_a_process_left_running_is_found_and_its_orphans_too() -> None:
    """What the check after every test sees: a child still running, and a grandchild whose
    parent died (adopted by this process, not by init)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; "
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
            "print(p.pid, flush=True)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    orphan = int(parent.stdout.readline())  # type: ignore[union-attr]
    parent.wait()
    try:
        deadline = time.monotonic() + 10
        while orphan not in processes.leftovers() and time.monotonic() < deadline:
            time.sleep(0.01)
        found = processes.leftovers()
    finally:
        processes.kill_leftovers([child.pid, orphan])
        child.wait()

    assert child.pid in found
    assert orphan in found  # its parent is gone: adopted here
    assert processes.leftovers() == {}


@pytest.mark.parametrize("how", ["start", "run"])
def test_processes_started_for_tests_get_the_runs_clock(
    monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("CLOCK_OFFSET", "P365D")
    env = processes.environment()
    script = "import os; print(os.environ.get('CLOCK_OFFSET'))"
    if how == "run":
        printed = processes.run([sys.executable, "-c", script], env=env).stdout
    else:
        process = processes.start(
            [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
        )
        printed, _ = process.communicate(timeout=30)
        processes.end([process])

    assert printed.strip() == "P365D"


BASELINE = ROOT / "tests" / "type_ignores.txt"


def _type_ignores() -> dict[str, int]:
    counts = {}
    for path in _sources("bot"):
        if found := path.read_text().count("# type: ignore"):
            counts[str(path.relative_to(ROOT))] = found
    return counts


def test_type_ignores_only_shrink() -> None:
    """mypy runs over bot/ in CI; each `# type: ignore` it is told to overlook is counted
    here, and no file may gain one (fix the type instead). Lower the baseline when one goes."""
    baseline = {
        path: int(count)
        for path, count in (line.split() for line in BASELINE.read_text().splitlines() if line)
    }

    grown = {
        path: (count, baseline.get(path, 0))
        for path, count in _type_ignores().items()
        if count > baseline.get(path, 0)
    }

    assert grown == {}, f"more `# type: ignore`s than {BASELINE.name} allows: {grown}"
