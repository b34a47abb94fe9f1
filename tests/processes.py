"""Processes the tests start: each on the test's clock, in a process group of its own.

Every process a test starts goes through `start` or `run`, which give it CLOCK_OFFSET
as the test run has it (so that a run a year ahead moves every process's clock with the
tests'), and a session of its own, whose process group `end` ends whole: a gunicorn
master killed on purpose leaves workers behind, and they go with the group.

Each pytest process is made a child subreaper (`adopt_orphans`): whatever a test's
processes leave behind when their parent dies becomes its child rather than init's, so
that `leftovers` finds it after the test, wherever it was started.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PR_SET_CHILD_SUBREAPER = 36


def environment(**settings: str) -> dict[str, str]:
    """A bot process's whole environment: PATH, the test run's clock, and `settings`."""
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)}
    if offset := os.environ.get("CLOCK_OFFSET"):
        env["CLOCK_OFFSET"] = offset
    return {**env, **settings}


def crewcall(*args: str) -> list[str]:
    """The command line of `crewcall <args>`, as this interpreter runs it."""
    return [sys.executable, "-m", "bot", *args]


def start(args: Sequence[str], *, env: dict[str, str], **popen: object) -> subprocess.Popen:
    """A process in a session (and process group) of its own; end it with `end`."""
    return subprocess.Popen(args, env=env, start_new_session=True, **popen)  # type: ignore[call-overload]


def run(
    args: Sequence[str],
    *,
    env: dict[str, str],
    input: str | None = None,
    cwd: Path | str | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess:
    """Run a command to its end, its output captured as text; its group ended after it."""
    process = start(
        args,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(input, timeout=timeout)
    finally:
        end([process])
    return subprocess.CompletedProcess(list(args), process.returncode, out, err)


def end(processes: Iterable[subprocess.Popen], *, timeout: float = 15) -> None:
    """SIGTERM to each process still running and a wait for it to stop (SIGKILL if it will
    not), then SIGKILL to whatever is left of its process group."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for process in processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    reap()


# -- what a test leaves behind


def adopt_orphans() -> None:
    """Make this process the reaper of its descendants' orphans (Linux)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def children(parent: int | None = None) -> dict[int, tuple[str, str]]:
    """This process's children (or `parent`'s): pid -> (state, command line)."""
    parent = os.getpid() if parent is None else parent
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and brackets, so from the last ")".
        state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
        if int(ppid) == parent:
            found[int(entry.name)] = (state, command)
    return found


def group_of(leader: int) -> set[int]:
    """Every process in the process group `leader` leads, but the leader."""
    members = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != leader:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if os.getpgid(int(entry.name)) == leader:
                    members.add(int(entry.name))
    return members


def running(pids: Iterable[int]) -> set[int]:
    """Those of `pids` still running; an ended child of ours is reaped, not counted."""
    reap()
    alive = set()
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2 :].split()[0] != "Z":
            alive.add(pid)
    return alive


def reap() -> None:
    """Collect the exit status of every child that has ended (zombies, often adopted)."""
    for pid, (state, _) in children().items():
        if state == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def leftovers() -> dict[int, str]:
    """Children of this process still running: pid -> command line. Zombies are reaped."""
    try:  # no children at all, as after most tests: no need to read every process's stat
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return {}
    reap()
    return {pid: command for pid, (state, command) in children().items() if state != "Z"}


def kill_leftovers(found: Iterable[int]) -> None:
    """SIGKILL these processes and their groups, and reap them."""
    for pid in found:
        for kill in (os.killpg, os.kill):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid, signal.SIGKILL)
    found = set(found)
    deadline = time.monotonic() + 5
    while found & leftovers().keys() and time.monotonic() < deadline:
        time.sleep(0.01)
