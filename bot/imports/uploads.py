"""Files a coordinator sends Crewcall in a DM: fetched from Slack, recognised, previewed,
then imported all or nothing.

The file is fetched with the bot token from the file's `url_private_download`, and only
from Slack's own hosts (or the configured SLACK_API_URL's): the token is never sent
anywhere else. Nothing is kept between the preview and the import: the Import button
names the file and a digest of what was previewed, and the file is fetched again.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.errors import UserError
from bot.core.mrkdwn import quoted
from bot.imports.crew import EmailLookup
from bot.imports.csvfile import kind_of_header
from bot.imports.report import ImportReport
from bot.imports.run import import_file
from bot.storage.models import Production

MAX_BYTES = 5 * 1024 * 1024
SLACK_FILE_HOSTS = {"files.slack.com"}
KINDS = {
    "crew": "a crew list",
    "schedule": "a schedule",
    "calls": "calls",
    "ics": "a schedule from a calendar (.ics)",
}
WHAT_IS_WHAT = (
    "a crew list needs `name` and `slack_id` or `email` columns; a schedule `date` and "
    "`general_call`; calls `date`, `who` and `call`; a calendar is an .ics file"
)


@dataclass(frozen=True)
class Upload:
    """A file shared in the DM, as the message event describes it."""

    file_id: str
    name: str
    url: str
    size: int


def uploads_of(event: dict) -> list[Upload]:
    """The files a message shared (most often one)."""
    return [
        Upload(f["id"], f.get("name", "file"), f.get("url_private_download", ""), f.get("size", 0))
        for f in event.get("files", [])
        if f.get("id")
    ]


def fetch(upload: Upload, *, token: str, api_url: str) -> bytes:
    """The file's bytes, fetched with the bot token; UserError saying why not."""
    if upload.size > MAX_BYTES:
        raise UserError(f"{quoted(upload.name)} is larger than 5 MB: not a file I can import.")
    url, api = urllib.parse.urlsplit(upload.url), urllib.parse.urlsplit(api_url)
    host = url.hostname or ""
    slack = url.scheme == "https" and (host in SLACK_FILE_HOSTS or host.endswith(".slack.com"))
    ours = (url.scheme, host) == (api.scheme, api.hostname)  # SLACK_API_URL's stand-in
    if not (slack or ours):
        raise UserError(f"I couldn't fetch {quoted(upload.name)} from Slack; send it again.")
    request = urllib.request.Request(upload.url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - Slack's own hosts only
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            kind = answer.headers.get("Content-Type", "")
            data = answer.read(MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError):
        raise UserError(
            f"I couldn't fetch {quoted(upload.name)} from Slack just now; send it again."
        ) from None
    # Slack answers a request it won't serve with its sign-in page, not an error status.
    if kind.startswith("text/html") or len(data) > MAX_BYTES:
        raise UserError(f"I couldn't fetch {quoted(upload.name)} from Slack; send it again.")
    return data


def digest(data: bytes) -> str:
    """What the Import button carries to know the file is the one previewed."""
    return hashlib.sha256(data).hexdigest()[:32]


def kind_of(name: str, data: bytes, *, code_page: str) -> str:
    """crew, schedule, calls or ics, from the file's first line; UserError if none fits."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:15].upper().startswith(b"BEGIN:VCALENDAR") or name.lower().endswith(".ics"):
        return "ics"
    kind, first = kind_of_header(data, code_page=code_page)
    if kind is not None:
        return kind
    shown = ", ".join(quoted(cell, limit=24) for cell in first[:8] if cell.strip()) or "nothing"
    raise UserError(f"I can't tell what {name} is ({shown} in its first row): {WHAT_IS_WHAT}.")


def preview(
    session: Session,
    *,
    production: Production,
    kind: str,
    data: bytes,
    lookup: EmailLookup | None,
) -> ImportReport:
    """What importing the file would do, worked out and rolled back; ImportFailed if bad."""
    with session.begin_nested() as trial:
        report = import_file(session, production=production, kind=kind, data=data, lookup=lookup)
        trial.rollback()
    return report
