"""The planner: turns what falls due (bot/planning/due.py) into notices, once per person per day.

Run on a timer by the leading scheduler. Each run compares every active production's
schedule version with the copy it holds (one query), works out in memory what is due
now, and for each production with something new claims its occurrences and writes
the notices in one short transaction. The sender posts them. A claim is an insert
that a unique key lets succeed once (bot/storage/occurrences.py), so a second planner,
a restart or a retried run can never send anything twice; what this planner knows is
done is also kept in memory, so a quiet run costs one query.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calls.callsheet import build_callsheet
from bot.core.effective_calls import day_end
from bot.core.schedule import Schedule, Schedules
from bot.notices.notices import Recipient, add_recipients, create_notice, live_notice
from bot.notices.standing import day_subject
from bot.planning.blocks import (
    callsheet_notice,
    own_call,
    reminder_text,
    reminder_title,
)
from bot.planning.due import (
    Called,
    DayPlan,
    callsheet_due,
    daily_check_at,
    daily_check_due,
    day_plans,
    next_due,
    reminders_due,
)
from bot.storage.db import Database
from bot.storage.models import NoticeKind, OccurrenceKind, Production
from bot.storage.occurrences import CHANNEL, Key, carried_by, claim, claimed_before

log = logging.getLogger(__name__)

# A daily check: (session, production, its local date, now). The rentals check is one.
DailyCheck = Callable[[Session, Production, dt.date, dt.datetime], None]
# What is known done is forgotten this long after its day.
REMEMBER = dt.timedelta(days=3)


@dataclass
class PlanReport:
    """What one run planned, and when the next thing falls due."""

    callsheets: int = 0
    reminders: int = 0
    checks: int = 0
    next_due: dt.datetime | None = None
    # Occurrences found already claimed by someone else (another planner, an earlier run).
    taken: int = 0
    failed: list[str] = field(default_factory=list)


@dataclass
class _Due:
    """One production's due work in one run, and the occurrences it needs."""

    schedule: Schedule
    callsheets: list[tuple[DayPlan, list[Called]]] = field(default_factory=list)
    reminders: list[tuple[DayPlan, list[Called]]] = field(default_factory=list)
    check: dt.date | None = None
    keys: dict[Key, dt.datetime] = field(default_factory=dict)

    def want(self, kind: OccurrenceKind, date: dt.date, person: int, at: dt.datetime) -> None:
        self.keys[Key(self.schedule.production.id, kind, date, person)] = at


class Planner:
    """Plans automatic messages for every active production; one per scheduler."""

    def __init__(self, db: Database, *, daily_checks: Sequence[DailyCheck] = ()) -> None:
        self.db = db
        self.daily_checks = tuple(daily_checks)
        # Every active production's, whatever their number (`at(..., only=True)` drops the rest).
        self._schedules = Schedules(kept=1 << 20)
        # Known done: people (CHANNEL for the channel) by (production, kind, day).
        self._done: defaultdict[tuple[int, OccurrenceKind, dt.date], set[int]] = defaultdict(set)
        self._synced: set[tuple[int, dt.date]] = set()

    def run(self, *, now: dt.datetime) -> PlanReport:
        """Plan everything due at `now`; one production's failure does not stop the others."""
        report = PlanReport()
        for schedule in self._current_schedules():
            plans = day_plans(schedule, now=now)
            upcoming = next_due(schedule, plans, now=now, daily_check=bool(self.daily_checks))
            report.next_due = min(report.next_due or upcoming, upcoming)
            due = self._due(schedule, plans, now=now)
            if not due.keys:
                continue
            try:
                self._plan(due, report, now=now)
            except Exception as exc:  # one production's bad data must not hold up the others
                log.exception("planning %s failed", schedule.production.slug)
                report.failed.append(f"{schedule.production.slug}: {exc}")
        self._forget_before(now)
        return report

    def _current_schedules(self) -> list[Schedule]:
        """Every active production's schedule, reloading those whose version moved."""
        with self.db.readers() as session:
            versions = dict(
                session.execute(
                    select(Production.id, Production.schedule_version).where(
                        Production.active.is_(True)
                    )
                ).all()
            )
            return list(self._schedules.at(session, versions, only=True).values())

    def _due(self, schedule: Schedule, plans: list[DayPlan], *, now: dt.datetime) -> _Due:
        """What is due for one production and not known to be done."""
        production = schedule.production
        due = _Due(schedule)

        def new(kind: OccurrenceKind, date: dt.date, people: Iterable[Called]) -> list[Called]:
            return [p for p in people if p.member.id not in self._done[production.id, kind, date]]

        lead = dt.timedelta(minutes=production.reminder_lead)
        for plan in plans:
            date = plan.day.date
            called = callsheet_due(plan, now=now)
            people = new(OccurrenceKind.CALLSHEET, date, called)
            channel = CHANNEL not in self._done[production.id, OccurrenceKind.CALLSHEET, date]
            if people or (called and channel):
                due.callsheets.append((plan, people))
                if channel:
                    due.want(OccurrenceKind.CALLSHEET, date, CHANNEL, plan.callsheet_at)
                for person in people:
                    due.want(OccurrenceKind.CALLSHEET, date, person.member.id, plan.callsheet_at)
            reminded = new(OccurrenceKind.REMINDER, date, reminders_due(production, plan, now=now))
            if reminded:
                due.reminders.append((plan, reminded))
                for person in reminded:
                    due.want(OccurrenceKind.REMINDER, date, person.member.id, person.at - lead)
        check = daily_check_due(production, now=now) if self.daily_checks else None
        if check and CHANNEL not in self._done[production.id, OccurrenceKind.DAILY_CHECK, check]:
            due.check = check
            due.want(OccurrenceKind.DAILY_CHECK, check, CHANNEL, daily_check_at(production, check))
        return due

    def _plan(self, due: _Due, report: PlanReport, *, now: dt.datetime) -> None:
        """Claim one production's due occurrences and write the notices for those won."""
        production_id = due.schedule.production.id
        days = {key.day for key in due.keys}
        with self.db.transaction() as session:
            unsynced = {day for day in days if (production_id, day) not in self._synced}
            if unsynced:
                # What earlier runs (or other planners) did: asked once per day and process.
                done = claimed_before(session, production_id=production_id, days=unsynced)
                self._remember(done)
                for key in done & due.keys.keys():
                    del due.keys[key]
            won = claim(session, due=due.keys, now=now)
            report.taken += len(due.keys) - len(won)
            writer = _Writer(session, due.schedule, won, now)
            for plan, people in due.callsheets:
                report.callsheets += writer.callsheet(plan, people)
            for plan, people in due.reminders:
                report.reminders += writer.reminders(plan, people)
            if due.check and writer.won(OccurrenceKind.DAILY_CHECK, due.check, CHANNEL):
                for check in self.daily_checks:
                    check(session, writer.production, due.check, now)
                report.checks += 1
        self._remember(due.keys)
        self._synced |= {(production_id, day) for day in days}

    def _remember(self, keys: Iterable[Key]) -> None:
        for key in keys:
            self._done[key.production_id, key.kind, key.day].add(key.person)

    def _forget_before(self, now: dt.datetime) -> None:
        cutoff = now.date() - REMEMBER
        for key in [key for key in self._done if key[2] < cutoff]:
            del self._done[key]
        self._synced = {pair for pair in self._synced if pair[1] >= cutoff}


class _Writer:
    """Writes one production's notices for the occurrences this run won."""

    def __init__(
        self, session: Session, schedule: Schedule, won: dict[Key, int], now: dt.datetime
    ) -> None:
        self.session, self.schedule, self._won, self.now = session, schedule, won, now
        production = session.get(Production, schedule.production.id)
        assert production is not None
        self.production = production

    def won(self, kind: OccurrenceKind, date: dt.date, person: int) -> int | None:
        """The occurrence's id if this run claimed it."""
        return self._won.get(Key(self.production.id, kind, date, person))

    def _claimed(
        self, kind: OccurrenceKind, date: dt.date, people: list[Called]
    ) -> tuple[list[Called], list[int]]:
        """Those of `people` whose occurrence this run claimed, and the occurrences' ids."""
        claimed, ids = [], []
        for person in people:
            if (occurrence := self.won(kind, date, person.member.id)) is not None:
                claimed.append(person)
                ids.append(occurrence)
        return claimed, ids

    def callsheet(self, plan: DayPlan, people: list[Called]) -> int:
        """The day's call sheet to the crew channel and each called person; how many people."""
        view, day = self.schedule.production, plan.day
        people, ids = self._claimed(OccurrenceKind.CALLSHEET, day.date, people)
        channel = self.won(OccurrenceKind.CALLSHEET, day.date, CHANNEL)
        if not people and not channel:
            return 0
        recipients = [Recipient.of(p.member, own_call(view, day, p.member, p.call)) for p in people]
        sheet = live_notice(
            self.session,
            production_id=self.production.id,
            kind=NoticeKind.CALLSHEET,
            subject=day_subject(day.date),
        )
        if sheet is None or channel is not None:
            # The evening call sheet: it replaces any change sent about the day before it.
            words = callsheet_notice(view, build_callsheet(self.schedule, day=day))
            sheet = create_notice(
                self.session,
                production=self.production,
                kind=NoticeKind.CALLSHEET,
                subject=day_subject(day.date),
                shoot_day_id=day.id,
                title=words.title,
                body=words.body,
                recipients=recipients,
                post_to_channel=channel is not None,
                expires_at=day_end(view, day),
                now=self.now,
            )
        else:
            # Called since the call sheet went out (new to the crew, or newly called): they
            # get the day's live notice, the call sheet or the change that replaced it.
            add_recipients(self.session, sheet, recipients, now=self.now)
        carried_by(
            self.session, occurrence_ids=ids + ([channel] if channel else []), notice_id=sheet.id
        )
        return len(people)

    def reminders(self, plan: DayPlan, people: list[Called]) -> int:
        """One reminder notice for everyone on this day whose reminder is due now."""
        view, day = self.schedule.production, plan.day
        people, ids = self._claimed(OccurrenceKind.REMINDER, day.date, people)
        if not people:
            return 0
        notice = create_notice(
            self.session,
            production=self.production,
            kind=NoticeKind.REMINDER,
            title=reminder_title(day),
            shoot_day_id=day.id,
            recipients=[Recipient.of(p.member, reminder_text(view, day, p)) for p in people],
            acknowledge=False,
            post_to_channel=False,
            expires_at=max(p.at for p in people),
            now=self.now,
        )
        carried_by(self.session, occurrence_ids=ids, notice_id=notice.id)
        return len(people)
