"""A stand-in for Slack's Web API: a real HTTP server on 127.0.0.1, Slack-shaped answers.

`crewcall console` talks to it instead of Slack, and the tests fake Slack with it.

It checks the bearer token, validates every Block Kit payload with slack_sdk.models
(which knows Slack's text limits: 3000 a section, 150 a header, 75 a button) and the
block-count limits, enforces Slack's documented rate limits (bot/console/limits.py),
records each call, serves response_url endpoints, and can add latency or answer with
429 (Retry-After) and 5xx.
"""

from __future__ import annotations

import base64
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, BlockElement
from slack_sdk.models.views import View

from bot.console.limits import RateLimits

TEAM_ID = "T0CREW001"
BOT_USER_ID = "U0CREWBOT"
# The stand-in's own tokens: they open nothing outside it.
BOT_TOKEN = "xoxb-crewcall-test-token"  # noqa: S105
APP_TOKEN = "xapp-1-crewcall-test-token"  # noqa: S105
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MESSAGE_TEXT_LIMIT = 40_000


class InvalidBlocks(ValueError):
    """A payload Slack would reject with invalid_blocks."""


@dataclass
class Call:
    """One Web API call as the fake received it."""

    method: str
    params: dict
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Faults:
    """What the fake does to calls: delay them, or fail some with 429 or 500."""

    latency: float = 0.0
    rate_limited: float = 0.0
    server_error: float = 0.0
    # chat.postMessage calls that post, then answer 500 (the answer is lost on the way).
    lost_answers: float = 0.0
    retry_after: int = 1
    scripted: list[int] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(7))


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; point SLACK_API_URL at `slack.api_url`."""

    def __init__(self, *, tokens: tuple[str, ...] = (BOT_TOKEN,)) -> None:
        self.tokens = set(tokens)
        self.app_tokens = {APP_TOKEN}
        self.calls: list[Call] = []
        # Web API calls and response_url posts, in the order they came: what people saw.
        self.timeline: list[Call] = []
        self.responses: dict[str, list[dict]] = {}
        self.users: dict[str, dict] = {}
        # Messages as Slack keeps them, by channel, oldest first; uploaded files by id.
        self.messages: dict[str, list[dict]] = {}
        self.files: dict[str, dict] = {}
        # Files people shared with the app (message events' `files`), by id.
        self.shared: dict[str, bytes] = {}
        self.websocket_url = "ws://127.0.0.1:9/socket"
        # Multi-workspace installs: the workspace each bot token is for, the installs
        # expected (by OAuth code), and refresh tokens (token rotation).
        self.token_teams: dict[str, str] = dict.fromkeys(tokens, TEAM_ID)
        self.installs: dict[str, dict] = {}
        self.refresh_tokens: dict[str, dict] = {}
        self.client_credentials = ("1234.5678", "crewcall-client-secret")
        self.faults = Faults()
        self.limits = RateLimits()
        # Calls answered 429 because they were over a rate limit.
        self.refusals: list[Call] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    # -- lifecycle
    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        """Where the stand-in listens: `http://127.0.0.1:<port>`."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """The Web API's base URL, as SLACK_API_URL takes it."""
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        """A response_url that records what is posted to it under `key`."""
        return f"{self.base_url}/respond/{key}"

    # -- inspection
    def calls_to(self, method: str) -> list[Call]:
        """The calls made to `method`, oldest first."""
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def posted(self, channel: str | None = None) -> list[dict]:
        """Messages posted (and not deleted), in one channel or all, oldest first."""
        with self._lock:
            if channel is not None:
                return list(self.messages.get(channel, []))
            return [m for messages in self.messages.values() for m in messages]

    def busiest_second(self) -> tuple[str | None, int]:
        """The channel with the most chat.postMessage calls answered within one second."""
        worst: tuple[str | None, int] = (None, 0)
        with self._lock:
            for channel, messages in self.messages.items():
                times = sorted(m["_at"] for m in messages)
                start = 0
                for end, at in enumerate(times):
                    while at - times[start] >= 1.0:
                        start += 1
                    if end - start + 1 > worst[1]:
                        worst = (channel, end - start + 1)
        return worst

    def responses_to(self, key: str, *, count: int = 1, timeout: float = 5.0) -> list[dict]:
        """What was posted to response_url `key`, once at least `count` posts arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = list(self.responses.get(key, []))
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"{len(found)} of {count} posts to response_url {key!r}")

    def wait_for_call(self, method: str, *, count: int, timeout: float = 5.0) -> Call:
        """The `count`th call to `method`, once it has been made."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls[count - 1]
            time.sleep(0.01)
        raise AssertionError(f"{len(self.calls_to(method))} of {count} calls to {method}")

    def share_file(self, name: str, content: bytes) -> dict:
        """A file a person shares in a message: the file object Slack's event carries."""
        file_id = f"F{next(self._ts):08d}"
        with self._lock:
            self.shared[file_id] = content
        url = f"{self.base_url}/files-pri/{TEAM_ID}-{file_id}/{name}"
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "size": len(content),
            "mimetype": "text/calendar" if name.endswith(".ics") else "text/csv",
            "filetype": name.rsplit(".", 1)[-1],
            "url_private": url,
            "url_private_download": f"{url}?download=1",
        }

    def download(self, path: str, token: str | None) -> tuple[int, bytes, str]:
        """A file's bytes for the bot token; Slack's sign-in page (HTML, 200) for anyone else."""
        file_id = path.removeprefix("/files-pri/").split("/", 1)[0].rsplit("-", 1)[-1]
        with self._lock:
            self.calls.append(Call("files-pri", {"file": file_id}, token))
            content = self.shared.get(file_id)
        if token not in self.tokens:
            return 200, b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>", "text/html"
        if content is None:
            return 404, b"not found", "text/plain"
        return 200, content, "application/octet-stream"

    def uploaded(self, *, count: int = 1, timeout: float = 5.0) -> list[dict]:
        """Files whose upload was completed into a channel, once at least `count` were."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                done = [dict(f) for f in self.files.values() if f.get("channel")]
            if len(done) >= count:
                return done
            time.sleep(0.01)
        raise AssertionError(f"{len(done)} of {count} uploads completed")

    def refused(self, method: str) -> list[Call]:
        """Calls to `method` answered 429 for being over Slack's rate limit."""
        with self._lock:
            return [call for call in self.refusals if call.method == method]

    def add_user(self, user_id: str, *, email: str = "", tz: str = "Europe/London") -> None:
        """A Slack user `users.info` and `users.lookupByEmail` will know."""
        self.users[user_id] = {"id": user_id, "tz": tz, "profile": {"email": email}}

    # -- faults
    def fail_next(self, *statuses: int) -> None:
        """The next calls answer with these HTTP statuses (429 or 5xx), in order."""
        with self._lock:
            self.faults.scripted.extend(statuses)

    def _roll(self) -> float:
        with self._lock:
            return self.faults.rng.random()

    def _fault(self) -> int | None:
        with self._lock:
            if self.faults.scripted:
                return self.faults.scripted.pop(0)
            roll = self.faults.rng.random()
        if roll < self.faults.rate_limited:
            return 429
        if roll < self.faults.rate_limited + self.faults.server_error:
            return 500
        return None

    # -- the API
    def handle(self, method: str, params: dict, token: str | None) -> tuple[int, dict, dict]:
        """(HTTP status, headers, JSON body) for one Web API call."""
        if self.faults.latency:
            time.sleep(self.faults.latency)
        call = Call(method, params, token)
        with self._lock:
            self.calls.append(call)
            self.timeline.append(call)
        fault = self._fault()
        if fault == 429:
            return 429, {"Retry-After": str(self.faults.retry_after)}, _error("ratelimited")
        if fault is not None:
            return fault, {}, _error("internal_error")
        if method == "oauth.v2.access":
            return 200, {}, self._oauth_v2_access(params)
        if method == "apps.connections.open":
            if token not in self.app_tokens:
                return 200, {}, _error("invalid_auth")
            if (wait := self._over_limit(call)) is not None:
                return 429, {"Retry-After": str(wait)}, _error("ratelimited")
            return 200, {}, {"ok": True, "url": self.websocket_url}
        if token is None:
            return 200, {}, _error("not_authed")
        if token not in self.tokens:
            return 200, {}, _error("invalid_auth")
        if method == "auth.test":
            return 200, {}, self._auth_test(token)
        if (wait := self._over_limit(call)) is not None:
            return 429, {"Retry-After": str(wait)}, _error("ratelimited")
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return 200, {}, _error("unknown_method")
        lost = method == "chat.postMessage" and self._roll() < self.faults.lost_answers
        try:
            result = answer(params)
            return (
                (500, {}, _error("internal_error")) if lost and result["ok"] else (200, {}, result)
            )
        except InvalidBlocks as exc:
            return 200, {}, {"ok": False, "error": "invalid_blocks", "errors": [str(exc)]}
        except KeyError as exc:
            return 200, {}, _error(f"missing_argument: {exc.args[0]}")

    def _over_limit(self, call: Call) -> int | None:
        """The Retry-After for a call over its limit in its token's workspace, else None."""
        params = call.params
        if call.method == "chat.postMessage" and _is_user(str(params.get("channel", ""))):
            params = {**params, "channel": _dm_of(params["channel"])}
        team = self.token_teams.get(call.token or "", TEAM_ID)
        wait = self.limits.retry_after(team, call.method, params)
        if wait is not None:
            with self._lock:
                self.refusals.append(call)
        return wait

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
            return _error("invalid_client_id")
        if params.get("grant_type") == "refresh_token":
            issued = self.refresh_tokens.pop(params.get("refresh_token", ""), None)
            if issued is None:
                return _error("invalid_refresh_token")
            with self._lock:
                self.tokens.discard(issued["token"])
            return self._issue(issued["team_id"], rotating=True, refresh=True)
        install = self.installs.pop(params.get("code", ""), None)
        if install is None:
            return _error("invalid_code")
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
        if _is_user(channel):
            # A post to a user id goes to the app's DM with them (Slack's own behaviour).
            channel = _dm_of(channel)
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
                return _error("message_not_found")
            found[0]["text"] = params.get("text", "")
            found[0]["blocks"] = decoded(params.get("blocks")) or []
            found[0]["edited"] = {"user": BOT_USER_ID, "ts": f"{time.time():.6f}"}
        return {"ok": True, "channel": params["channel"], "ts": params["ts"]}

    def _chat_delete(self, params: dict) -> dict:
        with self._lock:
            messages = self.messages.get(params["channel"], [])
            found = [m for m in messages if m["ts"] == params["ts"]]
            if not found:
                return _error("message_not_found")
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
                    return _error("file_not_found")
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
        return {"ok": True, "channel": {"id": _dm_of(params["users"].split(",")[0])}}

    def _users_info(self, params: dict) -> dict:
        user = self.users.get(params["user"])
        return {"ok": True, "user": user} if user else _error("user_not_found")

    def _users_lookupByEmail(self, params: dict) -> dict:
        for user in self.users.values():
            if user["profile"]["email"] == params["email"]:
                return {"ok": True, "user": user}
        return _error("users_not_found")

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


def validate_message(params: dict) -> None:
    """Reject what Slack rejects: bad blocks, too many, blocks without fallback text."""
    blocks = decoded(params.get("blocks"))
    if len(params.get("text", "")) > MESSAGE_TEXT_LIMIT:
        raise InvalidBlocks("text is too long")
    if blocks is None:
        if not params.get("text"):
            raise KeyError("text")
        return
    if not params.get("text"):
        raise InvalidBlocks("messages with blocks need fallback text")
    validate_blocks(blocks, limit=MESSAGE_BLOCK_LIMIT)


def validate_view(view: dict | str) -> dict:
    """The view, if Slack would take it (Block Kit's checks and limits); InvalidBlocks if not."""
    view = decoded(view)
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError) as exc:
        raise InvalidBlocks(f"view: {exc}") from None
    validate_blocks(view.get("blocks", []), limit=VIEW_BLOCK_LIMIT)
    return view


def validate_blocks(blocks: list, *, limit: int) -> None:
    """Every block and element parses and passes slack_sdk's checks; Slack's limits hold."""
    if not isinstance(blocks, list) or not blocks:
        raise InvalidBlocks("blocks must be a non-empty list")
    if len(blocks) > limit:
        raise InvalidBlocks(f"{len(blocks)} blocks; at most {limit}")
    for index, raw in enumerate(blocks):
        _parse_and_validate(index, raw, Block.parse)
        for element in _elements(raw):
            _parse_and_validate(index, element, BlockElement.parse)


def _elements(block: dict) -> list[dict]:
    found = list(block.get("elements", []))
    if "accessory" in block:
        found.append(block["accessory"])
    if block.get("type") == "input" and "element" in block:
        found.append(block["element"])
    return [element for element in found if element.get("type") not in ("mrkdwn", "plain_text")]


def _parse_and_validate(index: int, raw: object, parse) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(raw) if isinstance(raw, dict) else None
    if parsed is None:
        raise InvalidBlocks(f"block {index}: unknown or malformed {raw!r:.80}")
    try:
        parsed.validate_json()
    except SlackObjectFormationError as exc:
        raise InvalidBlocks(f"block {index}: {exc}") from None


def decoded(value: object) -> object:
    """A value the Web API got as JSON text, or already decoded."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _is_user(channel: str) -> bool:
    return channel[:1] in ("U", "W")


def _dm_of(user_id: str) -> str:
    """The app's DM channel with a user, as this stand-in names it."""
    return "D" + user_id.removeprefix("U")


def _error(code: str) -> dict:
    return {"ok": False, "error": code}


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops connections under a burst of
    # concurrent calls, and the client's SYN retry then costs a whole second.
    request_queue_size = 128


def _handler_for(slack: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.startswith("/upload/"):
                found = slack.record_upload(self.path.removeprefix("/upload/"), body)
                self._send(200 if found else 404, {}, b"OK", "text/plain")
                return
            if self.path.startswith("/respond/"):
                slack.record_response(self.path.removeprefix("/respond/"), json.loads(body))
                self._send(200, {}, b"ok", "text/plain")
                return
            if not self.path.startswith("/api/"):
                self._send(404, {}, b"not found", "text/plain")
                return
            params = _params(body, self.headers.get("Content-Type", ""))
            params |= _client_credentials(self.headers.get("Authorization"))
            token = _token(self.headers.get("Authorization"), params)
            status, headers, answer = slack.handle(self.path.removeprefix("/api/"), params, token)
            self._send(status, headers, json.dumps(answer).encode(), "application/json")

        def do_GET(self) -> None:
            if self.path.startswith("/files-pri/"):
                token = _token(self.headers.get("Authorization"), {})
                status, content, kind = slack.download(self.path.split("?")[0], token)
                self._send(status, {}, content, kind)
                return
            self.do_POST()

        def _send(self, status: int, headers: dict, payload: bytes, kind: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def _params(body: bytes, content_type: str) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _client_credentials(authorization: str | None) -> dict:
    """oauth.v2.access's client id and secret, sent as HTTP Basic auth."""
    if not authorization or not authorization.startswith("Basic "):
        return {}
    decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
    client_id, _, secret = decoded.partition(":")
    return {"_client_id": client_id, "_client_secret": secret}


def _token(authorization: str | None, params: dict) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ")
    return params.pop("token", None)
