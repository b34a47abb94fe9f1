"""People on a production's crew list: finding them by Slack id, email or name."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.core.names import EMAIL, MENTION, SLACK_USER
from bot.storage.models import CrewMember, Production, Workspace
from bot.storage.versions import schedule_changed


def crew_entry(
    session: Session, *, production_id: object, team_id: str, user_id: str
) -> CrewMember | None:
    """This Slack user's entry on a production's crew, if the production is in their workspace.

    A user id alone is not enough: the same id can be in two workspaces (Enterprise Grid).
    """
    return session.scalar(
        select(CrewMember)
        .join(Production, CrewMember.production_id == Production.id)
        .join(Workspace, Production.workspace_id == Workspace.id)
        .where(
            Production.id == production_id,
            Workspace.team_id == team_id,
            CrewMember.slack_user_id == user_id,
        )
    )


def find_member(session: Session, *, production: Production, who: str) -> list[CrewMember]:
    """Crew members matching a Slack id, a mention, an email or an exact name (any case):
    as an imported file names them, where a near miss is an error, not a guess."""
    who = who.strip()
    if mention := MENTION.fullmatch(who):
        who = mention.group(1)
    query = select(CrewMember).where(CrewMember.production_id == production.id)
    if SLACK_USER.fullmatch(who):
        query = query.where(CrewMember.slack_user_id == who)
    elif EMAIL.fullmatch(who):
        query = query.where(func.lower(CrewMember.email) == who.lower())
    else:
        query = query.where(func.lower(CrewMember.name) == " ".join(who.lower().split()))
    return list(session.scalars(query))


def link_email(session: Session, *, workspace_id: int, user_id: str, email: str) -> int:
    """Give this Slack user id to crew rows imported with only their email; returns how many."""
    unlinked = list(
        session.execute(
            select(CrewMember.id, CrewMember.production_id)
            .join(Production)
            .where(
                Production.workspace_id == workspace_id,
                CrewMember.slack_user_id.is_(None),
                func.lower(CrewMember.email) == email.lower(),
            )
        )
    )
    if not unlinked:
        return 0
    session.execute(
        update(CrewMember)
        .where(CrewMember.id.in_([member_id for member_id, _ in unlinked]))
        .values(slack_user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    schedule_changed(session, {production_id for _, production_id in unlinked})
    return len(unlinked)
