"""Reads are for a production's crew (issue 22): someone not on it is told so and shown
nothing of it, whichever channel they ask in and whatever production they name."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.core.productions import NOT_ON_A_CREW
from bot.storage.db import Database
from bot.storage.models import CrewMember, ProductionChoice
from tests.hollis import CHANNEL, import_hollis, new_production
from tests.slack_requests import send_signed, shown, slash_command

OUTSIDER = "U0NOBODY1"  # on no crew in the workspace
BLUE_CHANNEL = "C0BLUE0001"
BLUE_GRIP = "U0BLUE0002"  # on Blue Door's crew only
# What a call sheet or a call of Hollis Farm's would show.
HOLLIS = ("Hollis", "Little Milton", "OX44", "Radcliffe", "Maya", "Jonah", "yellow signs")


@pytest.fixture
def two_productions(db: Database) -> Database:
    import_hollis(db)
    with db.transaction() as session:
        blue = new_production(
            session, name="Blue Door", slug="blue", channel=BLUE_CHANNEL, coordinator="U0BLUE0001"
        )
        session.add(CrewMember(production=blue, slack_user_id=BLUE_GRIP, name="Bea Grant"))
    return db


def ask(events_url: str, command: str, text: str, *, user: str, channel: str = CHANNEL) -> str:
    reply = send_signed(events_url, slash_command(command, text, user_id=user, channel_id=channel))
    assert reply.status == 200
    return shown(reply.json())


READS = [
    ("/callsheet", ""),
    ("/callsheet", "day 3"),
    ("/calltime", ""),
    ("/calltime", "camera"),
    ("/calltime", "<@U0HF0008|jonah>"),
    ("/rentals", "list"),
    ("/script", ""),
    ("/acks", "latest"),
    ("/crewcall", "calendar"),
    ("/crewcall", "use hollis"),
]


@pytest.mark.parametrize(("command", "text"), READS)
def test_someone_on_no_crew_is_told_so_and_shown_nothing(
    two_productions: Database, events_url: str, command: str, text: str
) -> None:
    """Asked in Hollis Farm's crew channel, or in a DM: the same answer."""
    in_channel = ask(events_url, command, text, user=OUTSIDER)
    in_dm = ask(events_url, command, text, user=OUTSIDER, channel="D0NOBODY1")

    for answer in (in_channel, in_dm):
        assert answer == NOT_ON_A_CREW
    with two_productions.readers() as session:
        assert session.scalar(select(func.count()).select_from(ProductionChoice)) == 0


def test_use_does_not_choose_a_production_you_are_not_on(
    two_productions: Database, events_url: str
) -> None:
    answer = ask(events_url, "/crewcall", "use hollis", user=BLUE_GRIP, channel="D0BLUE0002")
    # To someone not on it, Hollis Farm looks like a production that does not exist.
    nonexistent = ask(events_url, "/crewcall", "use nope", user=BLUE_GRIP, channel="D0BLUE0002")

    assert answer == "`hollis` isn't one of your productions. Yours: `blue`."
    assert nonexistent == answer.replace("hollis", "nope")
    with two_productions.readers() as session:
        assert session.scalar(select(func.count()).select_from(ProductionChoice)) == 0
    own = ask(events_url, "/crewcall", "use blue", user=BLUE_GRIP, channel="D0BLUE0002")
    assert "Blue Door" in own


@pytest.mark.parametrize(("command", "text"), [("/callsheet", ""), ("/calltime", "")])
def test_crew_of_another_production_in_the_channel_hear_only_their_own(
    two_productions: Database, events_url: str, command: str, text: str
) -> None:
    """In Hollis Farm's channel, Blue Door's grip asks: the answer is Blue Door's."""
    answer = ask(events_url, command, text, user=BLUE_GRIP)

    assert not [secret for secret in HOLLIS if secret in answer]
    assert answer == ask(events_url, command, text, user=BLUE_GRIP, channel=BLUE_CHANNEL)
