"""Departments and people as crew type them: `hmu`, `grips`, `@jonah`, `Jonah Pike`; and,
when nothing matches, the nearest name (rapidfuzz) for a "did you mean".

A department is found by its own name in any case and spacing, `and` for `&`, the plural
(`grips`, `cameras`), or the names the trade calls it (`sparks` for Electric, `hmu` for
Hair & Make-up). A person by their full name, or their first or last name when only one
person has it, or their Slack handle written as `jonah.pike`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from bot.core.mrkdwn import escaped
from bot.core.views import DepartmentView, MemberView

# Names the trade gives departments: (words a department's name holds, what people write).
TRADE_NAMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("hair", "makeup"), ("hmu", "hair", "makeup", "mua", "hairandmakeup", "hairmakeup", "hmua")),
    (("camera",), ("cam", "cams", "cameradept", "cameradepartment")),
    (("grip",), ("grips", "gripdept")),
    (("electric", "lighting"), ("sparks", "electrics", "lighting", "electrical", "elec", "lx")),
    (("sound",), ("audio",)),
    (("art",), ("artdept", "artdepartment", "design", "props")),
    (("costume", "wardrobe"), ("costumes", "wardrobe", "cos")),
    (("location",), ("locations", "location", "locs", "locdept")),
    (("transport",), ("transportation", "drivers", "unitdrivers")),
    (("production",), ("production", "office", "productionoffice")),
    (("stunt",), ("stunts", "stunt")),
    (("vfx", "visualeffects"), ("vfx", "visualeffects")),
)
# A suggestion is made when the nearest name is at least this close (0-100).
CLOSE_ENOUGH = 75


def compact(text: str) -> str:
    """What a name is compared by: lower case, letters and digits only, `and` and `&` gone."""
    words = re.split(r"[^a-z0-9]+", text.lower().replace("&", " "))
    return "".join(word for word in words if word and word != "and")


def find_department(departments: Iterable[DepartmentView], text: str) -> DepartmentView | None:
    """The department `text` names, if exactly one does."""
    wanted = compact(text)
    if not wanted:
        return None
    keyed = {compact(d.name): d for d in departments}
    for form in (wanted, wanted.removesuffix("s"), wanted.removesuffix("es")):
        if form in keyed:
            return keyed[form]
    for holds, written in TRADE_NAMES:
        if wanted in written:
            found = [d for key, d in keyed.items() if any(word in key for word in holds)]
            if len(found) == 1:
                return found[0]
            exact = [d for key, d in keyed.items() if wanted in key]
            return exact[0] if len(exact) == 1 else None
    return None


def find_people(crew: Sequence[MemberView], text: str) -> list[MemberView]:
    """Everyone `text` could name: by full name; else by first name, last name or Slack-style
    handle (`jonah.pike`). More than one: the caller asks which."""
    wanted = " ".join(re.split(r"[\s._]+", text.strip().lstrip("@").lower())).strip()
    if not wanted:
        return []
    named = [m for m in crew if m.name and " ".join(m.name.lower().split()) == wanted]
    if named:
        return named
    joined = compact(wanted)
    for part in (0, -1):
        found = [
            m
            for m in crew
            if m.name and m.name.lower().split()[part] == wanted and " " not in wanted
        ]
        if found:
            return found
    return [m for m in crew if m.name and compact(m.name) == joined]


def nearest(text: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `text`, if close enough to suggest (`tomorow` -> `tomorrow`)."""
    options = list(dict.fromkeys(choices))
    if not text or not options:
        return None
    found = process.extractOne(
        text.lower(), options, scorer=fuzz.WRatio, processor=str.lower, score_cutoff=CLOSE_ENOUGH
    )
    return found[0] if found else None


def names_of(people: Sequence[MemberView]) -> str:
    """`Sam Peters (Grip), Sam Wu (Sound)`: to ask which one was meant."""
    return ", ".join(
        escaped(f"{m.name} ({m.department.name})" if m.department else m.name) for m in people
    )
