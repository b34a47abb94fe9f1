"""Notices: creating one with its deliveries (the outbox), superseding, acknowledging.

Whatever creates a notice writes its deliveries in the same transaction, as pending
rows; the sender (bot/jobs/sender.py) posts them. Nothing is sent from here, so a
notice can never be half-created: it is saved with every delivery, or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.core.errors import UserError
from bot.core.mrkdwn import escaped
from bot.core.notes import too_long
from bot.core.views import MemberView
from bot.notices.standing import DAY_KINDS
from bot.storage.models import (
    AuditAction,
    AuditEntry,
    CrewMember,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeKind,
    Production,
    Role,
)


@dataclass(frozen=True)
class Recipient:
    """A crew member a notice goes to, with their own part of it."""

    member_id: int
    slack_user_id: str | None
    email: str | None
    detail: str = ""
    # A schedule change: the person's call before it (bot/planning/day_notices.Shown), for when
    # nothing of the day was shown to them yet.
    before: dict | None = None

    @classmethod
    def of(cls, member: CrewMember | MemberView, detail: str = "") -> Recipient:
        """A recipient for a crew member, with their own part of the notice."""
        return cls(member.id, member.slack_user_id, member.email, detail)


def crew_of(session: Session, *, production_id: int) -> list[Recipient]:
    """Everyone on a production's crew list, as recipients of a notice to all."""
    members = session.scalars(
        select(CrewMember).where(CrewMember.production_id == production_id).order_by(CrewMember.id)
    )
    return [Recipient.of(member) for member in members]


def create_notice(
    session: Session,
    *,
    production: Production,
    kind: NoticeKind,
    title: str,
    recipients: Iterable[Recipient],
    now: dt.datetime,
    body: str = "",
    subject: str | None = None,
    shoot_day_id: int | None = None,
    urgent: bool = False,
    acknowledge: bool = True,
    post_to_channel: bool = True,
    channel_detail: str = "",
    author: str | None = None,
    expires_at: dt.datetime | None = None,
) -> Notice:
    """Save a notice and a pending delivery per recipient (and the crew channel's post,
    whose own part is `channel_detail`).

    A notice on the same `subject` as a live one supersedes it: this is its next
    version, and acknowledgements of the old one do not count for it.
    """
    previous = live_notice(session, production_id=production.id, kind=kind, subject=subject)
    notice = Notice(
        production_id=production.id,
        kind=kind,
        subject=subject,
        shoot_day_id=shoot_day_id,
        version=previous.version + 1 if previous else 1,
        supersedes_id=previous.id if previous else None,
        urgent=urgent,
        acknowledge=acknowledge,
        author=author,
        title=title[:150],
        body=body,
        expires_at=expires_at,
        created_at=now,
    )
    session.add(notice)
    session.flush()
    add_recipients(session, notice, recipients, now=now)
    if post_to_channel:
        session.execute(
            insert(Delivery),
            {
                "notice_id": notice.id,
                "channel": production.crew_channel,
                "detail": channel_detail,
                "next_attempt_at": now,
            },
        )
    if previous:
        supersede(session, previous, now=now)
    if kind in DAY_KINDS and shoot_day_id is not None:
        _supersede_reminders(session, production_id=production.id, day_id=shoot_day_id, now=now)
    return notice


def _supersede_reminders(
    session: Session, *, production_id: int, day_id: int, now: dt.datetime
) -> None:
    """The day's morning reminders showed calls a new call sheet or change may have moved."""
    for reminder in session.scalars(
        select(Notice).where(
            Notice.production_id == production_id,
            Notice.kind == NoticeKind.REMINDER,
            Notice.shoot_day_id == day_id,
            Notice.superseded_at.is_(None),
        )
    ):
        supersede(session, reminder, now=now)


def add_recipients(
    session: Session, notice: Notice, recipients: Iterable[Recipient], *, now: dt.datetime
) -> None:
    """A pending delivery of `notice` to each recipient (once each), due at `now`."""
    rows = [
        {
            "notice_id": notice.id,
            "crew_member_id": recipient.member_id,
            "slack_user_id": recipient.slack_user_id,
            "email": recipient.email,
            "detail": recipient.detail,
            "before": recipient.before,
            "next_attempt_at": now,
        }
        for recipient in {r.member_id: r for r in recipients}.values()
    ]
    if rows:
        session.execute(insert(Delivery), rows)


def live_notice(
    session: Session, *, production_id: int, kind: NoticeKind, subject: str | None
) -> Notice | None:
    """The newest version of the notice on `subject`, if one is live.

    A shoot day's notices (DAY_KINDS) are one line of versions whatever their kinds:
    a schedule change replaces the day's call sheet, and a call sheet an earlier change.
    """
    if subject is None:
        return None
    kinds = DAY_KINDS if kind in DAY_KINDS else (kind,)
    return session.scalar(
        select(Notice)
        .where(
            Notice.production_id == production_id,
            Notice.kind.in_(kinds),
            Notice.subject == subject,
            Notice.superseded_at.is_(None),
        )
        .order_by(Notice.id.desc())
        .limit(1)
    )


def supersede(session: Session, notice: Notice, *, now: dt.datetime) -> None:
    """Retire `notice`: unsent deliveries are cancelled, posted ones updated to say so."""
    notice.superseded_at = now
    session.execute(
        update(Delivery)
        .where(
            Delivery.notice_id == notice.id,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.sends == 0,
        )
        .values(status=DeliveryStatus.CANCELLED)
    )
    # Posted at least once (a nudge may be pending): the posted message is updated instead.
    # A post in flight is left to its sender, which marks it when it records the post.
    session.execute(
        update(Delivery)
        .where(
            Delivery.notice_id == notice.id,
            Delivery.sends > 0,
            Delivery.status != DeliveryStatus.SENDING,
        )
        .values(status=DeliveryStatus.SENT, refresh_due=now)
    )
    session.add(AuditEntry(notice_id=notice.id, action=AuditAction.SUPERSEDED, at=now))


def coordinators_of(session: Session, *, production_id: int) -> list[CrewMember]:
    """The production's coordinators."""
    return list(
        session.scalars(
            select(CrewMember)
            .where(
                CrewMember.production_id == production_id,
                CrewMember.role == Role.COORDINATOR,
            )
            .order_by(CrewMember.id)
        )
    )


def report_failure(
    session: Session, *, delivery_id: int, error: str, now: dt.datetime
) -> Notice | None:
    """Tell the coordinators that a delivery failed for good (reports themselves are not)."""
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.notice.kind == NoticeKind.REPORT:
        return None
    notice = delivery.notice
    production = session.get(Production, notice.production_id)
    assert production is not None
    member = delivery.crew_member
    if member is None:
        who = f"the crew channel <#{delivery.channel}>"
    else:
        who = escaped(member.name) or (
            f"<@{member.slack_user_id}>" if member.slack_user_id else escaped(member.email)
        )
    return create_notice(
        session,
        production=production,
        kind=NoticeKind.REPORT,
        title=f"Couldn't deliver notice {notice.id}",
        body=f"*{escaped(notice.title)}* could not be delivered to {who}: `{escaped(error)}`.",
        recipients=[Recipient.of(c) for c in coordinators_of(session, production_id=production.id)],
        acknowledge=False,
        post_to_channel=False,
        now=now,
    )


ANNOUNCEMENT_LIMIT = 2900


def announce(
    session: Session,
    *,
    production: Production,
    text: str,
    author: str | None,
    now: dt.datetime,
    urgent: bool = False,
) -> tuple[Notice, int]:
    """An announcement to the whole crew (but its author), acknowledged; and how many get it."""
    text = text.strip()
    if not text:
        raise UserError(
            "Write the announcement after `announce`, e.g. "
            "`/crewcall announce Wrap party Friday 20:00 at the Crown`."
        )
    if (problem := too_long(text, what="announcement", limit=ANNOUNCEMENT_LIMIT)) is not None:
        raise UserError(problem)
    recipients = [
        r for r in crew_of(session, production_id=production.id) if r.slack_user_id != author
    ]
    if not recipients:
        raise UserError("There is nobody on the crew list to tell yet; import the crew first.")
    notice = create_notice(
        session,
        production=production,
        kind=NoticeKind.ANNOUNCEMENT,
        title=f"Announcement · {production.name}",
        body=escaped(text),
        recipients=recipients,
        urgent=urgent,
        author=author,
        now=now,
    )
    return notice, len(recipients)
