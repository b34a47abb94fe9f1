"""A file's bytes as text, whatever the program that saved it chose: and quoting it back.

Spreadsheets and calendars arrive as UTF-8 (with or without a byte-order mark),
UTF-16 (Excel's "Unicode text"), or a Windows code page (Excel's plain "CSV" in
Western Europe is Windows-1252). UTF-8 and UTF-16 are recognised by their bytes;
anything else is left to charset-normalizer, and the import's report says which
encoding was assumed, so that a wrong guess is never silent.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

from bot.core.errors import UserError

# What some files that are not text start with, and what they are.
KNOWN_BINARY = (
    (b"PK\x03\x04", "a zip archive, such as an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF"),
)


class NotText(UserError):
    """The file's bytes are not text in any encoding worth trying."""


@dataclass(frozen=True)
class Text:
    """A file's text, and the encoding it was read in when that was not UTF-8."""

    text: str
    encoding: str | None = None


def decode(data: bytes, *, save_as: str) -> Text:
    """`data` as text; NotText (saying what it looks like, and `save_as`) if it is not."""
    for start, what in KNOWN_BINARY:
        if data.startswith(start):
            raise NotText(f"this is {what}, not a text file; {save_as}")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Text(data.decode(encoding), None if encoding == "utf-8-sig" else "UTF-16")
            except UnicodeDecodeError:
                break
    try:
        return Text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    found = charset_normalizer.from_bytes(data).best()
    if found is None or "\x00" in str(found):
        raise NotText(f"the file is not text in any encoding Crewcall knows; {save_as}")
    text = str(found)
    # Short samples leave the code pages hard to tell apart; Excel and Outlook in the
    # West write Windows-1252, so where that reads the same, it is named.
    if _reads_as(data, "cp1252") == text:
        return Text(text, "Windows-1252")
    return Text(text, _encoding_name(found.encoding))


def _reads_as(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _encoding_name(codec: str) -> str:
    """`cp1252` -> `Windows-1252`, as Excel and Notepad name it."""
    if codec.startswith("cp") and codec[2:].isdigit():
        return f"Windows-{codec[2:]}"
    return codec.replace("_", "-").upper() if len(codec) <= 6 else codec.replace("_", "-")
