"""Scenes and page counts in eighths, as a stripboard writes them (`1 3/8`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import UserError
from bot.core.mrkdwn import quoted

_EIGHTHS = re.compile(r"^(?:(\d{1,3})(?:\s+|$))?(?:([1-7])/8)?$")
SCENE_FORMAT = "number|set|D or N|pages, separated by ';', e.g. 12|INT. KITCHEN|D|1 3/8"


@dataclass(frozen=True)
class SceneSpec:
    """A scene as written in schedule.csv."""

    number: str
    set_name: str
    day_night: str
    eighths: int


def parse_eighths(text: str) -> int:
    """`1 3/8` -> 11, `4/8` -> 4, `2` -> 16."""
    cleaned = text.strip()
    match = _EIGHTHS.match(cleaned)
    if not cleaned or not match or (match[1] is None and match[2] is None):
        raise UserError(f"{quoted(text)} is not a page count; write eighths like 1 3/8, 4/8 or 2.")
    return int(match[1] or 0) * 8 + int(match[2] or 0)


def format_eighths(eighths: int) -> str:
    """11 -> `1 3/8`, 4 -> `4/8`, 16 -> `2`."""
    pages, rest = divmod(eighths, 8)
    if not rest:
        return str(pages)
    return f"{pages} {rest}/8" if pages else f"{rest}/8"


# A scene number as stripboards write them: 57, 58A, A57, 101BC, 12.1 (pt 1).
_SCENE_NUMBER = re.compile(r"^[A-Z]{0,2}\d{1,4}[A-Z]{0,3}(?:\.\d{1,2})?$")
_SCENE_WORD = re.compile(r"^(?:sc(?:ene)?s?\.?|#)\s*", re.IGNORECASE)


def pages_text(eighths: list[int]) -> str:
    """The pages of a day's scenes: `5 3/8 pages`; `at least 2 pages` when some scenes were
    given as numbers only; empty when none has its pages."""
    total = sum(eighths)
    if not total:
        return ""
    words = f"{format_eighths(total)} pages"
    return f"at least {words}" if 0 in eighths else words


def parse_scenes(text: str) -> list[SceneSpec]:
    """The scenes cell of schedule.csv; empty for none.

    Plain scene numbers as coordinators write them (`57, 58A`, `57 58A 59`, `Sc 57`), the
    detailed `number|set|D or N|pages` entries separated by `;`, or both in one cell: a
    plain number is a scene with nothing else known of it.
    """
    scenes = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if "|" in part:
            scenes.append(_detailed(part))
        else:
            scenes.extend(SceneSpec(number, "", "", 0) for number in _numbers(part))
    return scenes


def _detailed(part: str) -> SceneSpec:
    fields = [f.strip() for f in part.split("|")]
    if len(fields) != 4 or not fields[0]:
        raise UserError(f"{quoted(part)} is not a scene; write {SCENE_FORMAT}.")
    number, set_name, day_night, pages = fields
    return SceneSpec(number.upper(), set_name, day_night.upper(), parse_eighths(pages))


def _numbers(part: str) -> list[str]:
    """`57, 58A`, `57 58A 59`, `Sc 57`, `Scenes 12 & 14`: the scene numbers."""
    words = [w for w in re.split(r"[,\s&+]+|\band\b", _SCENE_WORD.sub("", part)) if w]
    return [_number(word) for word in words]


def _number(word: str) -> str:
    """A scene number, as written (upper case), with any `Sc` before it dropped."""
    cleaned = _SCENE_WORD.sub("", word.strip()).upper()
    if not _SCENE_NUMBER.match(cleaned):
        raise UserError(
            f"{quoted(word)} is not a scene number; write numbers like 57, 58A, or {SCENE_FORMAT}."
        )
    return cleaned
