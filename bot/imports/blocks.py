"""Block Kit for files sent in a DM: the preview with Import and Cancel, and the outcome."""

from __future__ import annotations

import json

from bot.core.kit import context, plain, section
from bot.core.mrkdwn import escaped
from bot.imports.report import ImportReport
from bot.imports.uploads import KINDS

IMPORT = "upload_import"
CANCEL = "upload_cancel"


def preview_blocks(
    *,
    name: str,
    kind: str,
    production_id: int,
    production_name: str,
    file_id: str,
    url: str,
    digest: str,
    report: ImportReport,
) -> tuple[str, list[dict]]:
    """(fallback, blocks): what importing would do, and the buttons that do it or not."""
    head = (
        f"*{escaped(name)}* is {KINDS[kind]} for *{escaped(production_name)}*. "
        "Importing it would do this:"
    )
    value = json.dumps(
        {"production": production_id, "kind": kind, "file": file_id, "url": url, "sha": digest}
    )
    buttons = {
        "type": "actions",
        "block_id": "upload",
        "elements": [
            {
                "type": "button",
                "action_id": IMPORT,
                "text": plain("Import"),
                "style": "primary",
                "value": value,
            },
            {"type": "button", "action_id": CANCEL, "text": plain("Cancel"), "value": file_id},
        ],
    }
    summary = report.summary(done=False)
    fallback = f"{escaped(name)}: {summary.splitlines()[0]}"
    return fallback, [
        section(head),
        section(summary),
        buttons,
        context("Nothing has changed yet."),
    ]
