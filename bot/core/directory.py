"""Each process's copies of the schedules it has been asked about, checked on every use.

Every request asks the database, in one indexed query, for the current schedule
version of each active production in its workspace, and reloads the productions
whose version moved (bot/storage/versions.py raises it on every write, whatever
wrote it, in whichever process). So a request always answers from the schedule as
it stood when the request arrived: a copy held here only saves the reloading of
what has not changed. At most KEPT_WORKSPACES workspaces are held, the least
recently asked about forgotten first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from bot.core.schedule import Schedule, Schedules
from bot.storage.db import Database
from bot.storage.models import Production, Workspace

KEPT_WORKSPACES = 64
# Built once: every request runs it, and building a statement costs as much as reading it.
_VERSIONS = (
    select(Workspace.id, Production.id, Production.schedule_version)
    .select_from(Workspace)
    .outerjoin(
        Production,
        (Production.workspace_id == Workspace.id) & Production.active.is_(True),
    )
    .where(Workspace.team_id == bindparam("team_id"))
)


@dataclass
class WorkspaceSchedules:
    """The active productions of one workspace, current as of the request that read them."""

    workspace_id: int
    team_id: str
    productions: dict[int, Schedule]
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
    """Schedules by workspace, shared by the threads of one process, never older than asked."""

    def __init__(self, db: Database, *, kept: int = KEPT_WORKSPACES) -> None:
        self.db = db
        self._kept = kept
        self._schedules = Schedules(kept=kept * 4)
        self._workspaces: OrderedDict[str, WorkspaceSchedules] = OrderedDict()
        self._lock = threading.Lock()

    def workspace(self, team_id: str) -> WorkspaceSchedules | None:
        """The workspace's schedules as they stand now; None if the workspace is unknown."""
        rows = self.db.glance(_VERSIONS, {"team_id": team_id})
        versions: dict[int, int] = {pid: version for _, pid, version in rows if pid is not None}
        with self._lock:
            if not rows:
                self._workspaces.pop(team_id, None)
                return None
            # Under the lock: a schedule that changed is loaded once, not by every thread.
            if self._schedules.stale(versions):
                with self.db.readers() as session:
                    productions = self._schedules.at(session, versions)
            else:
                productions = self._schedules.at(None, versions)
            return self._keep(rows[0][0], team_id, productions)

    def _keep(
        self, workspace_id: int, team_id: str, productions: dict[int, Schedule]
    ) -> WorkspaceSchedules:
        """The held copy if none of its schedules changed (its indexes are built), else new."""
        held = self._workspaces.get(team_id)
        if held is None or not _same(productions, held.productions):
            held = WorkspaceSchedules(workspace_id, team_id, productions)
        self._workspaces[team_id] = held
        self._workspaces.move_to_end(team_id)
        while len(self._workspaces) > self._kept:
            self._workspaces.popitem(last=False)
        return held


def _same(productions: dict[int, Schedule], held: dict[int, Schedule]) -> bool:
    """Whether nothing was added, dropped or reloaded."""
    return productions.keys() == held.keys() and all(productions[k] is held[k] for k in held)
