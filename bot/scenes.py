"""Scenes and page counts in eighths, as a stripboard writes them (`1 3/8`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import UserError

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
        raise UserError(f"`{text}` is not a page count; write eighths like 1 3/8, 4/8 or 2.")
    return int(match[1] or 0) * 8 + int(match[2] or 0)


def format_eighths(eighths: int) -> str:
    """11 -> `1 3/8`, 4 -> `4/8`, 16 -> `2`."""
    pages, rest = divmod(eighths, 8)
    if not rest:
        return str(pages)
    return f"{pages} {rest}/8" if pages else f"{rest}/8"


def parse_scenes(text: str) -> list[SceneSpec]:
    """The scenes cell of schedule.csv; empty for none."""
    scenes = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        fields = [f.strip() for f in part.split("|")]
        if len(fields) != 4 or not fields[0]:
            raise UserError(f"`{part}` is not a scene; write {SCENE_FORMAT}.")
        number, set_name, day_night, pages = fields
        scenes.append(SceneSpec(number.upper(), set_name, day_night.upper(), parse_eighths(pages)))
    return scenes
