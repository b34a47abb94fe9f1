"""Reading a CSV as spreadsheets export it, and collecting row-and-column errors.

Excel and its kin write CSV in many ways: UTF-8 with or without a byte-order mark,
UTF-16, or a Windows code page (bot/imports/text.py); commas, or semicolons where a
comma is the decimal point, or tabs; a `sep=;` first line; a title above the header;
headers as people name them (`E-mail`, `Slack ID`, `Dept`, `Call Time`). All of that
is read here, and the report says what was assumed and which columns were not used.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.core.errors import UserError
from bot.core.locales import WESTERN_CODE_PAGE
from bot.core.mrkdwn import quoted
from bot.imports.text import NotText, decode

MAX_ERRORS_SHOWN = 20
# Errors in one column beyond this many rows are counted, not listed.
ROWS_SHOWN_PER_COLUMN = 3
# How far down a title may push the header row.
HEADER_SEARCH = 10
T = TypeVar("T")
SAVE_AS = "in your spreadsheet choose File, Save As, CSV UTF-8 (comma delimited)"
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}

# Each file's columns, and the other names spreadsheets give them (as column_name reads them).
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "crew": {
        "name": ("full_name", "crew_member", "person", "first_and_last_name"),
        "email": ("e_mail", "email_address", "e_mail_address", "mail"),
        "slack_id": ("slack", "slack_user_id", "slack_member_id", "member_id", "slack_user"),
        "department": ("dept", "dept.", "department_name", "dep"),
        "position": ("job_title", "title", "job", "crew_position"),
        "role": ("crewcall_role", "access"),
        "phone": ("mobile", "cell", "phone_number", "telephone", "tel", "mobile_number"),
    },
    "schedule": {
        "date": ("shoot_date", "day_date"),
        "day": ("day_#", "day_no", "day_no.", "day_number", "shoot_day", "sd"),
        "general_call": ("call", "crew_call", "general_crew_call", "call_time", "unit_call"),
        "shooting_call": ("shoot_call", "shooting", "first_shot", "first_shot_time"),
        "wrap": ("est_wrap", "estimated_wrap", "wrap_time", "est._wrap"),
        "location": ("set", "location_name", "loc"),
        "address": ("location_address", "set_address"),
        "parking": ("crew_parking", "parking_info"),
        "hospital": ("nearest_hospital", "nearest_a&e", "a&e", "emergency", "nearest_er"),
        "latitude": ("lat",),
        "longitude": ("lon", "lng", "long"),
        "scenes": ("scene", "scene_numbers", "scene_nos", "sc", "scs"),
        "notes": ("note", "comments", "comment", "remarks"),
    },
    "calls": {
        "date": ("shoot_date",),
        "who": ("department", "dept", "person", "name", "crew_member", "department_or_person"),
        "call": ("call_time", "time"),
        "note": ("notes", "comment", "comments"),
    },
}


class ImportFailed(UserError):
    """The file was refused; nothing changed. `errors` name the row and column."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        lines = [*shown, f"... and {more} more"] if more else shown
        super().__init__("Nothing was imported:\n" + "\n".join(f"- {line}" for line in lines))


@dataclass
class Row:
    """One data row; `number` counts as a spreadsheet does (the file's first line is 1)."""

    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        """The cell in `column`; empty if the file has no such column."""
        return self.values.get(column, "")

    def has(self, column: str) -> bool:
        """Whether the file has this column at all (an empty cell still counts)."""
        return column in self.values


@dataclass
class Table:
    """A file's rows, and what the report should say of how it was read."""

    rows: list[Row]
    notes: list[str] = field(default_factory=list)


@dataclass
class Problems:
    """Errors found while checking a file, each tied to its row and column."""

    found: list[tuple[int, str, str]] = field(default_factory=list)

    def add(self, row: Row, column: str, message: str) -> None:
        """Record what is wrong with `row`'s `column`."""
        self.found.append((row.number, column, message))

    @property
    def errors(self) -> list[str]:
        """One line an error; a column wrong on many rows gives its first few and a count."""
        by_column: dict[str, int] = {}
        lines = []
        for number, column, message in self.found:
            by_column[column] = by_column.get(column, 0) + 1
            if by_column[column] <= ROWS_SHOWN_PER_COLUMN:
                lines.append(f"row {number}, column {column}: {message}")
        for column, count in by_column.items():
            if count > ROWS_SHOWN_PER_COLUMN:
                more = count - ROWS_SHOWN_PER_COLUMN
                lines.append(f"column {column}: the same on {more} more row{'s' * (more > 1)}")
        return lines

    def parse(
        self, row: Row, column: str, parse: Callable[[str], T], *, optional: bool = False
    ) -> T | None:
        """`parse` the cell, or record why not (empty, or the parser's UserError) and give None."""
        value = row.get(column)
        if not value:
            if not optional:
                self.add(row, column, "is empty")
            return None
        try:
            return parse(value)
        except UserError as exc:
            self.add(row, column, str(exc))
            return None

    def check(self) -> None:
        """Refuse the whole file if anything was wrong."""
        if self.found:
            raise ImportFailed(self.errors)


def read_rows(
    data: bytes, *, required: tuple[str, ...], kind: str, code_page: str = WESTERN_CODE_PAGE
) -> Table:
    """The file's rows under their columns' canonical names; ImportFailed, saying what the
    file looks like, when it cannot be read as a `kind` file. Text that is neither UTF-8
    nor UTF-16 is read in `code_page` (the production's) first."""
    try:
        decoded = decode(data, save_as=SAVE_AS, code_page=code_page)
    except NotText as exc:
        raise ImportFailed([str(exc)]) from None
    text = decoded.text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFailed(["the file is empty"])
    notes: list[str] = []
    delimiter, text = _delimiter(text)
    if delimiter != ",":
        notes.append(f"Its columns are separated by {DELIMITERS[delimiter]}.")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    at, header = _header(lines, kind=kind, required=required)
    if at is None:
        raise ImportFailed([_looks_like(lines, delimiter, kind, required)])
    if at:
        notes.append(f"The {at} line{'s' * (at > 1)} above the header row were skipped.")
    names = _canonical(header, kind)
    ignored = [
        cell.strip() for cell, name in zip(header, names, strict=True) if cell.strip() and not name
    ]
    if ignored:
        listed = ", ".join(quoted(name, limit=30) for name in ignored)
        notes.append(f"Not used, as {kind}.csv has no such column: {listed}.")
    rows = []
    for index, cells in enumerate(lines[at + 1 :], start=at + 2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cell.strip() for name, cell in zip(names, cells, strict=False) if name}
        rows.append(Row(index, values))
    if not rows:
        raise ImportFailed(["the file has a header but no rows"])
    reading = read_as(decoded.encoding, [row.values.get(NAMED_BY[kind], "") for row in rows])
    return Table(rows, [reading, *notes] if reading else notes)


# The column whose first values show the coordinator whether the text was read right.
NAMED_BY = {"crew": "name", "calls": "who", "schedule": "location"}


def read_as(encoding: str, names: list[str]) -> str | None:
    """`The file was read as Windows-1252 text: José Müller, Søren Ødegård, …`: the encoding,
    and the first names read in it, those with letters beyond ASCII first (they are the ones
    a wrong encoding would show). None for a UTF-8 file all in ASCII, which nothing misreads."""
    shown = sorted(dict.fromkeys(name for name in names if name), key=str.isascii)[:3]
    if encoding == "UTF-8" and all(name.isascii() for name in shown):
        return None
    listed = ", ".join(quoted(name, limit=30)[1:-1] for name in shown)
    return f"The file was read as {encoding} text" + (f": {listed}." if listed else ".")


def column_name(name: str) -> str:
    """How a header cell is matched: `General Call`, `general-call` -> `general_call`."""
    return "_".join(name.strip().lower().replace("-", " ").split())


# What tells each kind of file apart, in the order they are tried (calls.csv's `call`
# column would otherwise read as schedule.csv's general call).
KINDS = (
    ("calls", ({"date", "who", "call"},)),
    ("schedule", ({"date", "general_call"},)),
    ("crew", ({"name", "slack_id"}, {"name", "email"})),
)


def kind_of_header(
    data: bytes, *, code_page: str = WESTERN_CODE_PAGE
) -> tuple[str | None, list[str]]:
    """Which kind of CSV this is (calls, schedule or crew; None when none fits), from its
    header row (of its first rows, the first that fits), and the first row's cells."""
    try:
        text = decode(data, save_as=SAVE_AS, code_page=code_page).text.lstrip("\ufeff")
    except NotText:
        return None, []
    delimiter, text = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [cells for _, cells in zip(range(HEADER_SEARCH), reader, strict=False)]
    for cells in rows:
        for kind, needs in KINDS:
            try:
                names = {name for name in _canonical(cells, kind) if name}
            except ImportFailed:
                continue
            if any(need <= names for need in needs):
                return kind, cells
    return None, rows[0] if rows else []


def _canonical(header: list[str], kind: str) -> list[str]:
    """Each header cell's canonical column ("" for one the file kind does not use); a column
    named twice is refused."""
    synonyms = {alias: name for name, aliases in COLUMNS[kind].items() for alias in aliases}
    names: list = []
    seen: dict = {}
    for cell in header:
        key = column_name(cell)
        name = key if key in COLUMNS[kind] else synonyms.get(key, "")
        if name and name in seen:
            raise ImportFailed(
                [f"the header gives column {name} twice ({quoted(seen[name])} and {quoted(cell)})"]
            )
        if name:
            seen[name] = cell.strip()
        names.append(name)
    return names


def _delimiter(text: str) -> tuple[str, str]:
    """The delimiter, and the text without Excel's `sep=` line if it had one (which names
    it). Else the one under which the first rows name the most known columns (a header
    says which, whatever its data rows hold); failing that, the one that splits them most."""
    first, _, rest = text.partition("\n")
    if match := re.fullmatch(r'"?sep=(.)"?\r?', first.strip("\r"), re.IGNORECASE):
        return match[1], rest
    head = [line for line in text.splitlines()[:HEADER_SEARCH] if line.strip()]
    known = {
        column_name(alias)
        for columns in COLUMNS.values()
        for name, aliases in columns.items()
        for alias in (name, *aliases)
    }

    def score(candidate: str) -> tuple[int, int, int]:
        rows = [next(csv.reader([line], delimiter=candidate)) for line in head]
        named = max((sum(column_name(c) in known for c in cells) for cells in rows), default=0)
        first = len(rows[0]) if rows else 0
        return named, first, max((len(cells) for cells in rows), default=0)

    return max(DELIMITERS, key=score), text


def _header(
    lines: list[list[str]], *, kind: str, required: tuple[str, ...]
) -> tuple[int | None, list[str]]:
    """The header row's index and cells: the first of the first few rows that has the
    required columns (or, with none required, at least two of the kind's)."""
    for index, cells in enumerate(lines[:HEADER_SEARCH]):
        names = {name for name in _canonical(cells, kind) if name}
        if (required and set(required) <= names) or (not required and len(names) >= 2):
            return index, cells
    return None, []


def _looks_like(
    lines: list[list[str]], delimiter: str, kind: str, required: tuple[str, ...]
) -> str:
    """What the file looks like, when no header row for a `kind` file was found in it."""
    first = next((cells for cells in lines if any(c.strip() for c in cells)), [])
    named = [name for name in _canonical(first, kind) if name]
    if named:
        missing = ", ".join(name for name in required if name not in named)
        return f"the header has no column {missing} (it has {', '.join(named)})"
    cells = ", ".join(quoted(cell, limit=24) for cell in first[:8]) or "nothing"
    more = f" and {len(first) - 8} more" if len(first) > 8 else ""
    needs = ", ".join(required) if required else "name, and slack_id or email"
    said = (
        f"this does not read as {kind}.csv: its first row has {len(first)} column"
        f"{'s' * (len(first) != 1)} ({cells}{more}), separated by {DELIMITERS[delimiter]}, "
        f"and no header row naming {needs} was found in its first {HEADER_SEARCH} rows"
    )
    if len(first) == 1 and any(d in first[0] for d in DELIMITERS if d != delimiter):
        said += "; its columns may be separated by something else: save it as CSV UTF-8"
    return said
