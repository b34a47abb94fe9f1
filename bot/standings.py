"""Who has acknowledged each shoot day's call sheet, as /calltime shows it, per process.

/calltime answers from memory; asking the database on every request would cost it
two thirds of its throughput. A day's standings are read in one query and kept
for `staleness` seconds, like the schedule (bot/directory.py): an acknowledgement
recorded by another process shows within that time, one recorded here at once.
Given `refresh_in`, an old day is reread there while requests are answered from it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.background import OncePerKey, RunIn
from bot.notices import Standing
from bot.storage.models import Delivery, Notice, NoticeKind

# Days not asked about for this long are dropped from memory.
FORGET_AFTER_S = 300.0


class Standings:
    """Per (production, subject): each recipient's standing on the live notice."""

    def __init__(
        self,
        readers: Callable[[], Session],
        *,
        kind: NoticeKind = NoticeKind.CALLSHEET,
        staleness: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        refresh_in: RunIn | None = None,
    ) -> None:
        self._readers = readers
        self._kind = kind
        self._staleness = staleness
        self._monotonic = monotonic
        self._reread_later = OncePerKey(refresh_in) if refresh_in else None
        self._lock = threading.Lock()
        self._days: dict[tuple[int, str], tuple[float, dict[str, Standing]]] = {}
        self._forgotten = 0  # times forget() was called

    def of(self, *, production_id: int, subject: str, user_id: str) -> Standing | None:
        """The person's standing on the live notice about `subject`; None if not sent to them."""
        key = (production_id, subject)
        with self._lock:
            cached = self._days.get(key)
        if cached is None:
            cached = self._read(key)
        elif self._monotonic() - cached[0] >= self._staleness:
            if self._reread_later is None:
                cached = self._read(key)
            else:
                self._reread_later(key, lambda: self._read(key))
        return cached[1].get(user_id)

    def forget(self) -> None:
        """This process recorded an acknowledgement: read again on next use."""
        with self._lock:
            self._forgotten += 1
            self._days.clear()

    def _read(self, key: tuple[int, str]) -> tuple[float, dict[str, Standing]]:
        now = self._monotonic()
        with self._lock:
            forgotten = self._forgotten
        cached = (now, self._load(*key))
        with self._lock:
            if self._forgotten == forgotten:  # else an acknowledgement here came meanwhile
                self._days[key] = cached
            self._days = {k: v for k, v in self._days.items() if now - v[0] < FORGET_AFTER_S}
        return cached

    def _load(self, production_id: int, subject: str) -> dict[str, Standing]:
        with self._readers() as session:
            rows = session.execute(
                select(Notice.id, Notice.version, Delivery.slack_user_id, Delivery.acknowledged_at)
                .join(Delivery, Delivery.notice_id == Notice.id)
                .where(
                    Notice.production_id == production_id,
                    Notice.kind == self._kind,
                    Notice.subject == subject,
                    Notice.superseded_at.is_(None),
                    Delivery.crew_member_id.is_not(None),
                    Delivery.slack_user_id.is_not(None),
                )
                .order_by(Notice.version)
            )
            # The newest live version wins (there is one, unless two were made at once).
            return {row.slack_user_id: Standing(row.id, row.acknowledged_at) for row in rows}
