"""Reading a CSV as people export it, and collecting row-and-column errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.errors import UserError

MAX_ERRORS_SHOWN = 20
T = TypeVar("T")


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
    """One data row; `number` counts as a spreadsheet does (the header is row 1)."""

    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class Problems:
    """Errors found while checking a file, each tied to its row and column."""

    errors: list[str] = field(default_factory=list)

    def add(self, row: Row, column: str, message: str) -> None:
        self.errors.append(f"row {row.number}, column {column}: {message}")

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
        if self.errors:
            raise ImportFailed(self.errors)


def read_rows(data: bytes, *, required: tuple[str, ...]) -> list[Row]:
    """Rows with lower-cased, stripped headers; UTF-8 with or without a BOM."""
    if not data.strip():
        raise ImportFailed(["the file is empty"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [f"the file is not UTF-8 (byte {exc.start + 1}); save it as 'CSV UTF-8'"]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column_name(name) for name in next(reader, [])]
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    missing = [name for name in required if name not in header]
    if duplicates or missing:
        raise ImportFailed(
            [f"the header repeats column {name}" for name in duplicates]
            + [f"the header has no column {name}" for name in missing]
        )
    rows = []
    for index, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}
        rows.append(Row(index, values))
    if not rows:
        raise ImportFailed(["the file has a header but no rows"])
    return rows


def column_name(name: str) -> str:
    """How a header cell is matched: `General Call`, `general-call` -> `general_call`."""
    return "_".join(name.strip().lower().replace("-", " ").split())
