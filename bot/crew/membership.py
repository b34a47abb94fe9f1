"""Coordinators giving people their roles: head of a department, coordinator, crew; or
taking them off the crew list. A production always keeps at least one coordinator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.errors import UserError
from bot.core.mrkdwn import escaped
from bot.core.names import person_named
from bot.rentals.fields import department_named
from bot.storage.models import CrewMember, Production, Role

ROLE_USAGE = (
    "`/crewcall role @person head <department>`, `/crewcall role @person coordinator`, "
    "`/crewcall role @person crew` or `/crewcall remove @person`"
)


@dataclass(frozen=True)
class RoleRequest:
    """`/crewcall role <who> <crew | head | coordinator> [department]`."""

    who: str
    role: Role
    department: str

    @classmethod
    def parse(cls, words: list[str]) -> RoleRequest:
        """UserError, with the usage, unless a person and a role are both given."""
        roles = [i for i, word in enumerate(words) if word.lower() in {r.value for r in Role}]
        if not roles or roles[0] == 0:
            raise UserError(f"Say who and which role: {ROLE_USAGE}.")
        at = roles[0]
        return cls(" ".join(words[:at]), Role(words[at].lower()), " ".join(words[at + 1 :]))


def set_role(session: Session, production: Production, request: RoleRequest) -> str:
    """Give the person the role (a head, of the department given or their own); what was done."""
    member = _one(session, production, request.who)
    department = member.department
    if request.department:
        department = department_named(session, production, request.department)
    if request.role == Role.HEAD and department is None:
        raise UserError(
            f"{member.name or 'They'} has no department: say which, e.g. "
            "`/crewcall role @person head camera`."
        )
    if member.role == Role.COORDINATOR and request.role != Role.COORDINATOR:
        _keep_a_coordinator(session, production, member)
    member.role = request.role
    member.department = department
    session.flush()
    what = {
        Role.HEAD: f"head of {department.name if department else ''}",
        Role.COORDINATOR: "a coordinator",
        Role.CREW: "crew",
    }[request.role]
    return f"{_name(member)} is now {what} on {escaped(production.name)}."


@dataclass(frozen=True)
class RemoveYourself:
    """A coordinator asked to take themselves off the crew list: asked first."""

    production: str


def remove_member(
    session: Session, production: Production, who: str, *, by: str, confirmed: bool = False
) -> str | RemoveYourself:
    """Take the person off the crew list (their calls and deliveries go with them); one who
    is removing themselves (`by`) is asked to confirm first."""
    member = _one(session, production, who)
    if member.role == Role.COORDINATOR:
        _keep_a_coordinator(session, production, member)
    if member.slack_user_id == by and not confirmed:
        return RemoveYourself(production.name)
    name = _name(member)
    session.delete(member)
    session.flush()
    return f"{name} is no longer on {escaped(production.name)}'s crew list."


def _one(session: Session, production: Production, who: str) -> CrewMember:
    if not who.strip():
        raise UserError(f"Say who: {ROLE_USAGE}.")
    crew = list(
        session.scalars(select(CrewMember).where(CrewMember.production_id == production.id))
    )
    return person_named(
        crew, who, production=production.name, example="Add people by importing crew.csv."
    )


def _keep_a_coordinator(session: Session, production: Production, member: CrewMember) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(CrewMember)
        .where(
            CrewMember.production_id == production.id,
            CrewMember.role == Role.COORDINATOR,
            CrewMember.id != member.id,
        )
    )
    if not others:
        raise UserError(
            f"{_name(member)} is {escaped(production.name)}'s only coordinator: make someone else "
            "coordinator first."
        )


def _name(member: CrewMember) -> str:
    return escaped(member.name) or f"<@{member.slack_user_id}>"
