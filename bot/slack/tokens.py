"""Bot tokens for work done outside a Slack request (the sender), one per workspace.

With one workspace the client's own token (SLACK_BOT_TOKEN) serves. Installed in
several through OAuth, each production's workspace has its own bot token in the
installation store; a token that rotates is refreshed shortly before it expires and
the new one saved, as Bolt does for requests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.models import Production, Workspace

# A token this close to expiring is refreshed before use.
ROTATE_BEFORE_MINUTES = 120
# How long a token read from the store is used before it is read again.
KEPT_SECONDS = 60.0


class WorkspaceTokens:
    """`tokens(production_id)`: the bot token of the production's workspace, or None."""

    def __init__(
        self,
        db: Database,
        store: InstallationStore,
        rotator: TokenRotator | None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.store = store
        self.rotator = rotator
        self._monotonic = monotonic
        self._teams: dict[int, str] = {}
        self._bots: dict[str, tuple[Bot, float]] = {}
        self._lock = threading.Lock()

    def __call__(self, production_id: int) -> str | None:
        """The bot token of the production's workspace, or None if it has none."""
        team_id = self._team_of(production_id)
        return self.for_team(team_id) if team_id else None

    def for_team(self, team_id: str) -> str | None:
        """The workspace's bot token, refreshed first if it is about to expire."""
        with self._lock:
            kept = self._bots.get(team_id)
            if kept is None or self._monotonic() - kept[1] > KEPT_SECONDS:
                bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
                if bot is None:
                    return None
                kept = (bot, self._monotonic())
            bot = kept[0]
            if self.rotator is not None and bot.bot_refresh_token:
                rotated = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
                )
                if rotated is not None:
                    self.store.save_bot(rotated)
                    bot = rotated
            self._bots[team_id] = (bot, kept[1])
            return bot.bot_token

    def _team_of(self, production_id: int) -> str | None:
        if (team := self._teams.get(production_id)) is not None:
            return team
        with self.db.readers() as session:
            team = session.scalar(
                select(Workspace.team_id)
                .join(Production, Production.workspace_id == Workspace.id)
                .where(Production.id == production_id)
            )
        if team is not None:
            self._teams[production_id] = team
        return team
