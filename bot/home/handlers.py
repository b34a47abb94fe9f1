"""The App Home tab (`app_home_opened` -> `views.publish`) and its quick actions."""

from __future__ import annotations

import datetime as dt
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.changes.form import outcome_view
from bot.changes.handlers import open_change_form
from bot.core.asker import (
    Asker,
    NotOnACrew,
    WhichProduction,
    acting_on_view,
    identify,
    identify_for,
)
from bot.core.deps import Deps
from bot.core.effective_calls import local_today
from bot.core.errors import UserError
from bot.core.kit import submitted
from bot.core.mrkdwn import field_errors
from bot.core.roles import Action
from bot.core.slack_calls import open_modal
from bot.home.blocks import (
    ANNOUNCE_FORM,
    SCRIPT_FORM,
    START_ANNOUNCE,
    START_CHANGE,
    START_SCRIPT,
    announce_form,
    home_view,
    not_on_a_crew_view,
    script_form,
)
from bot.home.contents import home_page
from bot.notices.blocks import announcement_sent
from bot.notices.notices import announce
from bot.script.blocks import announced_text
from bot.script.pages import parse_pages
from bot.script.revisions import (
    Announced,
    NewRevision,
    announce_revision,
    latest_revision,
    next_colour,
)
from bot.storage.models import Production

_LINK = re.compile(r"https?://\S+")


def register(app: App) -> None:
    """Answer the Home tab's opening, its buttons and the forms they open."""
    app.event("app_home_opened")(home_opened)
    app.action(START_CHANGE)(start_change)
    app.action(START_ANNOUNCE)(start_announce)
    app.action(START_SCRIPT)(start_script)
    app.view(ANNOUNCE_FORM)(announce_submitted)
    app.view(SCRIPT_FORM)(script_submitted)


def home_opened(
    event: dict, body: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Publish the person's Home tab each time they open it."""
    if event.get("tab", "home") != "home":
        return
    publish_home(db, client, deps, team_id=body["team_id"], user_id=event["user"], now=now)


def publish_home(
    db: Session, client: WebClient, deps: Deps, *, team_id: str, user_id: str, now: dt.datetime
) -> None:
    """Build and publish the Home tab for one person, as of `now`."""
    client.views_publish(user_id=user_id, view=home_for(db, client, deps, team_id, user_id, now))


def home_for(
    db: Session, client: WebClient, deps: Deps, team_id: str, user_id: str, now: dt.datetime
) -> dict:
    """The Home view: the production chosen as for commands typed in a DM."""
    try:
        asker = identify(
            db, client, deps, team_id=team_id, user_id=user_id, channel_id=None, now=now
        )
        schedule, elsewhere = asker.schedule, 0
    except NotOnACrew:
        return not_on_a_crew_view()
    except WhichProduction:
        # On several productions and none chosen: the first by name, and a word on choosing.
        schedules = deps.directory.workspace(team_id)
        mine = schedules.of_user(user_id) if schedules else []
        if not mine:
            return not_on_a_crew_view()
        schedule, elsewhere = mine[0], len(mine) - 1
    member = schedule.crew_by_user.get(user_id)
    if member is None:
        return not_on_a_crew_view()
    with deps.readers.begin() as reading:
        page = home_page(reading, schedule, member, now=now)
        return home_view(page, today=local_today(schedule.production, now), elsewhere=elsewhere)


def start_change(
    ack: Ack, body: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Home's Schedule change button: the schedule change modal."""
    ack()
    asker = _actor(body, db, client, deps, now, Action.CHANGE_SCHEDULE)
    open_change_form(client, asker, trigger_id=body["trigger_id"], channel_id=None, now=now)


def start_announce(
    ack: Ack, body: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Home's Announce button: the announcement modal."""
    ack()
    asker = _actor(body, db, client, deps, now, Action.ANNOUNCE)
    view = announce_form(asker.production.id, asker.production.name)
    open_modal(client, trigger_id=body["trigger_id"], view=view)


def start_script(
    ack: Ack, body: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime
) -> None:
    """Home's Script revision button: the revision modal, for the next colour."""
    ack()
    asker = _actor(body, db, client, deps, now, Action.ANNOUNCE_SCRIPT)
    production = asker.production
    latest = latest_revision(db, production_id=production.id)
    row = db.get(Production, production.id)
    assert row is not None
    view = script_form(production.id, production.name, next_colour(row.revision_colours, latest)[1])
    open_modal(client, trigger_id=body["trigger_id"], view=view)


def announce_submitted(ack: Ack, body: dict, view: dict, db: Session, now: dt.datetime) -> None:
    """Send the announcement from the modal."""
    production = acting_on_view(db, body, view, action=Action.ANNOUNCE)
    fields = submitted(view["state"]["values"])
    text = fields.get("text", "").strip()
    if not text:
        ack(response_action="errors", errors={"text": "Write the announcement."})
        return
    urgent = bool(
        view["state"]["values"].get("urgent", {}).get("value", {}).get("selected_options")
    )
    notice, people = announce(
        db, production=production, text=text, author=body["user"]["id"], now=now, urgent=urgent
    )
    outcome = announcement_sent(notice.id, people, production.crew_channel)
    ack(response_action="update", view=outcome_view(outcome, title="Announce"))


def script_submitted(ack: Ack, body: dict, view: dict, db: Session, now: dt.datetime) -> None:
    """Announce the next revision from the modal; errors beside their fields."""
    production = acting_on_view(db, body, view, action=Action.ANNOUNCE_SCRIPT)
    fields = {k: v.strip() for k, v in submitted(view["state"]["values"]).items()}
    errors = {}
    pages = []
    try:
        pages = parse_pages(fields.get("pages", ""))
    except UserError as exc:
        errors["pages"] = str(exc)
    if fields.get("url") and not _LINK.fullmatch(fields["url"]):
        errors["url"] = "Give a link starting https://"
    if errors:
        ack(response_action="errors", errors=field_errors(errors))
        return
    request = NewRevision(
        None, pages, fields.get("scenes", ""), fields.get("url", ""), fields.get("note", "")
    )
    outcome = announce_revision(
        db, production=production, request=request, author=body["user"]["id"], now=now
    )
    assert isinstance(outcome, Announced)  # the next colour is always in sequence
    revision = outcome.revision
    text = announced_text(revision.colour, outcome.people, revision.notice_id or 0)
    ack(response_action="update", view=outcome_view(text, title="Script revision"))


def _actor(
    body: dict, db: Session, client: WebClient, deps: Deps, now: dt.datetime, action: Action
) -> Asker:
    """The person who clicked a Home button, who must be allowed to `action`."""
    user = body["user"]
    return identify_for(
        db,
        client,
        deps,
        team_id=user["team_id"],
        user_id=user["id"],
        channel_id=None,
        now=now,
        action=action,
    )
