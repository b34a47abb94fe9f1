"""What time it is, for every part of Crewcall: one clock, the same in every process.

The real clock, moved by the CLOCK_OFFSET setting when one is given: to rehearse a
production ahead of its dates, and for the suite's run a year ahead in CI. Each process
sets the offset once, from its settings (bot/config.py `load_settings`), so the web
processes, the workers and the tests that start them agree on the day. Slack's request
signatures and the pacing of Web API calls keep the real clock: Slack keeps it too.
"""

from __future__ import annotations

import datetime as dt

_offset = dt.timedelta(0)


def now() -> dt.datetime:
    """Now, aware UTC, moved by the process's offset."""
    return dt.datetime.now(dt.UTC) + _offset


def real(moment: dt.datetime) -> dt.datetime:
    """The real clock's reading at a moment of Crewcall's: as Slack's timestamps count it."""
    return moment - _offset


def set_offset(offset: dt.timedelta) -> None:
    """Move this process's clock by `offset` from the real one (zero puts it back)."""
    global _offset
    _offset = offset


def offset() -> dt.timedelta:
    """How far this process's clock stands from the real one."""
    return _offset
