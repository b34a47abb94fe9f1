"""The console's loop: what a person types, sent to the real app as Slack would send it;
what the app posts, shown as that person would see it; and a clock to move.

The app is the real one (`create_app`, its handlers, the database, the planner, the
sender and follow-ups); only Slack is the local stand-in (bot/console/slack.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from slack_bolt import BoltRequest

from bot.console import interactions, payloads
from bot.console.block_checks import decoded
from bot.console.render import buttons_of, mrkdwn_text
from bot.console.slack import TEAM_ID, FakeSlack
from bot.console.transcript import Seen, Transcript
from bot.core.errors import UserError
from bot.core.names import person_named
from bot.jobs.sender import Sender
from bot.notices.followups import follow_up
from bot.planning.planner import Planner
from bot.rentals.check import check_rentals
from bot.slack.app import CrewcallApp
from bot.storage.db import Database

# The scheduler's jobs run every this much of the console's clock when it moves.
STEP = dt.timedelta(minutes=5)
HELP = """Type what you would in Slack:
  /calltime tomorrow        a slash command (typed in the crew channel)
  what's my call friday?    anything else is a DM to Crewcall
  click Acknowledge         press a button on the latest message that has it
  home                      open Crewcall's Home tab
  as @Jonah Pike            be someone else (as any command names people)
  inbox [@Jonah Pike]       the DMs Crewcall has sent them (or you), as they stand now
  clock +2h | +30m | +1d    move the clock; call sheets, reminders and nudges go out
  clock 2026-11-24 05:00    move it to a time (in the production's zone)
  quit"""
_RELATIVE = re.compile(r"^\+(\d+)\s*([mhd])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class SimClock:
    """The console's clock: set, never running on its own."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        """The console's time now."""
        return self.now


class Console(Transcript):
    """One person at a time, typing into Slack; everything the app says back, shown."""

    def __init__(
        self,
        *,
        app: CrewcallApp,
        slack: FakeSlack,
        db: Database,
        clock: SimClock,
        out: TextIO,
        user: str,
        channel: str,
        names: dict[str, str],
        zone: dt.tzinfo,
        production: str = "",
        team_id: str = TEAM_ID,
    ) -> None:
        self.app, self.slack, self.db, self.clock, self.out = app, slack, db, clock, out
        # The workspace the production belongs to: every request comes from it.
        self.team_id = team_id
        self.user, self.channel, self.names, self.zone = user, channel, names, zone
        self.production = production
        self.planner = Planner(db, daily_checks=[check_rentals])
        # Posts into a channel once a second by the stand-in's (fast) clock.
        self.sender = Sender(db, app.client, concurrency=4, post_every=slack.limits.minute / 60)
        # Messages with buttons, oldest first, whoever they were for.
        self.seen: list[Seen] = []
        self._count = 0
        self._cursor = 0

    def run(self, lines: Iterable[str], *, echo: bool) -> None:
        """Handle each line until `quit` or the end of input."""
        self.catch_up()
        for line in lines:
            line = line.strip()
            if echo and line:
                self.say(f"> {line}")
            if not line or line.startswith("#"):
                continue
            if line in ("quit", "exit"):
                break
            self.handle(line)
            # The scheduler's send loop runs every second: what was queued goes out now.
            self.tick(self.clock.now)
            self.show()
        self.sender.close()

    def catch_up(self) -> None:
        """Send what was due before the console started; show none of it."""
        self.tick(self.clock.now)
        self._settle()
        self._cursor = len(self.slack.timeline)

    def handle(self, line: str) -> None:
        """One line: a console word, a slash command, or a DM."""
        word, _, rest = line.partition(" ")
        if word == "help":
            self.say(HELP)
        elif word == "as":
            self.become(rest)
        elif word == "inbox":
            self.inbox(rest)
        elif word == "clock":
            self.move_clock(rest.strip())
        elif word == "click":
            self.click(rest.strip())
        elif word == "home":
            self.send(
                payloads.home_opened(self.user, event_id=self._event_id(), team_id=self.team_id)
            )
        elif line.startswith("/"):
            self.command(word, rest)
        else:
            dm = "D" + self.user[1:]  # as the stand-in's conversations.open names it
            event = payloads.direct_message(line, user=self.user, ts=self._ts(), channel=dm)
            self.send(
                payloads.event_callback(event, event_id=self._event_id(), team_id=self.team_id)
            )

    # -- what a person does

    def command(self, name: str, text: str) -> None:
        """Send a slash command as this person, from the crew channel; show the answer."""
        body = payloads.slash_command(
            name,
            text,
            user_id=self.user,
            channel_id=self.channel,
            response_url=self.slack.response_url(f"{self.user}-{self._next()}"),
            team_id=self.team_id,
        )
        answer = self.send(body)
        if answer:
            self._show_message(
                "only you",
                answer.get("text", ""),
                answer.get("blocks", []),
                self.channel,
                owner=self.user,
            )

    def click(self, label: str) -> None:
        """Press the newest button labelled so on anything this person can see."""
        wanted = label.lower()
        # Your own messages (DMs, answers, Home) first, then the channel's posts.
        mine = [seen for seen in self.seen if seen.owner == self.user]
        channel = [seen for seen in self.seen if seen.owner is None]
        for seen in [*reversed(mine), *reversed(channel)]:
            for button in buttons_of(seen.blocks):
                if button["text"]["text"].lower().startswith(wanted):
                    self._press(seen, button)
                    return
        self.say(f"  click: there is no button labelled `{label}` on anything you can see.")

    def become(self, who: str) -> None:
        """Be someone else from now on, named as every command names people (`@iris`,
        `Iris Gale`, an email or a Slack id), with the same "did you mean"."""
        found = self._someone(who, "as", example="Try `as @Jonah Pike`.")
        if found is None:
            return
        self.user = found.slack_user_id
        self.say(f"  You are now {found.name}.")

    def inbox(self, who: str) -> None:
        """Show the DMs Crewcall has sent someone (yourself, if nobody is named), each as it
        stands now, oldest first: what they were sent while you played someone else."""
        if who.strip():
            found = self._someone(who, "inbox", example="Try `inbox @Jonah Pike`.")
            if found is None:
                return
            user, name = found.slack_user_id, found.name
        else:
            user, name = self.user, self.names.get(self.user, self.user)
        channel = "D" + user[1:]  # as the stand-in's conversations.open names it
        messages = self.slack.posted(channel)
        self.say(f"  {name}'s DMs from Crewcall: {len(messages) or 'none yet'}")
        for message in messages:
            self._show_message(
                f"DM to {name}",
                message.get("text", ""),
                message.get("blocks", []),
                channel,
                owner=user,
            )

    def _someone(self, who: str, verb: str, *, example: str) -> _Someone | None:
        """The person `who` names, as every command names people; None (having said why)."""
        people = [_Someone(user_id, name) for user_id, name in self.names.items()]
        try:
            return person_named(people, who.strip(), production=self.production, example=example)
        except UserError as refused:
            self.say(f"  {verb}: {mrkdwn_text(str(refused), self._name)}")
            return None

    def move_clock(self, when: str) -> None:
        """Move the clock forward, running the scheduler's jobs on the way."""
        target = self._target(when)
        if target is None:
            self.say("  clock: write +30m, +2h, +1d or 2026-11-24 05:00.")
            return
        if target < self.clock.now:
            self.say("  clock: it only goes forward.")
            return
        moment = self.clock.now
        while moment < target:
            moment = min(moment + STEP, target)
            self.tick(moment)
        self.say(f"  It is now {self.clock.now.astimezone(self.zone):%a %-d %b %H:%M}.")

    def tick(self, now: dt.datetime) -> None:
        """The scheduler's jobs, at `now`: plan, follow up, send."""
        self.clock.now = now
        self.planner.run(now=now)
        with self.db.transaction() as session:
            follow_up(session, now=now)
        self.sender.run(now=now)

    # -- talking to the app

    def send(self, payload: tuple[str, str]) -> dict:
        """Sign and dispatch a payload as Slack would; the app's answer, if any."""
        body, content_type = payload
        headers = {"Content-Type": content_type, **payloads.signed_headers(body)}
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        self._settle()
        try:
            return decoded(response.body) if response.body else {}
        except ValueError:
            return {}

    def _press(self, seen: Seen, button: dict) -> None:
        if seen.view is not None:
            payload = interactions.home_action(
                button["action_id"],
                button.get("value", ""),
                user_id=self.user,
                view=seen.view,
                team_id=self.team_id,
            )
        else:
            key = f"{self.user}-{self._next()}"
            payload = interactions.block_action(
                button["action_id"],
                button.get("value", ""),
                user_id=self.user,
                channel_id=seen.channel or self.channel,
                response_url=self.slack.response_url(key, message=self._message_of(seen)),
                team_id=self.team_id,
            )
        self.send(payload)

    def _message_of(self, seen: Seen) -> tuple[str, str] | None:
        """The posted message (channel, ts) a button was seen on, newest first, if any: a
        click's response_url acts on it, as Slack's do."""
        if seen.channel is None:
            return None
        for message in reversed(self.slack.posted(seen.channel)):
            if message.get("blocks") == seen.blocks:
                return seen.channel, message["ts"]
        return None

    def _target(self, when: str) -> dt.datetime | None:
        if match := _RELATIVE.match(when):
            return self.clock.now + dt.timedelta(**{UNITS[match[2]]: int(match[1])})
        try:
            local = dt.datetime.strptime(when, "%Y-%m-%d %H:%M")  # noqa: DTZ007 - zone below
        except ValueError:
            return None
        return local.replace(tzinfo=self.zone).astimezone(dt.UTC)

    def _settle(self) -> None:
        """Wait for what the app does after answering (its after-answer calls) to land."""
        self.app.deps.after_answer.wait_idle(timeout=5.0)

    def _next(self) -> int:
        self._count += 1
        return self._count

    def _event_id(self) -> str:
        return f"EvConsole{self._next():06d}"

    def _ts(self) -> str:
        return f"{self.clock.now.timestamp():.0f}.{self._next():06d}"


@dataclass(frozen=True)
class _Someone:
    """A person the console can be: whom `as` looks among."""

    slack_user_id: str
    name: str
    email: str | None = None
    department: None = None
