"""A file's bytes as text, whatever the program that saved it chose: and quoting it back.

Spreadsheets and calendars arrive as UTF-8 (with or without a byte-order mark), UTF-16
(Excel's "Unicode text"), or the Windows code page of the place they were saved (Excel's
plain "CSV": Windows-1252 in Western Europe and the Americas, Windows-1250 in Poland).
They are read in that order: UTF-8 and UTF-16 are recognised by their bytes; then the
production's own code page, unless its reading is one no name has; only then does
charset-normalizer guess, on the same terms. Detection on little text is a guess (a
two-row Windows-1252 file has been taken for Windows-775, "Josķ M³ller"), so a reading
with characters no name holds (C1 controls, `³` or `±` inside a word) is refused rather
than stored. The import's report names the encoding used and shows the first names read
in it, so that a wrong reading is never silent.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

import charset_normalizer

from bot.core.errors import UserError
from bot.core.locales import WESTERN_CODE_PAGE
from bot.core.mrkdwn import quoted

# What some files that are not text start with, and what they are.
KNOWN_BINARY = (
    (b"PK\x03\x04", "a zip archive, such as an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF"),
)
# Unicode categories no name, place or note has between two letters: numbers other than
# digits (¹ ² ³ ¼), and symbols (± ¬ ¦ © ° ¤ ¢, and the accents written alone).
_NOT_IN_A_WORD = {"No", "Sm", "So", "Sk", "Sc"}
# Punctuation no word holds either; the middle dot only as Catalan writes it (l·l).
_ODD_PUNCTUATION = set("·¶§¡¿")


class NotText(UserError):
    """The file's bytes are not text in any encoding worth trying."""


@dataclass(frozen=True)
class Text:
    """A file's text, and the name of the encoding it was read in (`UTF-8`, `Windows-1252`)."""

    text: str
    encoding: str


def decode(data: bytes, *, save_as: str, code_page: str = WESTERN_CODE_PAGE) -> Text:
    """`data` as text: UTF-8 or UTF-16 by their bytes, else `code_page` (the production's),
    else a detected encoding; NotText (saying what it looks like, and `save_as`) if none
    reads as names do."""
    for start, what in KNOWN_BINARY:
        if data.startswith(start):
            raise NotText(f"this is {what}, not a text file; {save_as}")
    for bom, codec, name in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            if (text := _reads_as(data, codec)) is not None:
                return Text(text, name)
            break
    if (text := _reads_as(data, "utf-8")) is not None:
        return Text(text, "UTF-8")
    if (text := _reads_as(data, code_page)) is not None and odd_in(text) is None:
        return Text(text, encoding_name(code_page))
    found = charset_normalizer.from_bytes(data).best()
    if found is not None and "\x00" not in (detected := str(found)):
        if (odd := odd_in(detected)) is None:
            return Text(detected, encoding_name(found.encoding))
        raise NotText(
            f"its text reads as no names do in {encoding_name(code_page)} or in any other "
            f"encoding Crewcall tried ({encoding_name(found.encoding)} gives {quoted(odd)}); "
            f"{save_as}, or as CSV UTF-8"
        )
    raise NotText(f"the file is not text in any encoding Crewcall knows; {save_as}")


def odd_in(text: str) -> str | None:
    """The first word of `text` that holds a character no name has (a C1 control, or `³`,
    `±` between letters), as a reading in the wrong encoding gives; None if there is none."""
    for index, ch in enumerate(text):
        if _odd(text, index, ch):
            start, end = index, index + 1
            while start > 0 and not text[start - 1].isspace() and text[start - 1] not in ",;\t":
                start -= 1
            while end < len(text) and not text[end].isspace() and text[end] not in ",;\t":
                end += 1
            return text[start:end]
    return None


def _odd(text: str, index: int, ch: str) -> bool:
    if ch.isascii() or ch.isalpha():
        return False
    if unicodedata.category(ch) == "Cc" or ch == "\ufffd":  # C1 controls, undecodable bytes
        return True
    if not _symbol(ch):
        return False
    # Between two letters, over any other such symbols (`N·±ez`).
    before, after = index - 1, index + 1
    while before >= 0 and _symbol(text[before]):
        before -= 1
    while after < len(text) and _symbol(text[after]):
        after += 1
    if before < 0 or after >= len(text):
        return False
    if not (text[before].isalpha() and text[after].isalpha()):
        return False
    return not (ch == "·" and text[index - 1 : index + 2].lower() == "l·l")


def _symbol(ch: str) -> bool:
    """A character no name holds between its letters."""
    return ch in _ODD_PUNCTUATION or unicodedata.category(ch) in _NOT_IN_A_WORD


def _reads_as(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def encoding_name(codec: str) -> str:
    """`cp1252` -> `Windows-1252`, as Excel and Notepad name it."""
    codec = codec.lower().replace("_", "-")
    if codec.startswith("cp") and codec[2:].isdigit():
        return f"Windows-{codec[2:]}"
    if codec.startswith("windows-"):
        return f"Windows-{codec[8:]}"
    if codec in ("utf-8", "utf8"):
        return "UTF-8"
    return codec.upper() if len(codec) <= 6 else codec
