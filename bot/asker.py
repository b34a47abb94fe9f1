"""Who is asking, and about which production: the start of every command."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.crew import link_email, member_by_user
from bot.errors import UserError
from bot.productions import workspace_for
from bot.storage.models import CrewMember, Production, ProductionChoice, Workspace

log = logging.getLogger(__name__)
TZ_FRESH_FOR = dt.timedelta(days=1)
TZ_RETRY_AFTER = dt.timedelta(hours=1)


@dataclass
class Asker:
    """The person behind a request, the production it is about, and their crew entry."""

    user_id: str
    production: Production
    member: CrewMember | None
    timezone: str | None


def identify(
    session: Session,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    now: dt.datetime,
) -> Asker:
    """Resolve the production and crew entry for this Slack user; UserError if there is none."""
    workspace = workspace_for(session, team_id=team_id)
    profile = None
    if not _known(session, workspace, user_id):
        profile = _users_info(client, user_id)
        email = (profile or {}).get("profile", {}).get("email")
        if email:
            link_email(session, workspace=workspace, user_id=user_id, email=email)
    production = choose_production(
        session, workspace=workspace, user_id=user_id, channel_id=channel_id
    )
    member = member_by_user(session, production=production, user_id=user_id)
    timezone = _timezone(session, client, member, profile, now) if member else None
    return Asker(user_id, production, member, timezone)


def choose_production(
    session: Session, *, workspace: Workspace, user_id: str, channel_id: str | None
) -> Production:
    """The channel's production; else the only one the user is on; else their chosen one."""
    active = select(Production).where(
        Production.workspace_id == workspace.id, Production.active.is_(True)
    )
    if channel_id and (
        in_channel := session.scalar(active.where(Production.crew_channel == channel_id))
    ):
        return in_channel
    mine = list(
        session.scalars(
            active.join(CrewMember)
            .where(CrewMember.slack_user_id == user_id)
            .order_by(Production.name)
        )
    )
    if len(mine) == 1:
        return mine[0]
    chosen = session.scalar(
        select(Production)
        .join(ProductionChoice, ProductionChoice.production_id == Production.id)
        .where(
            ProductionChoice.workspace_id == workspace.id, ProductionChoice.slack_user_id == user_id
        )
    )
    if chosen is not None:
        return chosen
    if mine:
        slugs = ", ".join(f"`{p.slug}`" for p in mine)
        raise UserError(
            f"You're on several productions ({slugs}). Choose one with `/crewcall use <slug>`."
        )
    raise UserError(
        "You're not on any production's crew list yet. Ask your production coordinator to add you."
    )


def _known(session: Session, workspace: Workspace, user_id: str) -> bool:
    return (
        session.scalar(
            select(CrewMember.id)
            .join(Production)
            .where(Production.workspace_id == workspace.id, CrewMember.slack_user_id == user_id)
            .limit(1)
        )
        is not None
    )


def _timezone(
    session: Session, client: WebClient, member: CrewMember, profile: dict | None, now: dt.datetime
) -> str | None:
    """The reader's Slack time zone, from users.info at most once a day per person."""
    checked = member.slack_tz_checked_at
    if checked is not None and now - checked < TZ_FRESH_FOR:
        return member.slack_tz
    profile = profile or _users_info(client, member.slack_user_id)
    if profile is None:
        # Slack could not say: keep what we had, and ask again in an hour, not every request.
        values = {"slack_tz_checked_at": now - TZ_FRESH_FOR + TZ_RETRY_AFTER}
    else:
        values = {"slack_tz": profile.get("tz"), "slack_tz_checked_at": now}
    session.execute(
        update(CrewMember).where(CrewMember.slack_user_id == member.slack_user_id).values(**values)
    )
    return values.get("slack_tz", member.slack_tz)


def _users_info(client: WebClient, user_id: str) -> dict | None:
    """users.info, or None if Slack cannot say right now (the answer goes on without it)."""
    try:
        return client.users_info(user=user_id)["user"]
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.warning("users.info failed for %s: %s", user_id, exc)
        return None
