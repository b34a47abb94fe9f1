"""Every change to a production's schedule raises its schedule_version, whatever wrote it.

Copies of a schedule (bot/core/directory.py, bot/core/schedule.Schedules) compare versions, on
every use, to know when to reload. Hooking the session's flush means no write path
can forget to say so: ORM changes to crew, departments, days, scenes and calls are
all seen here. Bulk UPDATE statements bypass the ORM and call `schedule_changed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Call, CrewMember, Department, Production, Scene, ShootDay

_PENDING = "schedule_objects"


def install(sessions: sessionmaker) -> None:
    """Hook `sessions` so that each flush raises the versions of the schedules it touched."""

    @event.listens_for(sessions, "before_flush")
    def _remember(session: Session, _context: object, _instances: object) -> None:
        touched = [
            obj
            for obj in chain(session.new, session.dirty, session.deleted)
            if isinstance(obj, (Production, CrewMember, Department, ShootDay, Scene, Call))
        ]
        session.info.setdefault(_PENDING, []).extend(touched)

    @event.listens_for(sessions, "after_flush")
    def _bump(session: Session, _context: object) -> None:
        touched = session.info.pop(_PENDING, [])
        if touched:
            schedule_changed(session, _production_ids(session, touched))

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(_PENDING, None)


def schedule_changed(session: Session, production_ids: Iterable[int]) -> None:
    """Raise these productions' schedule versions in the current transaction."""
    ids = set(production_ids)
    if not ids:
        return
    session.connection().execute(
        update(Production)
        .where(Production.id.in_(ids))
        .values(schedule_version=Production.schedule_version + 1)
        .execution_options(synchronize_session=False)
    )


def _production_ids(session: Session, touched: list[object]) -> set[int]:
    ids: set[int] = set()
    day_ids: set[int] = set()
    for obj in touched:
        if isinstance(obj, Production):
            ids.add(obj.id)
        elif isinstance(obj, (CrewMember, Department, ShootDay)):
            ids.add(obj.production_id)
        elif isinstance(obj, (Scene, Call)):
            day_ids.add(obj.shoot_day_id)
    if day_ids:
        query = select(ShootDay.production_id).where(ShootDay.id.in_(day_ids)).distinct()
        ids.update(session.connection().execute(query).scalars())
    ids.discard(None)
    return ids
