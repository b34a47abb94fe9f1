"""Departments and people as crew type them: `hmu`, `grips`, `@jonah`, `Jonah Pike`; and,
when nothing matches, the nearest name (rapidfuzz) for a "did you mean".

Every command that names someone or a department reads it here, so the same words work
everywhere (/calltime, /schedule-change and its form, /crewcall role and remove, /rentals,
the console's `as`), with the same answers when they don't.

A department is found by its own name in any case and spacing, `and` for `&`, the plural
(`grips`, `cameras`), or the names the trade calls it (`sparks` for Electric, `hmu` for
Hair & Make-up). A person by a Slack mention or id, their email, their full name with or
without `@`, their first or last name when only one person has it, or their Slack handle
written as `jonah.pike`; accents and case aside (`jose muller` is José Müller).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from rapidfuzz import fuzz, process

from bot.core.errors import UserError
from bot.core.mrkdwn import escaped, quoted

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
SLACK_USER = re.compile(r"[UW][A-Z0-9]{6,}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class Named(Protocol):
    """A department as a name is looked up in (a view or a row)."""

    @property
    def name(self) -> str:
        """What it is called."""


class Person(Protocol):
    """A crew member as a name is looked up in (a view or a row)."""

    @property
    def name(self) -> str:
        """Their name as imported."""

    @property
    def email(self) -> str | None:
        """Their email, if known."""

    @property
    def slack_user_id(self) -> str | None:
        """Their Slack user id, once linked."""

    @property
    def department(self) -> Named | None:
        """Their department, if any."""


D = TypeVar("D", bound=Named)
P = TypeVar("P", bound=Person)


def compact(text: str) -> str:
    """What a name is compared by: lower case, letters and digits only, `and` and `&` gone."""
    words = re.split(r"[^a-z0-9]+", text.lower().replace("&", " "))
    return "".join(word for word in words if word and word != "and")


def find_department(departments: Iterable[D], text: str) -> D | None:
    """The department `text` names, if exactly one does."""
    wanted = compact(text)
    if not wanted:
        return None
    departments = list(departments)
    # By name, and by the key it was imported under (a view's or a row's), where it has one.
    keyed = {compact(getattr(d, "key", "") or d.name): d for d in departments}
    keyed |= {compact(d.name): d for d in departments}
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


def find_people(crew: Sequence[P], text: str) -> list[P]:
    """Everyone `text` could name: by mention, Slack id or email; by full name; else by
    first name, last name or Slack-style handle (`jonah.pike`). More than one: the caller
    asks which."""
    text = text.strip()
    if mention := MENTION.fullmatch(text):
        text = mention[1]
    if SLACK_USER.fullmatch(text):
        return [m for m in crew if m.slack_user_id == text]
    if EMAIL.fullmatch(text):
        return [m for m in crew if (m.email or "").lower() == text.lower()]
    wanted = " ".join(re.split(r"[\s._]+", folded(text.lstrip("@")))).strip()
    if not wanted:
        return []
    named = [m for m in crew if m.name and " ".join(folded(m.name).split()) == wanted]
    if named:
        return named
    if " " not in wanted:
        for part in (0, -1):
            found = [m for m in crew if m.name and folded(m.name).split()[part] == wanted]
            if found:
                return found
    joined = compact(wanted)
    return [m for m in crew if m.name and compact(folded(m.name)) == joined]


def folded(text: str) -> str:
    """Lower case without accents: how a name typed on any keyboard is compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def person_named(crew: Sequence[P], text: str, *, production: str, example: str = "") -> P:
    """The one crew member `text` names; UserError saying which of several were meant,
    or who nearly was ("did you mean Jonah Pike?"), or that nobody is called so."""
    found = find_people(crew, text)
    if len(found) == 1:
        return found[0]
    if found:
        raise UserError(
            f"Which {quoted(text.lstrip('@'))}? {names_of(found)}: write the full name."
        )
    if mention := MENTION.fullmatch(text.strip()):
        raise UserError(f"<@{mention[1]}> is not on the crew list of {escaped(production)}.")
    guess = nearest_person(crew, text)
    if guess is not None:
        raise UserError(did_you_mean(text, guess, example))
    nobody = f"Nobody on the crew list of {escaped(production)} is called {quoted(text)}."
    raise UserError(f"{nobody} {example}".strip())


def nearest_person(crew: Sequence[Person], text: str) -> str | None:
    """The full name of whoever `text` nearly names, by full, first or last name (`@jonsh`
    -> Jonah Pike), if close enough to suggest."""
    names: dict[str, str] = {}
    for member in crew:
        if member.name:
            words = member.name.split()
            for form in (member.name, words[0], words[-1]):
                names.setdefault(folded(form), member.name)
    found = nearest(folded(text.strip().lstrip("@")), names)
    return names[found] if found is not None else None


def department_named(departments: Sequence[D], text: str, *, example: str = "") -> D:
    """The department `text` names; UserError with the nearest ("did you mean Camera?"), or
    the departments there are."""
    found = find_department(departments, text)
    if found is not None:
        return found
    guess = nearest(text, [d.name for d in departments])
    if guess is not None:
        raise UserError(did_you_mean(text, guess, example))
    raise UserError(
        " ".join(
            part
            for part in (
                f"{quoted(text)} is not a department here.",
                example,
                f"Departments: {department_list(departments)}.",
            )
            if part
        )
    )


def who_named(
    departments: Sequence[D], crew: Sequence[P], text: str, *, production: str, example: str = ""
) -> D | P:
    """The department or the one person `text` names: a department first (`sound`, not
    Ben Sound), unless written as a person is (`@sound`, a mention, an email); UserError
    with the nearest of either, as person_named and department_named."""
    if _written_as_a_person(text):
        return person_named(crew, text, production=production, example=example)
    if (department := find_department(departments, text)) is not None:
        return department
    found = find_people(crew, text)
    if len(found) == 1:
        return found[0]
    if found:
        return person_named(crew, text, production=production, example=example)
    guess = nearest(text, [d.name for d in departments]) or nearest_person(crew, text)
    if guess is not None:
        raise UserError(did_you_mean(text, guess, example))
    raise UserError(
        f"{quoted(text)} is neither a department nor anyone on the crew list of "
        f"{escaped(production)}. {example} Departments: {department_list(departments)}."
    )


def _written_as_a_person(text: str) -> bool:
    text = text.strip()
    return text.startswith("@") or bool(
        MENTION.fullmatch(text) or SLACK_USER.fullmatch(text) or EMAIL.fullmatch(text)
    )


def did_you_mean(text: str, guess: str, example: str = "") -> str:
    r"""`I don't understand \`camra\`: did you mean Camera?`, then the example, if any."""
    return f"I don't understand {quoted(text)}: did you mean {escaped(guess)}? {example}".strip()


def department_list(departments: Iterable[Named]) -> str:
    """`Art, Camera, Grip`: the departments to choose from, or `none yet`."""
    return ", ".join(sorted(escaped(d.name) for d in departments)) or "none yet"


def nearest(text: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `text`, if close enough to suggest (`tomorow` -> `tomorrow`)."""
    options = list(dict.fromkeys(choices))
    if not text or not options:
        return None
    found = process.extractOne(
        text.lower(), options, scorer=fuzz.WRatio, processor=str.lower, score_cutoff=CLOSE_ENOUGH
    )
    return found[0] if found else None


def names_of(people: Sequence[Person]) -> str:
    """`Sam Peters (Grip), Sam Wu (Sound)`: to ask which one was meant."""
    return ", ".join(
        escaped(f"{m.name} ({m.department.name})" if m.department else m.name) for m in people
    )
