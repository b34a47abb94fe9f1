"""Call-sheet standings in memory: read once per staleness window, forgotten on request."""

from __future__ import annotations

import datetime as dt

from bot.acknowledgements import acknowledge
from bot.notices import create_notice, crew_of
from bot.standings import Standings
from bot.storage.db import Database
from bot.storage.models import NoticeKind
from tests.crew import make_crew, production_of

NOW = dt.datetime(2026, 10, 25, 18, 0, tzinfo=dt.UTC)


def _crew_with_a_callsheet(db: Database):  # type: ignore[no-untyped-def]
    """Two crew members and the call sheet for 26 Oct sent to both."""
    crew = make_crew(db, size=2)
    with db.transaction() as session:
        production = production_of(session, crew)
        notice = create_notice(
            session,
            production=production,
            kind=NoticeKind.CALLSHEET,
            subject="day:2026-10-26",
            title="Call sheet",
            recipients=crew_of(session, production_id=production.id),
            now=NOW,
        )
    return crew, notice


def test_standings_are_cached_for_their_window_and_forgotten_on_request(db: Database) -> None:
    crew, notice = _crew_with_a_callsheet(db)
    standings = Standings(db.readers, staleness=3600)
    user = crew.everyone[0]

    def ask():  # type: ignore[no-untyped-def]
        return standings.of(
            production_id=crew.production_id, subject="day:2026-10-26", user_id=user
        )

    first = ask()
    with db.transaction() as session:
        acknowledge(session, notice_id=notice.id, user_id=user, now=NOW)
    cached = ask()
    standings.forget()
    fresh = ask()

    assert (first.notice_id, first.acknowledged_at) == (notice.id, None)
    assert cached.acknowledged_at is None  # within the window, from memory
    assert fresh.acknowledged_at == NOW
    assert (
        standings.of(production_id=crew.production_id, subject="day:2026-10-27", user_id=user)
        is None
    )
    assert (
        standings.of(
            production_id=crew.production_id, subject="day:2026-10-26", user_id="U0NOBODY1"
        )
        is None
    )


def test_an_old_day_is_reread_after_answering_and_an_acknowledgement_here_at_once(
    db: Database,
) -> None:
    crew, notice = _crew_with_a_callsheet(db)
    ticks, later = [100.0], []
    standings = Standings(
        db.readers, staleness=1.0, monotonic=lambda: ticks[0], refresh_in=later.append
    )
    first, second = crew.everyone[0], crew.everyone[1]

    def ask(user: str):  # type: ignore[no-untyped-def]
        return standings.of(
            production_id=crew.production_id, subject="day:2026-10-26", user_id=user
        )

    assert ask(first).acknowledged_at is None
    with db.transaction() as session:  # as another process records it
        acknowledge(session, notice_id=notice.id, user_id=first, now=NOW)
    ticks[0] += 1.0
    old = [ask(first).acknowledged_at for _ in range(3)]
    rereads = len(later)
    later.pop()()
    reread = ask(first).acknowledged_at
    with db.transaction() as session:  # recorded here: forgotten, read in the next request
        acknowledge(session, notice_id=notice.id, user_id=second, now=NOW)
    standings.forget()

    assert (old, rereads, reread) == ([None] * 3, 1, NOW)
    assert ask(second).acknowledged_at == NOW
    assert later == []
