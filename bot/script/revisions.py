"""Script revisions: the colour sequence, announcing new pages, and who has them.

Each revision takes the next colour in the production's sequence (WGA by default:
White, Blue, Pink ... Cherry, then Double White, Double Blue ... then Triple). A
revision is announced as a notice to the whole crew, acknowledged like any other,
so `/acks` and follow-ups work on it. Revisions stand alone: acknowledging the
blue pages still counts once the pink ones are out, since each is a different set.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.errors import UserError
from bot.core.mrkdwn import escaped, quoted
from bot.core.notes import checked_note
from bot.notices.notices import create_notice, crew_of
from bot.script.pages import PageRange, pages_text, parse_pages
from bot.storage.models import Delivery, NoticeKind, Production, ScriptRevision

MULTIPLES = ("", "Double ", "Triple ", "Quadruple ", "Quintuple ")
NEW_USAGE = (
    "`/script new [colour] pages <pages> [scenes <list>] [url <link>] [-- note]`, "
    "e.g. `/script new pages 12, 14-16, 23A scenes 14, 15 -- new ending`"
)
_SLACK_LINK = re.compile(r"<(https?://[^|>]+)(?:\|[^>]*)?>")
_KEYWORDS = ("pages", "scenes", "url")


def colour_at(sequence: list[str], number: int) -> str:
    """The colour of revision `number` (1 is the first): `Pink`, then `Double Pink` ..."""
    rounds, index = divmod(number - 1, len(sequence))
    prefix = MULTIPLES[rounds] if rounds < len(MULTIPLES) else f"{rounds + 1}x "
    return prefix + sequence[index]


def position_of(sequence: list[str], colour: str) -> int | None:
    """Which revision number `colour` names in the sequence (`double blue` -> 11), if any."""
    wanted = " ".join(colour.lower().split())
    for number in range(1, len(sequence) * len(MULTIPLES) + 1):
        if colour_at(sequence, number).lower() == wanted:
            return number
    return None


def next_colour(sequence: list[str], latest: ScriptRevision | None) -> tuple[int, str]:
    """The next revision's number and colour: the colour after the latest one's."""
    if latest is None:
        return 1, colour_at(sequence, 1)
    after = position_of(sequence, latest.colour) or latest.number
    return latest.number + 1, colour_at(sequence, after + 1)


@dataclass(frozen=True)
class NewRevision:
    """What `/script new` asked for."""

    colour: str | None
    pages: list[PageRange]
    scenes: str
    url: str
    note: str


def parse_new(text: str) -> NewRevision:
    """`[colour] pages <pages> [scenes <list>] [url <link>] [-- note]`; UserError if malformed."""
    text, _, note = text.partition("--")
    words = _SLACK_LINK.sub(r"\1", text).split()
    lowered = [word.lower() for word in words]
    if "pages" not in lowered:
        raise UserError(f"Say which pages the revision replaces: {NEW_USAGE}.")
    parts: dict[str, list[str]] = {"colour": []}
    current = "colour"
    for word, low in zip(words, lowered, strict=True):
        if low in _KEYWORDS:
            if low in parts:
                raise UserError(f"`{low}` appears twice: {NEW_USAGE}.")
            current = low
            parts[current] = []
        else:
            parts[current].append(word)
    url = " ".join(parts.get("url", []))
    # Nothing in it that would end Slack's <link|label> early.
    if "url" in parts and not re.fullmatch(r"https?://[^\s<>|]+", url):
        raise UserError(f"{quoted(url or 'url')} is not a link: give it as `url https://...`.")
    return NewRevision(
        colour=" ".join(parts["colour"]) or None,
        pages=parse_pages(" ".join(parts["pages"])),
        scenes=" ".join(parts.get("scenes", [])),
        url=url,
        note=checked_note(note),
    )


@dataclass(frozen=True)
class OutOfSequence:
    """The colour asked for is not the next one: the coordinator is asked to confirm."""

    asked: str
    expected: str


@dataclass(frozen=True)
class Announced:
    """The revision saved and its notice written, to how many people."""

    revision: ScriptRevision
    people: int


def announce_revision(
    session: Session,
    *,
    production: Production,
    request: NewRevision,
    author: str,
    now: dt.datetime,
    confirmed: bool = False,
) -> Announced | OutOfSequence:
    """Save the next revision and announce it to the crew (all but its author)."""
    sequence = production.revision_colours
    latest = latest_revision(session, production_id=production.id)
    number, expected = next_colour(sequence, latest)
    asked = request.colour
    colour = expected if asked is None else _colour_named(sequence, asked, expected=expected)
    if colour != expected and not confirmed:
        return OutOfSequence(colour, expected)
    revision = ScriptRevision(
        production_id=production.id,
        number=number,
        colour=colour,
        issued_on=now.astimezone(zoneinfo.ZoneInfo(production.timezone)).date(),
        pages=pages_text(request.pages),
        scenes=request.scenes,
        note=request.note,
        url=request.url,
        author=author,
        created_at=now,
    )
    session.add(revision)
    recipients = [
        r for r in crew_of(session, production_id=production.id) if r.slack_user_id != author
    ]
    notice = create_notice(
        session,
        production=production,
        kind=NoticeKind.SCRIPT,
        title=f"Script revision · {colour} pages",
        body="\n".join(revision_lines(Revision.of(revision))),
        recipients=recipients,
        author=author,
        now=now,
    )
    revision.notice_id = notice.id
    return Announced(revision, len(recipients))


def _colour_named(sequence: list[str], asked: str, *, expected: str) -> str:
    """The colour `asked` names, as the sequence spells it; UserError if none does."""
    found = position_of(sequence, asked)
    if found is None:
        raise UserError(
            f"{quoted(asked)} is not a revision colour here. The sequence is "
            f"{escaped(', '.join(sequence))}, then Double {escaped(sequence[0])} and so on; "
            f"next is {escaped(expected)}."
        )
    return colour_at(sequence, found)


@dataclass(frozen=True)
class Revision:
    """A script revision as messages show it: plain values, no database row."""

    colour: str
    issued_on: dt.date
    pages: str
    scenes: str
    note: str
    url: str
    notice_id: int | None

    @classmethod
    def of(cls, row: ScriptRevision) -> Revision:
        """The values of a stored revision."""
        return cls(
            row.colour, row.issued_on, row.pages, row.scenes, row.note, row.url, row.notice_id
        )


def revision_lines(revision: Revision) -> list[str]:
    """What a revision says: pages, scenes, note, link."""
    lines = [f"*Pages:* {escaped(revision.pages)}"]
    if revision.scenes:
        lines.append(f"*Scenes:* {escaped(revision.scenes)}")
    if revision.note:
        lines.append(f"_{escaped(revision.note)}_")
    if revision.url:
        lines.append(f"<{escaped(revision.url)}|Open the pages>")
    return lines


def latest_revision(session: Session, *, production_id: int) -> ScriptRevision | None:
    """The current revision, if any has been announced."""
    return session.scalar(
        select(ScriptRevision)
        .where(ScriptRevision.production_id == production_id)
        .order_by(ScriptRevision.number.desc())
        .limit(1)
    )


def history(session: Session, *, production_id: int) -> list[ScriptRevision]:
    """Every revision, newest first."""
    return list(
        session.scalars(
            select(ScriptRevision)
            .where(ScriptRevision.production_id == production_id)
            .order_by(ScriptRevision.number.desc())
        )
    )


def revision_coloured(session: Session, *, production_id: int, colour: str) -> ScriptRevision:
    """The latest revision of this colour (`pink`, `double blue`); UserError if none."""
    wanted = " ".join(colour.lower().split())
    for revision in history(session, production_id=production_id):
        if revision.colour.lower() == wanted:
            return revision
    raise UserError(f"There are no {colour} pages yet. `/script history` lists the revisions.")


def acknowledged_at(
    session: Session, *, revision: ScriptRevision, user_id: str
) -> tuple[bool, dt.datetime | None]:
    """Whether the revision was sent to this person, and when they acknowledged it."""
    row = session.execute(
        select(Delivery.acknowledged_at).where(
            Delivery.notice_id == revision.notice_id, Delivery.slack_user_id == user_id
        )
    ).first()
    return (row is not None, row[0] if row else None)
