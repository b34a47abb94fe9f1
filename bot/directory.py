"""Each process's in-memory copy of every production's schedule, kept current.

A request reads schedules from memory. At most once every `staleness` seconds per
workspace, one query compares the productions' schedule versions with the copies
held, and reloads those that changed. A commit in this process that changes a
schedule marks the copy stale at once, and the next request refreshes it; other
processes see it within `staleness` (plus the refresh itself).

Given `refresh_in` (the web app's after-answer pool), a copy that is merely old is
refreshed there, once at a time, while requests go on being answered from it:
no request waits for that query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from bot.background import OncePerKey, RunIn
from bot.schedule import Schedule, load_schedule
from bot.storage.db import Database
from bot.storage.models import Production, Workspace

# A copy's `checked` after a commit here changed a schedule: refreshed by the next request.
CHANGED_HERE = float("-inf")


@dataclass
class WorkspaceSchedules:
    """The active productions of one workspace, as loaded at `checked`."""

    workspace_id: int
    team_id: str
    productions: dict[int, Schedule]
    checked: float = field(default=float("-inf"))
    _of_user: dict[str, list[Schedule]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for schedule in sorted(self.productions.values(), key=lambda s: s.production.name):
            for user_id in schedule.crew_by_user:
                self._of_user.setdefault(user_id, []).append(schedule)

    def for_channel(self, channel_id: str | None) -> Schedule | None:
        """The production whose crew channel this is."""
        for schedule in self.productions.values():
            if channel_id and schedule.production.crew_channel == channel_id:
                return schedule
        return None

    def of_user(self, user_id: str) -> list[Schedule]:
        """The productions this Slack user is on the crew list of, by name."""
        return self._of_user.get(user_id, [])


class Directory:
    """Schedules by workspace, shared by the threads of one process."""

    def __init__(
        self,
        db: Database,
        *,
        staleness: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        refresh_in: RunIn | None = None,
    ) -> None:
        self.db = db
        self.staleness = staleness
        self._monotonic = monotonic
        self._refresh_later = OncePerKey(refresh_in) if refresh_in else None
        self._workspaces: dict[str, WorkspaceSchedules] = {}
        self._lock = threading.Lock()
        self._changes = 0  # commits here that changed a schedule
        db.schedule_listeners.append(self._changed)

    def workspace(self, team_id: str) -> WorkspaceSchedules | None:
        """The workspace's schedules, refreshed if they may be stale; None if unknown."""
        cached = self._workspaces.get(team_id)
        if cached is not None and self._monotonic() - cached.checked < self.staleness:
            return cached
        if cached is not None and cached.checked != CHANGED_HERE and self._refresh_later:
            self._refresh_later(team_id, lambda: self._refresh_now(team_id))
            return cached
        return self._refresh_now(team_id)

    def _refresh_now(self, team_id: str) -> WorkspaceSchedules | None:
        with self._lock:
            cached = self._workspaces.get(team_id)
            if cached is not None and self._monotonic() - cached.checked < self.staleness:
                return cached
            changes = self._changes
            fresh = self._refresh(team_id, cached)
            if fresh is not None:
                if self._changes != changes:  # a commit here while reading: read again
                    fresh.checked = CHANGED_HERE
                self._workspaces[team_id] = fresh
            return fresh

    def _changed(self, _production_ids: set[int]) -> None:
        """After a commit here changed a schedule: check every workspace on its next use.

        One version query each; even a production new to its workspace is seen at once.
        """
        self._changes += 1
        for cached in list(self._workspaces.values()):
            cached.checked = CHANGED_HERE

    def _refresh(
        self, team_id: str, cached: WorkspaceSchedules | None
    ) -> WorkspaceSchedules | None:
        checked = self._monotonic()
        with self.db.readers() as session:
            rows = session.execute(
                select(Workspace.id, Production.id, Production.schedule_version)
                .select_from(Workspace)
                .outerjoin(
                    Production,
                    (Production.workspace_id == Workspace.id) & Production.active.is_(True),
                )
                .where(Workspace.team_id == team_id)
            ).all()
            if not rows:
                return None
            held = cached.productions if cached else {}
            productions = {}
            for _workspace_id, production_id, version in rows:
                if production_id is None:
                    continue
                current = held.get(production_id)
                if current is None or current.version != version:
                    current = load_schedule(session, production_id=production_id)
                productions[production_id] = current
        return WorkspaceSchedules(rows[0][0], team_id, productions, checked)
