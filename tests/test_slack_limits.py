"""Slack's current limits (issue 22): the stand-in enforces the documented tiers, a DM is
one Web API call, and the sender's crash recovery works within the history limit that
apps outside the Marketplace have (one read a minute per workspace, 15 messages a page).
"""

from __future__ import annotations

import itertools

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.clock import now as clock_now
from bot.console.limits import OUTSIDE_MARKETPLACE_HISTORY_PAGE
from bot.console.slack import BOT_TOKEN, FakeSlack
from bot.storage.db import Database
from bot.storage.models import Delivery, DeliveryStatus
from tests.crew import CHANNEL, dm_of, drain, make_crew, sender_for
from tests.test_notices import announce_to_all, notice_posts

HOME = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}
# Slack's minute, sped up thirty times: the limits are Slack's, the wait is not.
MINUTE = 2.0


def client_for(slack: FakeSlack, token: str = BOT_TOKEN) -> WebClient:
    """A client that sees each 429 (no retry handler)."""
    return WebClient(token=token, base_url=slack.api_url, retry_handlers=[])


def refused_after(call, times: int) -> SlackApiError:  # type: ignore[no-untyped-def]
    """Make `call` `times` times successfully; the next one's 429."""
    for _ in range(times):
        call()
    with pytest.raises(SlackApiError) as refused:
        call()
    assert refused.value.response.status_code == 429
    assert int(refused.value.response.headers["Retry-After"]) >= 1
    return refused.value


@pytest.fixture
def slack(slack: FakeSlack) -> FakeSlack:
    """The stand-in on Slack's own minute."""
    slack.limits.minute = 60.0
    return slack


class TestTheStandIn:
    def test_history_is_one_read_a_minute_of_at_most_15_messages(self, slack: FakeSlack) -> None:
        client = client_for(slack)
        for number in range(40):
            slack.limits.enforced = False
            client.chat_postMessage(channel=CHANNEL, text=f"message {number}")
        slack.limits.enforced = True

        page = client.conversations_history(channel=CHANNEL, limit=200)
        assert len(page["messages"]) == OUTSIDE_MARKETPLACE_HISTORY_PAGE
        assert page["has_more"] is True
        refusal = refused_after(lambda: client.conversations_history(channel="C0OTHER"), 0)
        assert 1 <= int(refusal.response.headers["Retry-After"]) <= 60

    def test_a_marketplace_app_reads_history_at_tier_3(self, slack: FakeSlack) -> None:
        slack.limits.marketplace = True
        client = client_for(slack)
        refused_after(lambda: client.conversations_history(channel=CHANNEL), 50)

    def test_posts_are_about_one_a_second_per_channel(self, slack: FakeSlack) -> None:
        client = client_for(slack)
        refused_after(lambda: client.chat_postMessage(channel=CHANNEL, text="hi"), 3)
        # Another channel, and a DM, are not held up by this one.
        client.chat_postMessage(channel="C0OTHER", text="hi")
        client.chat_postMessage(channel="U0BC00001", text="hi")

    @pytest.mark.parametrize(
        ("method", "allowed"),
        [("views.publish", 100), ("users.lookupByEmail", 50), ("apps.connections.open", 1)],
    )
    def test_each_method_has_its_tier_per_workspace(
        self, slack: FakeSlack, method: str, allowed: int
    ) -> None:
        slack.add_user("U0BC00001", email="a@example.com")
        params = {
            "views.publish": {"user_id": "U0BC00001", "view": HOME},
            "users.lookupByEmail": {"email": "a@example.com"},
            "apps.connections.open": {},
        }[method]
        token = "xapp-1-crewcall-test-token" if method == "apps.connections.open" else BOT_TOKEN
        client = client_for(slack, token)
        refused_after(lambda: client.api_call(method, json=params), allowed)
        # Another workspace has its own allowance.
        other = slack.expect_install("code", team_id="T0OTHER")
        slack.installs.clear()
        slack.tokens.add(other)
        slack.token_teams[other] = "T0OTHER"
        if method != "apps.connections.open":
            client_for(slack, other).api_call(method, json=params)

    def test_a_post_to_a_user_id_lands_in_the_apps_dm(self, slack: FakeSlack) -> None:
        posted = client_for(slack).chat_postMessage(channel="U0BC00001", text="hi")
        assert posted["channel"] == dm_of("U0BC00001")
        assert [m["text"] for m in slack.posted(dm_of("U0BC00001"))] == ["hi"]


class TestTheSender:
    def test_a_dm_is_one_call_and_its_channel_is_kept(self, db: Database, slack: FakeSlack) -> None:
        crew = make_crew(db, size=6)
        notice_id = announce_to_all(db, crew)

        drain(sender_for(db, slack), db)

        assert len(slack.calls_to("chat.postMessage")) == 7
        assert not slack.calls_to("conversations.open")
        with db.readers() as session:
            channels = set(session.scalars(select(Delivery.channel)))
        assert channels == {CHANNEL, *(dm_of(user) for user in crew.everyone)}
        assert set(notice_posts(slack, notice_id).values()) == {1}

    @pytest.mark.heavy
    def test_recovery_reads_history_within_the_limit_and_posts_nothing_twice(
        self, db: Database, slack: FakeSlack
    ) -> None:
        crew = make_crew(db, size=3)
        notices = [announce_to_all(db, crew, f"Notice {number}") for number in range(4)]
        # Every post reaches Slack but its answer is lost: every delivery is uncertain.
        slack.faults.lost_answers = 1.0
        slack.limits.minute = MINUTE
        sender = sender_for(db, slack)
        sender.run(now=clock_now(), budget=0)
        assert all(sum(notice_posts(slack, n).values()) == 4 for n in notices)
        slack.faults.lost_answers = 0.0

        drain(sender, db, timeout=60)

        for notice_id in notices:
            assert set(notice_posts(slack, notice_id).values()) == {1}
        reads = slack.calls_to("conversations.history")
        # One read for each conversation (the crew channel and three DMs), each covering
        # the four notices posted there, and never two in one of Slack's minutes.
        assert len(reads) == 4
        assert all(int(read.params["limit"]) <= OUTSIDE_MARKETPLACE_HISTORY_PAGE for read in reads)
        gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(reads)]
        assert min(gaps) >= MINUTE * 0.95
        assert not slack.refused("conversations.history")
        with db.readers() as session:
            assert set(session.scalars(select(Delivery.status))) == {DeliveryStatus.SENT}
