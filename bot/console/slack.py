"""A stand-in for Slack's Web API: a real HTTP server on 127.0.0.1, Slack-shaped answers.

`crewcall console` talks to it instead of Slack, and the tests fake Slack with it.

It checks the bearer token, validates every Block Kit payload with slack_sdk.models
(which knows Slack's text limits: 3000 a section, 150 a header, 75 a button) and the
block-count limits, enforces Slack's documented rate limits (bot/console/limits.py),
records each call, serves response_url endpoints, and can add latency or answer with
429 (Retry-After) and 5xx.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass, field

from bot.console.block_checks import (
    InvalidBlocks,
)
from bot.console.fake_web_api import (
    APP_TOKEN,
    BOT_TOKEN,
    TEAM_ID,
    Call,
    WebApiMethods,
    dm_of,
    error,
    is_user,
)
from bot.console.limits import RateLimits
from bot.console.slack_http import SlackServer, handler_for


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


class FakeSlack(WebApiMethods):
    """Start with `with FakeSlack() as slack:`; point SLACK_API_URL at `slack.api_url`."""

    def __init__(self, *, tokens: tuple[str, ...] = (BOT_TOKEN,)) -> None:
        self.tokens = set(tokens)
        self.app_tokens = {APP_TOKEN}
        self.calls: list[Call] = []
        # Web API calls and response_url posts, in the order they came: what people saw.
        self.timeline: list[Call] = []
        self.responses: dict[str, list[dict]] = {}
        # The message each response_url came from, when it came from one: (channel, ts).
        self.responding_to: dict[str, tuple[str, str]] = {}
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
        self._server = SlackServer(("127.0.0.1", 0), handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), daemon=True
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
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """The Web API's base URL, as SLACK_API_URL takes it."""
        return f"{self.base_url}/api/"

    def response_url(self, key: str, *, message: tuple[str, str] | None = None) -> str:
        """A response_url that records what is posted to it under `key`; given the message
        (channel, ts) a click came from, `replace_original` replaces it and
        `delete_original` deletes it, as Slack does."""
        if message is not None:
            self.responding_to[key] = message
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
            return 429, {"Retry-After": str(self.faults.retry_after)}, error("ratelimited")
        if fault is not None:
            return fault, {}, error("internal_error")
        if method == "oauth.v2.access":
            return 200, {}, self._oauth_v2_access(params)
        if method == "apps.connections.open":
            if token not in self.app_tokens:
                return 200, {}, error("invalid_auth")
            if (wait := self._over_limit(call)) is not None:
                return 429, {"Retry-After": str(wait)}, error("ratelimited")
            return 200, {}, {"ok": True, "url": self.websocket_url}
        if token is None:
            return 200, {}, error("not_authed")
        if token not in self.tokens:
            return 200, {}, error("invalid_auth")
        if method == "auth.test":
            return 200, {}, self._auth_test(token)
        if (wait := self._over_limit(call)) is not None:
            return 429, {"Retry-After": str(wait)}, error("ratelimited")
        return self._answer(method, params)

    def _answer(self, method: str, params: dict) -> tuple[int, dict, dict]:
        """The method's own answer, once the call is let through (or its answer lost)."""
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return 200, {}, error("unknown_method")
        lost = method == "chat.postMessage" and self._roll() < self.faults.lost_answers
        try:
            result = answer(params)
            return (
                (500, {}, error("internal_error")) if lost and result["ok"] else (200, {}, result)
            )
        except InvalidBlocks as exc:
            return 200, {}, {"ok": False, "error": "invalid_blocks", "errors": [str(exc)]}
        except KeyError as exc:
            return 200, {}, error(f"missing_argument: {exc.args[0]}")

    def _over_limit(self, call: Call) -> int | None:
        """The Retry-After for a call over its limit in its token's workspace, else None."""
        params = call.params
        if call.method == "chat.postMessage" and is_user(str(params.get("channel", ""))):
            params = {**params, "channel": dm_of(params["channel"])}
        team = self.token_teams.get(call.token or "", TEAM_ID)
        wait = self.limits.retry_after(team, call.method, params)
        if wait is not None:
            with self._lock:
                self.refusals.append(call)
        return wait
