"""Productions and the workspaces that hold them: creating and listing them."""

from __future__ import annotations

import re
import zoneinfo

from pydantic import BaseModel, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.errors import UserError, user_error_from
from bot.core.locales import currency_for, date_order_for
from bot.core.money import parse_currency
from bot.core.mrkdwn import quoted
from bot.storage.models import CrewMember, Production, ProductionChoice, Role, Workspace

NOT_ON_A_CREW = (
    "You're not on any production's crew list yet. Ask your production coordinator to add you."
)

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")
TEAM_ID = re.compile(r"^[TE][A-Z0-9]{6,}$")


class NewProduction(BaseModel):
    """What `crewcall production create` needs, validated."""

    name: str
    slug: str
    timezone: str
    channel: str
    coordinators: list[str]
    # Rates written without a currency are in this one; by default the time zone's country's.
    currency: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > 200:
            raise ValueError("give a name of 1 to 200 characters, e.g. 'Hollis Farm'")
        return value

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError(
                f"{value!r} is not a slug: lowercase letters, digits and -, e.g. hollis"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError(f"{value!r} is not an IANA time zone, e.g. Europe/London")
        return value

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if not CHANNEL_ID.match(value):
            raise ValueError(f"{value!r} is not a Slack channel id, e.g. C0123ABCD")
        return value

    @field_validator("coordinators")
    @classmethod
    def _coordinators(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one coordinator by Slack user id, e.g. U0123ABCD")
        for user_id in value:
            if not USER_ID.match(user_id):
                raise ValueError(f"{user_id!r} is not a Slack user id, e.g. U0123ABCD")
        return list(dict.fromkeys(value))


def workspace_for(session: Session, *, team_id: str) -> Workspace:
    """The workspace row for a Slack team, created on first sight."""
    if not TEAM_ID.match(team_id):
        raise UserError(f"{team_id!r} is not a Slack team id, e.g. T0123ABCD")
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
        session.flush()
    return workspace


def create_production(session: Session, *, team_id: str, **fields: object) -> Production:
    """Create a production with its coordinators; bad or duplicate input raises UserError."""
    try:
        data = NewProduction.model_validate(fields)
    except ValidationError as exc:
        raise user_error_from(exc) from None
    workspace = workspace_for(session, team_id=team_id)
    taken = session.scalar(
        select(Production.id).where(
            Production.workspace_id == workspace.id, Production.slug == data.slug
        )
    )
    if taken is not None:
        raise UserError(f"a production with slug {data.slug!r} already exists")
    production = Production(
        workspace=workspace,
        name=data.name,
        slug=data.slug,
        timezone=data.timezone,
        currency=parse_currency(data.currency) if data.currency else currency_for(data.timezone),
        date_order=date_order_for(data.timezone),
        crew_channel=data.channel,
        crew=[
            CrewMember(slack_user_id=user_id, role=Role.COORDINATOR)
            for user_id in data.coordinators
        ],
    )
    session.add(production)
    session.flush()
    return production


def list_productions(session: Session, *, team_id: str | None = None) -> list[Production]:
    """Every production, or one workspace's, by name."""
    query = select(Production).join(Workspace).order_by(Production.name, Production.id)
    if team_id is not None:
        query = query.where(Workspace.team_id == team_id)
    return list(session.scalars(query))


def production_by_slug(session: Session, *, slug: str, team_id: str | None = None) -> Production:
    """The production with this slug (in this workspace, if given); UserError if not exactly one."""
    query = select(Production).join(Workspace).where(Production.slug == slug)
    if team_id is not None:
        query = query.where(Workspace.team_id == team_id)
    found = list(session.scalars(query))
    if not found:
        raise UserError(f"there is no production {slug!r}; `crewcall production list` shows them")
    if len(found) > 1:
        raise UserError(f"several workspaces have a production {slug!r}; give --team")
    return found[0]


def use_production(session: Session, *, team_id: str, user_id: str, slug: str) -> Production:
    """Remember which production this person's commands refer to (`/crewcall use <slug>`).

    Only a production they are on: to anyone else, one they are not on and one that does
    not exist look the same, so the answer tells nothing about other productions.
    """
    workspace = workspace_for(session, team_id=team_id)
    mine = _active_productions_of(session, workspace, user_id)
    wanted = slug.strip().lower()
    production = next((p for p in mine if p.slug == wanted), None)
    if production is None:
        if not mine:
            raise UserError(NOT_ON_A_CREW)
        choices = ", ".join(f"`{p.slug}`" for p in mine)
        raise UserError(f"{quoted(wanted)} isn't one of your productions. Yours: {choices}.")
    choice = session.scalar(
        select(ProductionChoice).where(
            ProductionChoice.workspace_id == workspace.id,
            ProductionChoice.slack_user_id == user_id,
        )
    )
    if choice is None:
        session.add(
            ProductionChoice(workspace=workspace, slack_user_id=user_id, production=production)
        )
    else:
        choice.production_id = production.id
    return production


def _active_productions_of(
    session: Session, workspace: Workspace, user_id: str
) -> list[Production]:
    """The workspace's active productions with this person on the crew, by slug."""
    return list(
        session.scalars(
            select(Production)
            .join(CrewMember)
            .where(
                Production.workspace_id == workspace.id,
                Production.active.is_(True),
                CrewMember.slack_user_id == user_id,
            )
            .order_by(Production.slug)
        )
        .unique()
        .all()
    )
