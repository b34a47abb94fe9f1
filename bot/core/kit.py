"""Block Kit primitives, cut to Slack's limits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby

from bot.core.mrkdwn import escaped

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50


def header(text: str) -> dict:
    """A header block (plain text, at most 150 characters)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:HEADER_LIMIT]}}


def section(text: str) -> dict:
    """A mrkdwn section block (at most 3000 characters)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def context(text: str) -> dict:
    """A context block: one line of small mrkdwn text."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def text_sections(lines: list[str]) -> list[dict]:
    """Lines packed into as few sections as fit in Slack's 3000 characters each."""
    sections, current = [], ""
    for line in lines:
        line = line[:SECTION_LIMIT]
        if current and len(current) + 1 + len(line) > SECTION_LIMIT:
            sections.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        sections.append(section(current))
    return sections


# Room for the "and 212 more" that ends a line too long for one section.
_MORE_ROOM = 40


def names_line(prefix: str, names: Iterable[str], *, limit: int = SECTION_LIMIT) -> str:
    """`prefix` and the names, comma-separated; those past what one section holds are
    counted (`… and 212 more`), never dropped silently."""
    names = list(names)
    line = prefix
    for shown, name in enumerate(names):
        joined = name if shown == 0 else f", {name}"
        if len(line) + len(joined) > limit - _MORE_ROOM:
            return f"{line} and {len(names) - shown} more"
        line += joined
    return line


def department_lines(
    rows: Iterable[tuple[str, str]],
    count: Callable[[str, int], str] = lambda _department, n: f" ({n})",
) -> list[str]:
    """A line per department of (department, name) rows, in the order given (grouped):
    `*Camera* (5): Ana Ruiz, Ben Cole`; `count(department, names)` writes what follows the
    department's name. Names are mrkdwn already; the department is escaped here."""
    lines = []
    for department, group in groupby(rows, key=lambda row: row[0]):
        names = [name for _, name in group]
        title = escaped(department) or "No department"
        lines.append(names_line(f"*{title}*{count(department, len(names))}: ", names))
    return lines


def capped(blocks: list[dict], *, reserve: int = 0) -> list[dict]:
    """Never more than Slack's 50 blocks (less `reserve`): the last says what was left out."""
    limit = MESSAGE_BLOCK_LIMIT - reserve
    if len(blocks) <= limit:
        return blocks
    kept = blocks[: limit - 1]
    left = len(blocks) - len(kept)
    return [*kept, section(f"_{left} more sections did not fit in one Slack message._")]


# Modal inputs.


def text_input(
    block_id: str, label: str, example: str, *, multiline: bool = False, hint: str = ""
) -> dict:
    """An optional text field in a modal, read back under `block_id` / `value`."""
    element = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "placeholder": plain(f"e.g. {example}" if not example.startswith("e.g.") else example),
    }
    return input_block(block_id, label, element, hint=hint)


def input_block(
    block_id: str, label: str, element: dict, *, optional: bool = True, hint: str = ""
) -> dict:
    """An input block around `element`, labelled, optional unless said otherwise."""
    block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def option(value: str, text: str) -> dict:
    """One option of a select or radio group."""
    return {"text": plain(text), "value": value}


def plain(text: str) -> dict:
    """A plain_text object."""
    return {"type": "plain_text", "text": text}


def submitted(values: dict) -> dict[str, str]:
    """A modal's submitted state, by block id, as text: whatever kind each input is."""
    fields = {}
    for block_id, actions in values.items():
        state = actions.get("value", {})
        fields[block_id] = (
            state.get("value")
            or state.get("selected_date")
            or state.get("selected_time")
            or state.get("selected_conversation")
            or (state.get("selected_option") or {}).get("value")
            or ""
        )
    return fields
