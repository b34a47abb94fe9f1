"""Structured logs: one line per event, `key=value` pairs after the message (logfmt).

Requests, job runs and deliveries log their ids (`production=`, `notice=`,
`delivery=`) as fields, passed with `extra=fields(...)`. Whatever is logged, Slack
tokens and the signing secret are masked before the line is written.
"""

from __future__ import annotations

import logging
import re
import sys

# Slack's tokens: bot, user, app-level, refresh and rotating ones.
_TOKEN = re.compile(r"\b(xox[abposre]|xapp|xoxe(?:\.xox[bp])?)-[A-Za-z0-9-]+")
FIELDS = "crewcall_fields"


def fields(**values: object) -> dict:
    """`extra=` for a log call: the line's fields, in order."""
    return {FIELDS: values}


class LogfmtFormatter(logging.Formatter):
    """`2026-11-22T03:41:00 level=INFO logger=bot.jobs.sender msg="delivery sent" notice=4`."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        """The record as one logfmt line, secrets masked."""
        pairs = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            **getattr(record, FIELDS, {}),
        }
        line = " ".join(f"{key}={_value(value)}" for key, value in pairs.items())
        if record.exc_info:
            line += " error=" + _value(self.formatException(record.exc_info))
        return self.mask(line)

    def mask(self, text: str) -> str:
        """The line with every Slack token and secret replaced."""
        text = _TOKEN.sub(lambda match: f"{match[1]}-***", text)
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is written, not when the handler was
    made: a stream swapped out and closed since (as a test runner does) takes no line."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        """StreamHandler sets its stream once; this one has none of its own."""


def configure(level: str, *, secrets: tuple[str, ...] = ()) -> None:
    """One handler on the root logger, writing logfmt lines to stderr."""
    handler = _Stderr()
    handler.setFormatter(LogfmtFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":
        # Alembic announces every plugin it loads at INFO, APScheduler every job run.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _value(value: object) -> str:
    text = "" if value is None else str(value)
    if text and not any(c in text for c in ' "=\n\t'):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
