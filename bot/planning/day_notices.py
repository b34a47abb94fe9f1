"""What a shoot day's notice tells each person, from the schedule as it stands when sent.

A call sheet, a schedule change and a morning reminder all show people their call.
Each message is written when it is produced (posted, or posted again as a reminder),
from the current schedule, never from the words first saved with the notice: a call
sheet held up by Slack for an hour still shows the day as it is when it goes, and a
reminder to acknowledge shows the call as it is now. What a person was last shown
of a day is kept with the delivery (`Shown`), so that the next notice tells them
what changed since the last one they were sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calls.callsheet import build_callsheet
from bot.changes.blocks import UNKNOWN, call_change_text
from bot.core.effective_calls import EffectiveCall, local_datetime, member_call
from bot.core.format import clock_text, date_text
from bot.core.schedule import Schedule, Schedules
from bot.core.views import DayView, MemberView
from bot.jobs.outbox import Outgoing
from bot.notices.standing import DAY_KINDS
from bot.planning.blocks import callsheet_notice, own_call, reminder_text
from bot.planning.due import Called
from bot.storage.models import DayStatus, Delivery, Notice, NoticeKind

# Notices whose messages are written from the schedule when they go out.
WRITTEN_WHEN_SENT = (*DAY_KINDS, NoticeKind.REMINDER)


@dataclass(frozen=True)
class Shown:
    """What a message showed one person of a day: their call (None: not called)."""

    call: int | None

    def as_json(self) -> dict:
        """As kept on the delivery."""
        return {"call": self.call}

    @classmethod
    def from_json(cls, data: dict | None) -> Shown | None:
        """What `as_json` kept; None for nothing kept."""
        return None if data is None else cls(data.get("call"))


def shown_before(session: Session, outgoing: Iterable[Outgoing]) -> dict[tuple[int, int], Shown]:
    """For each (notice, crew member) among `outgoing`: what the person was last shown of
    the notice's day by any of the day's notices, in one query."""
    wanted = {(out.card.id, out.member_id) for out in outgoing if out.member_id is not None}
    if not wanted:
        return {}
    notice_ids = {notice_id for notice_id, _ in wanted}
    subjects = dict(
        session.execute(
            select(Notice.id, Notice.subject).where(
                Notice.id.in_(notice_ids), Notice.subject.is_not(None)
            )
        ).all()
    )
    if not subjects:
        return {}
    members = {member_id for _, member_id in wanted}
    earlier = session.execute(
        select(Notice.subject, Notice.production_id, Delivery.crew_member_id, Delivery.shown)
        .join(Delivery, Delivery.notice_id == Notice.id)
        .where(
            Notice.subject.in_(set(subjects.values())),
            Notice.kind.in_(DAY_KINDS),
            Delivery.crew_member_id.in_(members),
            Delivery.sends > 0,
            Delivery.shown.is_not(None),
        )
        .order_by(Delivery.last_notified_at, Delivery.id)
    ).all()
    production_of = {out.card.id: out.card.production_id for out in outgoing}
    latest = {(row[0], row[1], row[2]): row[3] for row in earlier}  # the last one wins
    found = {}
    for notice_id, member_id in wanted:
        key = (subjects.get(notice_id), production_of[notice_id], member_id)
        if (shown := Shown.from_json(latest.get(key))) is not None:
            found[notice_id, member_id] = shown
    return found


def all_written_now(
    session: Session, batch: list[Outgoing], schedules: Schedules
) -> list[Outgoing]:
    """The batch's shoot-day messages in the words of each schedule as it is now."""
    days = [out for out in batch if out.card.kind in WRITTEN_WHEN_SENT and out.card.shoot_day_id]
    if not days:
        return batch
    current = schedules.current(session, {out.card.production_id for out in days})
    before = shown_before(session, days)
    return [
        written_now(out, schedule, before=before.get((out.card.id, out.member_id or 0)))
        if (schedule := current.get(out.card.production_id)) is not None and out.card.shoot_day_id
        else out
        for out in batch
    ]


def written_now(out: Outgoing, schedule: Schedule, *, before: Shown | None) -> Outgoing:
    """`out` as it reads now: its words from `schedule`, and what it shows the person.

    For a delivery whose day or person has left the schedule, `out` as it was saved.
    """
    card = out.card
    day = schedule.day_by_id(card.shoot_day_id) if card.shoot_day_id is not None else None
    if day is None or card.kind not in WRITTEN_WHEN_SENT:
        return out
    production = schedule.production
    if card.kind == NoticeKind.CALLSHEET:
        words = callsheet_notice(production, build_callsheet(schedule, day=day))
        card = dataclasses.replace(card, title=words.title, body=words.body)
        if out.member_id is None:
            return dataclasses.replace(out, card=card, detail="")  # the sheet is the body
    member = schedule.crew_by_id.get(out.member_id) if out.member_id is not None else None
    if member is None:
        return dataclasses.replace(out, card=card)
    call = member_call(schedule, member=member, day=day)
    if day.status == DayStatus.CANCELLED:
        call = EffectiveCall(None, call.source)
    if card.kind == NoticeKind.CALLSHEET:
        detail = _own_call(schedule, day, member, call)
    elif card.kind == NoticeKind.SCHEDULE_CHANGE:
        detail = _since(schedule, day, call, before or Shown.from_json(out.before))
    else:
        detail = _reminder(schedule, day, member, call)
    return dataclasses.replace(
        out,
        card=card,
        detail=detail,
        shown=Shown(call.minutes).as_json(),
        about=_about(schedule, day, card.kind, call, Shown.from_json(out.shown)),
    )


def _about(
    schedule: Schedule, day: DayView, kind: NoticeKind, call: EffectiveCall, sent: Shown | None
) -> str:
    """What a reminder asks to be acknowledged, with the call as it is now and whether that
    differs from what was last sent: `the call sheet for Tue 24 Nov (your call 05:30)`."""
    what = "call sheet" if kind == NoticeKind.CALLSHEET else "schedule change"
    if day.status == DayStatus.CANCELLED:
        return f"the {what} for {date_text(day.date)} (the day is cancelled)"
    production = schedule.production
    now = clock_text(production, call.minutes, date=day.date) if call.called else None
    moved = sent is not None and sent.call != call.minutes
    if now is None:
        yours = "you're no longer called" if moved else "you're not called"
    elif moved and sent.call is not None:  # type: ignore[union-attr]
        then = clock_text(production, sent.call, date=day.date)  # type: ignore[union-attr]
        yours = f"your call is now {now}, not {then} as last sent"
    elif moved:
        yours = f"you're now called, at {now}"
    else:
        yours = f"your call {now}"
    return f"the {what} for {date_text(day.date)} ({yours})"


def _own_call(schedule: Schedule, day: DayView, member: MemberView, call: EffectiveCall) -> str:
    if not call.called:
        return call_change_text(schedule.production, day, call=call, was=None)
    return own_call(schedule.production, day, member, call)


def _since(schedule: Schedule, day: DayView, call: EffectiveCall, before: Shown | None) -> str:
    return call_change_text(
        schedule.production,
        day,
        call=call,
        was=UNKNOWN if before is None else before.call,
        cancelled=day.status == DayStatus.CANCELLED,
    )


def _reminder(schedule: Schedule, day: DayView, member: MemberView, call: EffectiveCall) -> str:
    if not call.called:
        return call_change_text(schedule.production, day, call=call, was=None)
    return reminder_text(schedule.production, day, _called(schedule, day, member, call))


def _called(schedule: Schedule, day: DayView, member: MemberView, call: EffectiveCall) -> Called:
    at = local_datetime(schedule.production, day.date, call.minutes)  # type: ignore[arg-type]
    return Called(member, call, at.astimezone(dt.UTC))
