"""/schedule-change, after the parsing: propose (the preview), send once, or cancel.

A proposal is saved with the day's revision it was previewed from. Send claims it with
one conditional UPDATE, so that a double click, or two processes, send it once; it is
refused when the day has changed since. Sending writes the day's new calls and the
notice with every affected person's own before and after, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.changes.apply import save_day
from bot.changes.audience import also_told_of, earlier_notice, told
from bot.changes.blocks import notice_title, personal_detail, summary_body
from bot.changes.change import Change, Impact, PersonChange, impact_of
from bot.core.crew_lookup import crew_entry
from bot.core.effective_calls import day_end, find_day, local_today
from bot.core.errors import UserError
from bot.core.mrkdwn import escaped
from bot.core.roles import Action, require
from bot.core.schedule import Schedule, load_schedule
from bot.core.views import DayView, ProductionView
from bot.core.when import When
from bot.notices.notices import Recipient, create_notice
from bot.notices.standing import day_subject
from bot.storage.db import changed
from bot.storage.models import (
    ChangeStatus,
    DayStatus,
    Delivery,
    NoticeKind,
    Production,
    ScheduleChange,
    ShootDay,
)


@dataclass(frozen=True)
class Proposal:
    """A saved, not yet sent change: what it does, and whom Send will tell."""

    id: int
    impact: Impact
    # People told of the day's earlier notice (its call sheet, or a change) whom this one
    # does not otherwise affect: the earlier notice is replaced, so they are told again.
    also_told: tuple[PersonChange, ...]
    # What the day's earlier notice was: "call sheet" or "change".
    earlier: str = "change"
    # Who will send it (never told of their own change).
    author: str | None = None

    @property
    def recipients(self) -> int:
        """How many people the change would be sent to (never its author)."""
        return len(told(self.impact, self.also_told, author=self.author))

    @property
    def previewed(self) -> Impact:
        """The change as its preview shows it: without its author, whom Send does not tell."""
        return self.impact.without(self.author)

    @property
    def others_also_told(self) -> int:
        """How many of those told of the earlier notice Send tells again (not the author)."""
        return sum(1 for p in self.also_told if p.member.slack_user_id != self.author)


@dataclass(frozen=True)
class Sent:
    """What Send did: the notice, how many it went to, whether an earlier click sent it."""

    notice_id: int
    people: int
    already: bool = False


def day_to_change(schedule: Schedule, *, date: dt.date, now: dt.datetime) -> DayView:
    """The shoot day on `date`; UserError if there is none, or it is past or cancelled."""
    day = find_day(schedule, when=When(date=date))
    if day is None:
        raise UserError(
            f"There is no shoot day on {date:%a %-d %b %Y}; add it with "
            "`crewcall import schedule` first."
        )
    if date < local_today(schedule.production, now):
        raise UserError(f"{date:%a %-d %b} is in the past; only today and later days can change.")
    if day.status == DayStatus.CANCELLED:
        raise UserError(f"{date:%a %-d %b} is already cancelled.")
    return day


def propose(
    session: Session, schedule: Schedule, change: Change, *, author: str, now: dt.datetime
) -> Proposal:
    """Save the change as a proposal and say what it would do; UserError if it can't be made."""
    day = day_to_change(schedule, date=change.date, now=now)
    impact = impact_of(schedule, day, change)
    if not impact.changes_anything:
        raise UserError("That changes nothing: the day already stands as you wrote it.")
    row = ScheduleChange(
        production_id=schedule.production.id,
        shoot_day_id=day.id,
        base_revision=day.revision,
        author=author,
        change=change.as_json(),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return _proposal(session, schedule, row.id, impact, author)


def review(
    session: Session,
    schedule: Schedule,
    *,
    change_id: int,
    now: dt.datetime,
    author: str | None = None,
) -> Proposal:
    """A saved proposal (an import's) previewed against the day as it is now."""
    row = session.get(ScheduleChange, change_id)
    if row is None or row.production_id != schedule.production.id:
        raise UserError(
            f"There is no schedule change {change_id} in {escaped(schedule.production.name)}."
        )
    if row.status != ChangeStatus.PROPOSED:
        raise UserError(f"Schedule change {change_id} was already {row.status.value}.")
    change = Change.from_json(row.change)
    day = day_to_change(schedule, date=change.date, now=now)
    if day.revision != row.base_revision:
        raise UserError(
            f"{day.date:%a %-d %b} has changed since schedule change {change_id} was proposed; "
            "import the file again, or write the change with `/schedule-change`."
        )
    impact = impact_of(schedule, day, change)
    return _proposal(session, schedule, row.id, impact, author)


def send_change(
    session: Session, *, change_id: int, team_id: str, user_id: str, now: dt.datetime
) -> Sent:
    """Send a proposal once: save the day, and create the notice with each person's own part."""
    row = session.get(ScheduleChange, change_id)
    if row is None:
        raise UserError("That change no longer exists; run `/schedule-change` again.")
    require_coordinator(session, production_id=row.production_id, team_id=team_id, user_id=user_id)
    if not _claim(session, change_id, now=now):
        return _decided_before(session, change_id)
    day_row = _day_as_previewed(session, row)
    schedule = load_schedule(session, production_id=row.production_id, day_id=day_row.id)
    day = day_to_change(schedule, date=day_row.date, now=now)
    change = Change.from_json(row.change)
    impact = impact_of(schedule, day, change)
    earlier = earlier_notice(session, schedule, day.date)
    also_told = also_told_of(impact, earlier)
    save_day(day_row, change, impact)
    production = session.get(Production, row.production_id)
    assert production is not None
    view = schedule.production
    # Whom the earlier change never reached keep their call from before it: that is news.
    unsent = earlier.unsent_before if earlier else {}
    recipients = _recipients(view, impact, also_told, unsent, author=user_id)
    earlier_kind = earlier.kind if earlier else "change"
    body = summary_body(view, impact, also_told=len(also_told), earlier=earlier_kind)
    notice = create_notice(
        session,
        production=production,
        kind=NoticeKind.SCHEDULE_CHANGE,
        subject=day_subject(day.date),
        shoot_day_id=day.id,
        title=notice_title(impact),
        body=body,
        recipients=recipients,
        urgent=change.urgent,
        author=user_id,
        expires_at=day_end(schedule.production, impact.after),
        now=now,
    )
    row.notice_id = notice.id
    return Sent(notice.id, len(recipients))


def _claim(session: Session, change_id: int, *, now: dt.datetime) -> bool:
    """Mark the proposal sent; False when it was sent or cancelled already (once, whatever
    the race between two clicks)."""
    return bool(
        changed(
            session.execute(
                update(ScheduleChange)
                .where(
                    ScheduleChange.id == change_id, ScheduleChange.status == ChangeStatus.PROPOSED
                )
                .values(status=ChangeStatus.SENT, decided_at=now)
                .execution_options(synchronize_session=False)
            )
        )
    )


def _day_as_previewed(session: Session, row: ScheduleChange) -> ShootDay:
    """The day, locked, as the preview saw it; UserError if it has changed since."""
    day_row = session.scalar(
        select(ShootDay).where(ShootDay.id == row.shoot_day_id).with_for_update()
    )
    assert day_row is not None
    if day_row.revision != row.base_revision:
        raise UserError(
            f"{day_row.date:%a %-d %b} has changed since this preview was made, so it was "
            "not sent. Run `/schedule-change` again to see the change against the day as it is now."
        )
    return day_row


def _recipients(
    view: ProductionView,
    impact: Impact,
    also_told: tuple[PersonChange, ...],
    unsent: dict,
    *,
    author: str,
) -> list[Recipient]:
    """Each person told, with their own before and after."""
    recipients = []
    for p in told(impact, also_told, author=author):
        before = unsent.get(p.member.id, {"call": p.before.minutes})
        detail = personal_detail(view, impact, p, was=before.get("call"))
        recipients.append(
            Recipient(p.member.id, p.member.slack_user_id, p.member.email, detail, before)
        )
    return recipients


def cancel_change(
    session: Session, *, change_id: int, team_id: str, user_id: str, now: dt.datetime
) -> bool:
    """Drop a proposal; False when it was already sent (or dropped)."""
    row = session.get(ScheduleChange, change_id)
    if row is None:
        return False
    require_coordinator(session, production_id=row.production_id, team_id=team_id, user_id=user_id)
    return bool(
        changed(
            session.execute(
                update(ScheduleChange)
                .where(
                    ScheduleChange.id == change_id, ScheduleChange.status == ChangeStatus.PROPOSED
                )
                .values(status=ChangeStatus.CANCELLED, decided_at=now)
                .execution_options(synchronize_session=False)
            )
        )
    )


def require_coordinator(
    session: Session, *, production_id: int, team_id: str, user_id: str
) -> None:
    """UserError unless `user_id`, in workspace `team_id`, may change this production's
    schedule."""
    member = crew_entry(session, production_id=production_id, team_id=team_id, user_id=user_id)
    require(member, Action.CHANGE_SCHEDULE)


def _decided_before(session: Session, change_id: int) -> Sent:
    status, notice_id = session.execute(
        select(ScheduleChange.status, ScheduleChange.notice_id).where(
            ScheduleChange.id == change_id
        )
    ).one()
    if status == ChangeStatus.CANCELLED or notice_id is None:
        raise UserError("This change was cancelled, so nothing was sent.")
    people = session.scalar(
        select(func.count()).where(
            Delivery.notice_id == notice_id, Delivery.crew_member_id.is_not(None)
        )
    )
    return Sent(notice_id, people or 0, already=True)


def _proposal(
    session: Session, schedule: Schedule, row_id: int, impact: Impact, author: str | None
) -> Proposal:
    earlier = earlier_notice(session, schedule, impact.before.date)
    kind = earlier.kind if earlier else "change"
    return Proposal(row_id, impact, also_told_of(impact, earlier), kind, author)
