"""Follow-ups: nudging who hasn't acknowledged, then escalating to heads and coordinators.

A delivery not acknowledged `renotify_every` minutes after it was last posted is
posted again, at most `renotify_max` times; one more interval later it is escalated
to the department head and the coordinators, with everyone on that notice who still
hasn't acknowledged. Quiet hours hold all of it, except for urgent notices. Each
step is a conditional update, so that several workers running this at once nudge
and escalate each delivery once.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.core.kit import department_lines
from bot.core.mrkdwn import escaped
from bot.notices.notices import Recipient, coordinators_of, create_notice
from bot.storage.db import changed
from bot.storage.models import (
    AuditAction,
    AuditEntry,
    CrewMember,
    Delivery,
    DeliveryStatus,
    Department,
    Notice,
    NoticeKind,
    Production,
    Role,
)

# No production nudges more often than this (the renotify_every constraint).
SHORTEST_INTERVAL = dt.timedelta(minutes=5)


@dataclass
class FollowUps:
    """What one run did."""

    nudged: int = 0
    escalated: int = 0


def in_quiet_hours(production: Production, now: dt.datetime) -> bool:
    """Whether `now` falls in the production's quiet hours (which may span midnight)."""
    start, end = production.quiet_start, production.quiet_end
    if start == end:
        return False
    local = now.astimezone(zoneinfo.ZoneInfo(production.timezone)).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def follow_up(session: Session, *, now: dt.datetime) -> FollowUps:
    """Nudge and escalate every delivery that is due, across all productions."""
    rows = session.execute(
        select(Delivery, Notice, Production)
        .join(Notice, Delivery.notice_id == Notice.id)
        .join(Production, Notice.production_id == Production.id)
        .where(
            Delivery.crew_member_id.is_not(None),
            Delivery.status == DeliveryStatus.SENT,
            Delivery.acknowledged_at.is_(None),
            Delivery.escalated_at.is_(None),
            Delivery.last_notified_at <= now - SHORTEST_INTERVAL,
            Notice.acknowledge.is_(True),
            Notice.superseded_at.is_(None),
            or_(Notice.expires_at.is_(None), Notice.expires_at > now),
        )
        .order_by(Delivery.id)
    ).all()
    done = FollowUps()
    to_escalate: dict[int, list[int]] = defaultdict(list)
    quiet: dict[int, bool] = {}
    for delivery, notice, production in rows:
        if production.id not in quiet:
            quiet[production.id] = in_quiet_hours(production, now)
        interval = dt.timedelta(minutes=production.renotify_every)
        if (quiet[production.id] and not notice.urgent) or (
            delivery.last_notified_at and delivery.last_notified_at > now - interval
        ):
            continue
        if delivery.renotify_count < production.renotify_max:
            done.nudged += _nudge(session, delivery, now=now)
        else:
            to_escalate[notice.id].append(delivery.id)
    for notice_id, delivery_ids in to_escalate.items():
        done.escalated += escalate(session, notice_id=notice_id, delivery_ids=delivery_ids, now=now)
    return done


def _nudge(session: Session, delivery: Delivery, *, now: dt.datetime) -> int:
    """Queue the next reminder for one delivery; 0 if another worker got there first."""
    taken = changed(
        session.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery.id,
                Delivery.status == DeliveryStatus.SENT,
                Delivery.renotify_count == delivery.renotify_count,
            )
            .values(
                status=DeliveryStatus.PENDING,
                next_attempt_at=now,
                renotify_count=delivery.renotify_count + 1,
                last_notified_at=now,
            )
            .execution_options(synchronize_session=False)
        )
    )
    if taken:
        session.add(
            AuditEntry(
                notice_id=delivery.notice_id,
                delivery_id=delivery.id,
                action=AuditAction.NUDGED,
                detail=f"reminder {delivery.renotify_count + 1}",
                at=now,
            )
        )
    return taken


def escalate(session: Session, *, notice_id: int, delivery_ids: list[int], now: dt.datetime) -> int:
    """Tell heads (their department's people) and coordinators (everyone) who hasn't acked."""
    claimed = list(
        session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(delivery_ids), Delivery.escalated_at.is_(None))
            .values(escalated_at=now)
            .returning(Delivery.id)
        )
    )
    if not claimed:
        return 0
    notice = session.get(Notice, notice_id)
    assert notice is not None
    production = session.get(Production, notice.production_id)
    assert production is not None
    session.add_all(
        AuditEntry(notice_id=notice_id, delivery_id=id_, action=AuditAction.ESCALATED, at=now)
        for id_ in claimed
    )
    recipients = _escalation_recipients(session, production, _people_of(session, claimed))
    if recipients:
        create_notice(
            session,
            production=production,
            kind=NoticeKind.ESCALATION,
            title=f"Not acknowledged: {notice.title}",
            body=(
                f"After {production.renotify_max} reminders, notice {notice.id} "
                f"still waits for acknowledgement. `/acks {notice.id}` has the details."
            ),
            recipients=recipients,
            acknowledge=False,
            post_to_channel=False,
            urgent=notice.urgent,
            now=now,
        )
    return len(claimed)


def _people_of(session: Session, delivery_ids: list[int]) -> list:
    """The crew members these deliveries went to, with their departments' names."""
    return list(
        session.execute(
            select(CrewMember, Department.name)
            .join(Delivery, Delivery.crew_member_id == CrewMember.id)
            .outerjoin(Department, CrewMember.department_id == Department.id)
            .where(Delivery.id.in_(delivery_ids))
            .order_by(Department.name, CrewMember.name)
        ).all()
    )


def _escalation_recipients(
    session: Session, production: Production, people: list
) -> list[Recipient]:
    """Each head gets their own department's names; each coordinator gets all of them.

    Nobody finds themselves on their own list: a head or coordinator who has not
    acknowledged either is told so in their own words.
    """
    missing: dict[int | None, list[Missing]] = defaultdict(list)
    for member, department in people:
        name = escaped(member.name) or f"<@{member.slack_user_id}>"
        missing[member.department_id].append(Missing(member.id, name, department or ""))
    recipients: dict[int, Recipient] = {}
    heads = session.scalars(
        select(CrewMember).where(
            CrewMember.production_id == production.id,
            CrewMember.role == Role.HEAD,
            CrewMember.department_id.in_([d for d in missing if d is not None]),
        )
    )
    for head in heads:
        recipients[head.id] = Recipient.of(head, _not_acked(head, missing[head.department_id]))
    everyone = [entry for entries in missing.values() for entry in entries]
    for coordinator in coordinators_of(session, production_id=production.id):
        recipients[coordinator.id] = Recipient.of(coordinator, _not_acked(coordinator, everyone))
    return list(recipients.values())


@dataclass(frozen=True)
class Missing:
    """Someone who has not acknowledged: their crew id, name (escaped) and department."""

    member_id: int
    name: str
    department: str


def _not_acked(reader: CrewMember, missing: list[Missing]) -> str:
    """Who hasn't acknowledged, for `reader`, a line per department (`*Sound* (2): Oscar
    Dunn, Rosa Vidal`); the reader in their own words, not on the list."""
    others = [person for person in missing if person.member_id != reader.id]
    lines = []
    if len(others) < len(missing):
        lines.append("*You haven't acknowledged it yourself yet.*")
    if others:
        lines.append(f"*Not acknowledged ({len(others)}):*")
        lines.extend(department_lines((person.department, person.name) for person in others))
    return "\n".join(lines)
