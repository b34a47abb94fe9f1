"""Block Kit as text, the way the console shows what Slack would."""

from __future__ import annotations

import re
from collections.abc import Callable

_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")

# A Slack id -> how to show it (`@Maya Okafor`, `#hollis-crew`).
Names = Callable[[str], str]


def blocks_text(blocks: list[dict], names: Names) -> list[str]:
    """Each block as lines of text; buttons as `[ Label ]`."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {block['text']['text']} ==")
        elif kind == "section":
            if "text" in block:
                lines.extend(mrkdwn_text(block["text"]["text"], names).splitlines())
            for field in block.get("fields", []):
                lines.extend(mrkdwn_text(field["text"], names).replace("\n", ": ", 1).splitlines())
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                lines.append(_button(accessory))
        elif kind == "context":
            parts = [mrkdwn_text(e.get("text", ""), names) for e in block.get("elements", [])]
            lines.append("  " + " ".join(part for part in parts if part))
        elif kind == "actions":
            buttons = [e for e in block.get("elements", []) if e.get("type") == "button"]
            lines.append(" ".join(_button(b) for b in buttons))
        elif kind == "divider":
            lines.append("-" * 20)
        elif kind == "input":
            lines.append(f"{block['label']['text']}: ____")
    return lines


def buttons_of(blocks: list[dict]) -> list[dict]:
    """Every button, in order, with the block it sits in."""
    found = []
    for block in blocks:
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == "button":
            found.append({**accessory, "block_id": block.get("block_id", "")})
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button":
                found.append({**element, "block_id": block.get("block_id", "")})
    return found


def _button(button: dict) -> str:
    return f"[ {button['text']['text']} ]"


def mrkdwn_text(text: str, names: Names) -> str:
    """Mentions and links as Slack shows them, and its three escapes as the characters."""
    text = _USER.sub(lambda m: "@" + names(m[1]), text)
    text = _CHANNEL.sub(lambda m: "#" + names(m[1]), text)
    text = _LINK.sub(lambda m: f"{m[2]} ({m[1]})", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
