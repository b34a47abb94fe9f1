"""Who may do what: every command's role check, in one table.

Crew look things up and acknowledge; heads also see, and act for, their own
department; coordinators do everything. Being a workspace admin counts for nothing.
A refused action gets the refusal's words and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.core.errors import UserError
from bot.storage.models import Role


class Member(Protocol):
    """A crew entry as any layer holds it (a model row or a view)."""

    @property
    def role(self) -> Role:
        """Crew, head or coordinator."""

    @property
    def department_id(self) -> int | None:
        """Their department's id, if they have one."""


class Action(StrEnum):
    SEE_PHONES = "see phone numbers"
    SEE_ACKS = "see acknowledgements"
    CHANGE_RENTALS = "add or change rentals"
    CHANGE_SCHEDULE = "change the schedule"
    ANNOUNCE = "send announcements"
    ANNOUNCE_SCRIPT = "announce script revisions"
    IMPORT = "import files"
    SETUP = "change the production's settings"
    MANAGE_ROLES = "change people's roles"
    RESET_PRODUCTION_CALENDAR = "replace the production calendar's link"


@dataclass(frozen=True)
class Rule:
    """Coordinators may always; heads too if `heads`, for their own department only."""

    heads: bool
    refusal: str


ONLY_COORDINATORS = "Only the production's coordinators can {action}."
RULES: dict[Action, Rule] = {
    Action.SEE_PHONES: Rule(heads=True, refusal="Phone numbers are for heads and coordinators."),
    Action.SEE_ACKS: Rule(
        heads=True,
        refusal=(
            "Only coordinators, and department heads for their department, can see "
            "acknowledgements. Ask your production coordinator."
        ),
    ),
    Action.CHANGE_RENTALS: Rule(
        heads=True,
        refusal=(
            "Only coordinators, and department heads for their own department, can add or "
            "change rentals."
        ),
    ),
    Action.RESET_PRODUCTION_CALENDAR: Rule(
        heads=False,
        refusal=(
            "Only the production's coordinators can replace the production calendar's link: "
            "everyone subscribed to it would need the new one."
        ),
    ),
}


def allowed(member: Member | None, action: Action, *, department_id: int | None = None) -> bool:
    """Whether `member` may take `action` (for `department_id`, where it is a department's)."""
    if member is None:
        return False
    if member.role == Role.COORDINATOR:
        return True
    rule = RULES.get(action)
    if rule is None or not rule.heads or member.role != Role.HEAD:
        return False
    return department_id is None or member.department_id == department_id


def require(member: Member | None, action: Action, *, department_id: int | None = None) -> None:
    """UserError with the action's refusal unless `member` may take it."""
    if not allowed(member, action, department_id=department_id):
        raise UserError(refusal(action))


def department_scope(member: Member | None, action: Action) -> int | None:
    """What `member` may take `action` on: everything (None), or their own department's.

    UserError with the action's refusal if neither; a head with no department has none.
    """
    if member is not None and member.role == Role.COORDINATOR:
        return None
    if member is None or member.department_id is None or not allowed(member, action):
        raise UserError(refusal(action))
    return member.department_id


def refusal(action: Action) -> str:
    """What someone who may not take `action` is told."""
    rule = RULES.get(action)
    return rule.refusal if rule else ONLY_COORDINATORS.format(action=action.value)
