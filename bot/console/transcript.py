"""The console's transcript: what the app posted, shown as the person playing would see
it (their DMs, the channels, their Home tab, forms), and the buttons they could press."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from bot.console.block_checks import decoded
from bot.console.render import blocks_text, buttons_of
from bot.console.slack import FakeSlack


@dataclass
class Seen:
    """A message with buttons: who can see it (None: everyone in the channel), and where
    it is, to press them."""

    owner: str | None
    blocks: list[dict]
    channel: str | None = None
    view: dict | None = None


class Transcript:
    """The showing half of the console (bot/console/session.py's Console): who is
    playing, what they have been shown, and the buttons they have seen."""

    slack: FakeSlack
    out: TextIO
    user: str
    channel: str
    names: dict[str, str]
    seen: list[Seen]
    _cursor: int

    def show(self) -> None:
        """Everything the app posted since the last look, as this person sees it."""
        others = 0
        for call in self.slack.timeline[self._cursor :]:
            others += self._show_call(call.method, call.params)
        self._cursor = len(self.slack.timeline)
        if others:
            self.say(
                f"  ({others} more {'message' if others == 1 else 'messages'} to other people)"
            )

    def _show_call(self, method: str, params: dict) -> int:
        """Show one call if this person would see it; 1 if it went to someone else."""
        blocks = decoded(params.get("blocks")) or []
        if method in ("chat.postMessage", "chat.update"):
            channel = params["channel"]
            if channel.startswith("U"):  # a DM posted to the person's user id
                channel = "D" + channel[1:]
            owner = "U" + channel[1:] if channel.startswith("D") else None
            if owner not in (None, self.user):
                if buttons_of(blocks):
                    self.seen.append(Seen(owner, blocks, channel))
                return 1
            where = "DM from Crewcall" if owner else f"#{self._name(channel)}"
            if method == "chat.update":
                where += ", updated"
            self._show_message(where, params.get("text", ""), blocks, channel, owner=owner)
        elif method == "chat.postEphemeral" and params.get("user") == self.user:
            self._show_message(
                "only you", params.get("text", ""), blocks, params["channel"], owner=self.user
            )
        elif method == "response_url":
            where = "only you" if params.get("response_type") == "ephemeral" else "updated"
            owner = params["key"].split("-")[0]  # keys are `<user>-<n>` (see command)
            if owner != self.user:
                return 1
            text, blocks = params.get("text", ""), params.get("blocks", [])
            self._show_message(where, text, blocks, self.channel, owner=owner)
        elif method == "views.open":
            view = decoded(params["view"])
            self._show_message(
                f"form: {view['title']['text']}", "", view["blocks"], None, owner=self.user
            )
            self.say(
                "  (forms can't be filled in here: each has a text form, which its command's "
                "`help` shows, e.g. `/crewcall setup callsheet_time 17:30`)"
            )
        elif method == "views.publish" and params.get("user_id") == self.user:
            view = decoded(params["view"])
            self._show_message("Home", "", view["blocks"], None, owner=self.user, view=view)
        elif method == "files.completeUploadExternal":
            for entry in decoded(params["files"]):
                self.say(f"  [file in your DM] {entry.get('title')}")
        return 0

    def _show_message(
        self,
        where: str,
        text: str,
        blocks: list[dict],
        channel: str | None,
        *,
        owner: str | None = None,
        view: dict | None = None,
    ) -> None:
        """Print a message; remember its buttons (channel posts are everyone's)."""
        lines = blocks_text(blocks, self._name) if blocks else [text]
        self.say(f"  [{where}]")
        for line in lines:
            self.say(f"    {line}" if line else "")
        if buttons_of(blocks):
            self.seen.append(Seen(owner, blocks, channel, view))

    def _name(self, slack_id: str) -> str:
        return self.names.get(slack_id, slack_id)

    def say(self, text: str) -> None:
        """Print a line of the transcript."""
        print(text, file=self.out, flush=True)
