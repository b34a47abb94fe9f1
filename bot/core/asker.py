"""Who is asking, and about which production: the start of every command."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.clicks import TAMPERED_FORM, clicked_by, view_metadata
from bot.core.crew_lookup import crew_entry, link_email
from bot.core.deps import Deps
from bot.core.directory import WorkspaceSchedules
from bot.core.errors import UserError
from bot.core.numbers import parse_id
from bot.core.productions import NOT_ON_A_CREW
from bot.core.roles import Action, require
from bot.core.schedule import Schedule
from bot.core.slack_calls import in_request
from bot.core.timezones import users_info
from bot.core.views import MemberView, ProductionView
from bot.storage.models import Production, ProductionChoice


class NotOnACrew(UserError):
    """The person is on no production's crew list in this workspace."""


class WhichProduction(UserError):
    """The person is on several productions and has chosen none for this."""


@dataclass
class Asker:
    """The person behind a request, the production it is about, and their crew entry."""

    user_id: str
    schedule: Schedule
    member: MemberView | None
    timezone: str | None

    @property
    def production(self) -> ProductionView:
        """The production the asker is working on."""
        return self.schedule.production


def identify(
    session: Session,
    client: WebClient,
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    now: dt.datetime,
) -> Asker:
    """Resolve the production and crew entry for this Slack user; UserError if there is none."""
    schedules = deps.directory.workspace(team_id)
    if schedules is None:
        raise NotOnACrew(NOT_ON_A_CREW)
    if not schedules.of_user(user_id):
        schedules = _link_by_email(session, client, deps, schedules, user_id=user_id, now=now)
    schedule = _choose(session, schedules, user_id=user_id, channel_id=channel_id)
    member = schedule.crew_by_user.get(user_id)
    timezone = deps.timezones.get(client, user_id, now=now) if member else None
    return Asker(user_id, schedule, member, timezone)


def identify_for(
    session: Session,
    client: WebClient,
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    channel_id: str | None,
    now: dt.datetime,
    action: Action,
) -> Asker:
    """As `identify`, for what needs a role (bot/core/roles.py); UserError with its refusal."""
    asker = identify(
        session, client, deps, team_id=team_id, user_id=user_id, channel_id=channel_id, now=now
    )
    require(asker.member, action)
    return asker


def identify_command(
    session: Session,
    client: WebClient,
    deps: Deps,
    command: dict,
    *,
    now: dt.datetime,
    action: Action | None = None,
) -> Asker:
    """The person behind a slash command (and the production it is about), who may take
    `action` if one is given."""
    where = {
        "team_id": command["team_id"],
        "user_id": command["user_id"],
        "channel_id": command.get("channel_id"),
        "now": now,
    }
    if action is None:
        return identify(session, client, deps, **where)
    return identify_for(session, client, deps, **where, action=action)


def acting_on(
    session: Session, *, team_id: str, user_id: str, production_id: object, action: Action
) -> Production:
    """The production a submitted modal names, if this user may take `action` on it there.

    A modal carries its production's id; the submission is checked again, against the
    submitter's crew entry on that production in their own workspace.
    """
    member = crew_entry(session, production_id=production_id, team_id=team_id, user_id=user_id)
    require(member, action)
    production = session.get(Production, production_id)
    if production is None:
        raise UserError("That production no longer exists.")
    return production


def acting_on_view(session: Session, body: dict, view: dict, *, action: Action) -> Production:
    """`acting_on` for a submitted modal that names its production in private_metadata."""
    return acting_on(
        session,
        **clicked_by(body),
        production_id=parse_id(view_metadata(view, "production")["production"], TAMPERED_FORM),
        action=action,
    )


def _link_by_email(
    session: Session,
    client: WebClient,
    deps: Deps,
    schedules: WorkspaceSchedules,
    *,
    user_id: str,
    now: dt.datetime,
) -> WorkspaceSchedules:
    """A person imported by email only: give their rows this Slack id (users.info's email)."""
    profile = users_info(in_request(client), user_id)  # Slack waits for our answer
    deps.timezones.remember(user_id, profile, now=now)
    email = (profile or {}).get("profile", {}).get("email")
    if not email or not link_email(
        session, workspace_id=schedules.workspace_id, user_id=user_id, email=email
    ):
        return schedules
    session.commit()  # the link stands whatever this request goes on to do
    return deps.directory.workspace(schedules.team_id) or schedules


def _choose(
    session: Session, schedules: WorkspaceSchedules, *, user_id: str, channel_id: str | None
) -> Schedule:
    """Of the productions the user is on: the channel's; else the only one; else their chosen one.

    Reads are for a production's crew: a channel's production is not the answer for someone
    not on it, and nobody reads one by choosing it.
    """
    mine = schedules.of_user(user_id)
    in_channel = schedules.for_channel(channel_id)
    if in_channel is not None and user_id in in_channel.crew_by_user:
        return in_channel
    if len(mine) == 1:
        return mine[0]
    chosen = session.scalar(
        select(ProductionChoice.production_id).where(
            ProductionChoice.workspace_id == schedules.workspace_id,
            ProductionChoice.slack_user_id == user_id,
        )
    )
    for schedule in mine:
        if schedule.production.id == chosen:
            return schedule
    if mine:
        slugs = ", ".join(f"`{s.production.slug}`" for s in mine)
        raise WhichProduction(
            f"You're on several productions ({slugs}). Choose one with `/crewcall use <slug>`."
        )
    raise NotOnACrew(NOT_ON_A_CREW)
