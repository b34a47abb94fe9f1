"""A production with as many crew as a test needs, and a sender to deliver its notices."""

from __future__ import annotations

import time
from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.clock import now as clock_now
from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.jobs.sender import Sender
from bot.storage.db import Database
from bot.storage.models import CrewMember, Delivery, DeliveryStatus, Department, Production, Role
from tests.hollis import new_production

COORDINATOR = "U0BC00000"
CHANNEL = "C0BCAST001"
DEPARTMENTS = ("Camera", "Grip", "Sound", "Art")


@dataclass(frozen=True)
class Crew:
    """The production's id, and its people's Slack ids: heads by department, then crew."""

    production_id: int
    heads: dict[str, str]
    crew: list[str]

    @property
    def everyone(self) -> list[str]:
        return [*self.heads.values(), *self.crew]


def user_id(number: int) -> str:
    return f"U0BC{number:05d}"


def make_crew(db: Database, *, size: int, slug: str = "broadcast") -> Crew:
    """A production whose crew are `size` people in four departments, one head each."""
    with db.transaction() as session:
        production = new_production(
            session, name="Broadcast", slug=slug, channel=CHANNEL, coordinator=COORDINATOR
        )
        departments = [
            Department(production=production, name=name, key=name.lower()) for name in DEPARTMENTS
        ]
        session.add_all(departments)
        heads, crew = {}, []
        for number in range(1, size + 1):
            department = departments[number % len(departments)]
            is_head = department.name not in heads
            member = CrewMember(
                production=production,
                slack_user_id=user_id(number),
                name=f"Crew {number:04d}",
                department=department,
                role=Role.HEAD if is_head else Role.CREW,
            )
            session.add(member)
            if is_head:
                heads[department.name] = member.slack_user_id
            else:
                crew.append(member.slack_user_id)
        session.flush()
        return Crew(production.id, heads, crew)


def production_of(session, crew: Crew) -> Production:  # type: ignore[no-untyped-def]
    production = session.get(Production, crew.production_id)
    assert production is not None
    return production


def sender_for(db: Database, slack: FakeSlack, **options: object) -> Sender:
    """A sender posting to the fake Slack, retrying by itself as the real one does."""
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url, timeout=5)
    options.setdefault("concurrency", 8)
    # Reads history once a minute and posts into a channel once a second, by the
    # stand-in's clock (whose minute a test may shorten).
    options.setdefault("history_every", slack.limits.minute)
    options.setdefault("post_every", slack.limits.minute / 60)
    return Sender(db, client, **options)  # type: ignore[arg-type]


def unsent(db: Database) -> int:
    with db.readers.begin() as session:
        return session.scalar(
            select(func.count()).where(
                Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING])
            )
        )


def drain(sender: Sender, db: Database, *, timeout: float = 60) -> None:
    """Run the sender on the real clock until nothing is left to send."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sender.run(now=clock_now())
        if not unsent(db):
            return
        time.sleep(0.05)
    raise AssertionError(f"{unsent(db)} deliveries still unsent after {timeout}s")


def dm_of(user: str) -> str:
    """The fake Slack's DM channel with a user (conversations.open)."""
    return "D" + user.removeprefix("U")
