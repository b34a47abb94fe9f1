"""Block Kit primitives, cut to Slack's limits."""

from __future__ import annotations

HEADER_LIMIT = 150
SECTION_LIMIT = 3000


def header(text: str) -> dict:
    """A header block (plain text, at most 150 characters)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:HEADER_LIMIT]}}


def section(text: str) -> dict:
    """A mrkdwn section block (at most 3000 characters)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}
