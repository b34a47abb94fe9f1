"""Who has acknowledged a notice: the /acks report, its CSV export, and "nudge now"."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.crew_lookup import crew_entry
from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.core.numbers import parse_id
from bot.core.roles import Action, department_scope
from bot.core.views import MemberView
from bot.notices.cards import NoticeCard
from bot.notices.standing import Tally
from bot.storage.models import (
    AuditAction,
    AuditEntry,
    CrewMember,
    Delivery,
    DeliveryStatus,
    Department,
    Notice,
    Production,
)

CSV_COLUMNS = (
    "notice_id",
    "version",
    "kind",
    "title",
    "name",
    "slack_user_id",
    "department",
    "status",
    "sent_at",
    "acknowledged_at",
    "renotify_count",
    "escalated_at",
)


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and what they may see: every department, or their own."""

    user_id: str
    production_id: int
    department_id: int | None
    coordinator: bool

    @classmethod
    def of(
        cls, member: MemberView | CrewMember | None, *, production_id: int, user_id: str
    ) -> Viewer:
        """Coordinators see everything, heads their department; anyone else is refused."""
        scope = department_scope(member, Action.SEE_ACKS)
        return cls(user_id, production_id, scope, scope is None)


@dataclass(frozen=True)
class AckLine:
    """One person's state for one notice."""

    name: str
    slack_user_id: str | None
    department: str
    status: DeliveryStatus
    sent_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    renotify_count: int
    escalated_at: dt.datetime | None


@dataclass(frozen=True)
class AckReport:
    """A notice and where each of its recipients (that the viewer may see) stands."""

    card: NoticeCard
    notice: Notice
    lines: list[AckLine]
    superseded: bool

    @property
    def tally(self) -> Tally:
        """How many of the notice's live deliveries are acknowledged, of how many."""
        live = [line for line in self.lines if line.status != DeliveryStatus.CANCELLED]
        return Tally(sum(1 for line in live if line.acknowledged_at), len(live))


def find_notice(session: Session, viewer: Viewer, reference: str) -> Notice:
    """`latest`, or a notice id, of the viewer's production; UserError otherwise."""
    reference = reference.strip().lower().removeprefix("#") or "latest"
    query = select(Notice).where(
        Notice.production_id == viewer.production_id,
        # Notices that are told, not acknowledged (reminders, escalations), have no report.
        Notice.acknowledge.is_(True),
    )
    if viewer.department_id is not None:
        query = query.where(
            Notice.id.in_(
                select(Delivery.notice_id)
                .join(CrewMember, Delivery.crew_member_id == CrewMember.id)
                .where(CrewMember.department_id == viewer.department_id)
            )
        )
    if reference == "latest":
        notice = session.scalar(query.order_by(Notice.id.desc()).limit(1))
        if notice is None:
            raise UserError("There are no notices to report on yet.")
        return notice
    notice_id = parse_id(
        reference,
        f"I don't know the notice {quoted(reference)}. Give its number, e.g. `/acks 12`, "
        "or `/acks latest`.",
    )
    notice = session.scalar(query.where(Notice.id == notice_id))
    if notice is None:
        raise UserError(f"There is no notice {reference} that you can see. Try `/acks latest`.")
    return notice


def clicked_notice(
    session: Session, *, notice_id: int, team_id: str, user_id: str
) -> tuple[Viewer, Notice]:
    """The notice a button names, and the clicker's rights on its production (in the
    workspace the click came from), checked anew."""
    notice = session.get(Notice, notice_id)
    if notice is None:
        raise UserError("That notice no longer exists.")
    member = crew_entry(
        session, production_id=notice.production_id, team_id=team_id, user_id=user_id
    )
    viewer = Viewer.of(member, production_id=notice.production_id, user_id=user_id)
    return viewer, find_notice(session, viewer, str(notice.id))


def ack_report(session: Session, viewer: Viewer, notice: Notice) -> AckReport:
    """Everyone the notice went to (the head's department only), by department and name."""
    query = (
        select(Delivery, CrewMember, Department.name)
        .join(CrewMember, Delivery.crew_member_id == CrewMember.id)
        .outerjoin(Department, CrewMember.department_id == Department.id)
        .where(Delivery.notice_id == notice.id)
        .order_by(Department.name, CrewMember.name, CrewMember.id)
    )
    if viewer.department_id is not None:
        query = query.where(CrewMember.department_id == viewer.department_id)
    lines = [
        AckLine(
            name=member.name or member.email or member.slack_user_id or "?",
            slack_user_id=delivery.slack_user_id,
            department=department or "",
            status=delivery.status,
            sent_at=delivery.sent_at,
            acknowledged_at=delivery.acknowledged_at,
            renotify_count=delivery.renotify_count,
            escalated_at=delivery.escalated_at,
        )
        for delivery, member, department in session.execute(query)
    ]
    production = session.get(Production, notice.production_id)
    assert production is not None
    card = NoticeCard.of(notice, production)
    return AckReport(card, notice, lines, superseded=notice.superseded_at is not None)


def nudge_now(session: Session, viewer: Viewer, notice: Notice, *, now: dt.datetime) -> int:
    """Post a reminder now to everyone (the head's department) who hasn't acknowledged."""
    if notice.superseded_at is not None:
        raise UserError(f"Notice {notice.id} has been replaced by a newer one; nudge that one.")
    query = select(Delivery.id).where(
        Delivery.notice_id == notice.id,
        Delivery.crew_member_id.is_not(None),
        Delivery.status == DeliveryStatus.SENT,
        Delivery.acknowledged_at.is_(None),
    )
    if viewer.department_id is not None:
        query = query.join(CrewMember, Delivery.crew_member_id == CrewMember.id).where(
            CrewMember.department_id == viewer.department_id
        )
    ids = list(
        session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(query.scalar_subquery()), Delivery.status == DeliveryStatus.SENT)
            .values(status=DeliveryStatus.PENDING, next_attempt_at=now, last_notified_at=now)
            .returning(Delivery.id)
        )
    )
    session.add_all(
        AuditEntry(
            notice_id=notice.id,
            delivery_id=delivery_id,
            action=AuditAction.NUDGED,
            actor=viewer.user_id,
            detail="nudged now",
            at=now,
        )
        for delivery_id in ids
    )
    return len(ids)


def export_csv(reports: list[AckReport]) -> str:
    """The reports as CSV, one row per recipient; times in UTC, ISO 8601."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        for line in report.lines:
            writer.writerow(
                [
                    report.card.id,
                    report.card.version,
                    report.card.kind.value,
                    report.card.title,
                    line.name,
                    line.slack_user_id or "",
                    line.department,
                    line.status.value,
                    _iso(line.sent_at),
                    _iso(line.acknowledged_at),
                    line.renotify_count,
                    _iso(line.escalated_at),
                ]
            )
    return out.getvalue()


def notices_of(session: Session, *, production_id: int) -> list[Notice]:
    """Every acknowledgeable notice of a production, oldest first (for a full export)."""
    return list(
        session.scalars(
            select(Notice)
            .where(
                Notice.production_id == production_id,
                # Notices that are told, not acknowledged (reminders, escalations), have no report.
                Notice.acknowledge.is_(True),
            )
            .order_by(Notice.id)
        )
    )


def _iso(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds") if moment else ""
