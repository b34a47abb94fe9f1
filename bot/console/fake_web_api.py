"""The Web API methods the stand-in answers, as Slack answers them: auth and OAuth,
messages, history, files, users and views. FakeSlack keeps the state they read and
write (bot/console/slack.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.console.block_checks import decoded, validate_message, validate_view
from bot.console.limits import RateLimits

TEAM_ID = "T0CREW001"
BOT_USER_ID = "U0CREWBOT"
# The stand-in's own tokens: they open nothing outside it.
BOT_TOKEN = "xoxb-crewcall-test-token"  # noqa: S105
APP_TOKEN = "xapp-1-crewcall-test-token"  # noqa: S105


@dataclass
class Call:
    """One Web API call as the fake received it."""

    method: str
    params: dict
    token: str | None
    at: float = field(default_factory=time.monotonic)


class WebApiMethods:
    """Slack's methods, each `_<method>` (dots as underscores), on FakeSlack's state."""

    # FakeSlack's state, which the methods read and change (made in FakeSlack.__init__).
    tokens: set[str]
    token_teams: dict[str, str]
    installs: dict[str, dict]
    refresh_tokens: dict[str, dict]
    client_credentials: tuple[str, str]
    messages: dict[str, list[dict]]
    files: dict[str, dict]
    users: dict[str, dict]
    responses: dict[str, list[dict]]
    responding_to: dict[str, tuple[str, str]]
    timeline: list[Call]
    limits: RateLimits
    _lock: threading.Lock
    _ts: Iterator[int]

    @property
    def base_url(self) -> str:
        """Where the stand-in listens (FakeSlack's server)."""
        raise NotImplementedError

    def _auth_test(self, token: str) -> dict:
        team_id = self.token_teams.get(token, TEAM_ID)
        return {
            "ok": True,
            "url": f"https://{team_id.lower()}.slack.com/",
            "team": "Crew Test",
            "user": "crewcall",
            "team_id": team_id,
            "user_id": BOT_USER_ID,
            "bot_id": "B0CREWBOT",
        }

    # -- OAuth: installing in another workspace, and rotating its token

    def expect_install(self, code: str, *, team_id: str, rotating: bool = False) -> str:
        """The next `oauth.v2.access` with `code` installs the app in `team_id`; its token."""
        token = f"xoxb-{team_id.lower()}-installed"
        self.installs[code] = {"team_id": team_id, "token": token, "rotating": rotating}
        return token

    def _oauth_v2_access(self, params: dict) -> dict:
        if (params.get("_client_id"), params.get("_client_secret")) != self.client_credentials:
            return error("invalid_client_id")
        if params.get("grant_type") == "refresh_token":
            issued = self.refresh_tokens.pop(params.get("refresh_token", ""), None)
            if issued is None:
                return error("invalid_refresh_token")
            with self._lock:
                self.tokens.discard(issued["token"])
            return self._issue(issued["team_id"], rotating=True, refresh=True)
        install = self.installs.pop(params.get("code", ""), None)
        if install is None:
            return error("invalid_code")
        return self._issue(install["team_id"], rotating=install["rotating"], token=install["token"])

    def _issue(
        self, team_id: str, *, rotating: bool, token: str | None = None, refresh: bool = False
    ) -> dict:
        """A bot token for `team_id` (rotating ones expire in 12 hours and can be refreshed)."""
        token = token or f"xoxe.xoxb-{team_id.lower()}-{next(self._ts)}"
        with self._lock:
            self.tokens.add(token)
            self.token_teams[token] = team_id
        answer = {
            "ok": True,
            "app_id": "A0CREWCALL",
            "authed_user": {"id": "U0INSTALLER"},
            "scope": "chat:write,commands",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER_ID,
            "team": {"id": team_id, "name": f"Workspace {team_id}"},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if rotating:
            refresh_token = f"xoxe-1-refresh-{next(self._ts)}"
            self.refresh_tokens[refresh_token] = {"team_id": team_id, "token": token}
            answer |= {"refresh_token": refresh_token, "expires_in": 43200}
        return answer

    def _chat_postMessage(self, params: dict) -> dict:
        channel = params["channel"]
        if is_user(channel):
            # A post to a user id goes to the app's DM with them (Slack's own behaviour).
            channel = dm_of(channel)
        validate_message(params)
        with self._lock:
            ts = f"{time.time():.0f}.{next(self._ts):06d}"
            message = {
                "type": "message",
                "text": params.get("text", ""),
                "blocks": decoded(params.get("blocks")) or [],
                "ts": ts,
                "user": BOT_USER_ID,
                "_at": time.monotonic(),
            }
            if params.get("metadata"):
                message["metadata"] = decoded(params["metadata"])
            self.messages.setdefault(channel, []).append(message)
        public = {k: v for k, v in message.items() if not k.startswith("_")}
        return {"ok": True, "channel": channel, "ts": ts, "message": public}

    def _chat_postEphemeral(self, params: dict) -> dict:
        params["channel"], params["user"]
        validate_message(params)
        return {"ok": True, "message_ts": f"{1_700_000_000 + next(self._ts)}.000200"}

    def _chat_update(self, params: dict) -> dict:
        validate_message(params)
        with self._lock:
            found = [m for m in self.messages.get(params["channel"], []) if m["ts"] == params["ts"]]
            if not found:
                return error("message_not_found")
            found[0]["text"] = params.get("text", "")
            found[0]["blocks"] = decoded(params.get("blocks")) or []
            found[0]["edited"] = {"user": BOT_USER_ID, "ts": f"{time.time():.6f}"}
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    def _chat_delete(self, params: dict) -> dict:
        with self._lock:
            messages = self.messages.get(params["channel"], [])
            found = [m for m in messages if m["ts"] == params["ts"]]
            if not found:
                return error("message_not_found")
            messages.remove(found[0])
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    def _conversations_history(self, params: dict) -> dict:
        oldest = float(params.get("oldest", 0))
        limit = int(params.get("limit", 100))
        if (page := self.limits.history_page) is not None:
            limit = min(limit, page)
        # The cursor is the ts the next page starts below (an opaque string to callers).
        before = float(params.get("cursor") or "inf")
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._lock:
            messages = [
                m
                for m in self.messages.get(params["channel"], [])
                if oldest < float(m["ts"]) < before
            ]
        newest_first = list(reversed(messages))[:limit]
        has_more = len(messages) > limit
        shown = [
            {
                k: v
                for k, v in m.items()
                if not k.startswith("_") and (with_metadata or k != "metadata")
            }
            for m in newest_first
        ]
        answer = {"ok": True, "messages": shown, "has_more": has_more}
        if has_more:
            answer["response_metadata"] = {"next_cursor": newest_first[-1]["ts"]}
        return answer

    def _files_getUploadURLExternal(self, params: dict) -> dict:
        file_id = f"F{next(self._ts):08d}"
        with self._lock:
            self.files[file_id] = {"id": file_id, "name": params["filename"], "content": None}
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}

    def _files_completeUploadExternal(self, params: dict) -> dict:
        described = decoded(params["files"])
        with self._lock:
            for entry in described:
                stored = self.files.get(entry["id"])
                if stored is None or stored["content"] is None:
                    return error("file_not_found")
                stored.update(
                    title=entry.get("title"),
                    channel=params.get("channel_id"),
                    comment=params.get("initial_comment"),
                )
        return {"ok": True, "files": [{"id": e["id"], "title": e.get("title")} for e in described]}

    def record_upload(self, file_id: str, content: bytes) -> bool:
        """Keep an uploaded file's content; False if there is no such upload."""
        with self._lock:
            if file_id not in self.files:
                return False
            self.files[file_id]["content"] = content
            return True

    def _conversations_open(self, params: dict) -> dict:
        return {"ok": True, "channel": {"id": dm_of(params["users"].split(",")[0])}}

    def _users_info(self, params: dict) -> dict:
        user = self.users.get(params["user"])
        return {"ok": True, "user": user} if user else error("user_not_found")

    def _users_lookupByEmail(self, params: dict) -> dict:
        for user in self.users.values():
            if user["profile"]["email"] == params["email"]:
                return {"ok": True, "user": user}
        return error("users_not_found")

    def _views_open(self, params: dict) -> dict:
        params["trigger_id"]
        return {"ok": True, "view": validate_view(params["view"])}

    _views_push = _views_open

    def _views_update(self, params: dict) -> dict:
        return {"ok": True, "view": validate_view(params["view"])}

    def _views_publish(self, params: dict) -> dict:
        params["user_id"]
        return {"ok": True, "view": validate_view(params["view"])}

    def record_response(self, key: str, body: dict) -> None:
        """Keep what was posted to response_url `key`."""
        with self._lock:
            self.responses.setdefault(key, []).append(body)
            self.timeline.append(Call("response_url", {"key": key, **body}, None))
            if (source := self.responding_to.get(key)) is not None:
                self._reply_in_place(source, body)

    def _reply_in_place(self, source: tuple[str, str], body: dict) -> None:
        """A response_url post acting on the message it came from (under the lock)."""
        channel, ts = source
        messages = self.messages.get(channel, [])
        found = [m for m in messages if m["ts"] == ts]
        if not found:
            return
        if body.get("delete_original"):
            messages.remove(found[0])
        elif body.get("replace_original"):
            found[0]["text"] = body.get("text", "")
            found[0]["blocks"] = decoded(body.get("blocks")) or []


def is_user(channel: str) -> bool:
    """Whether a conversation id is a person's (a post to it lands in the app's DM)."""
    return channel[:1] in ("U", "W")


def dm_of(user_id: str) -> str:
    """The app's DM channel with a user, as this stand-in names it."""
    return "D" + user_id.removeprefix("U")


def error(code: str) -> dict:
    """A Web API error answer, as Slack words it."""
    return {"ok": False, "error": code}
