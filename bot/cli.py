"""The `crewcall` command: parse arguments, build what the verb needs, run it."""

from __future__ import annotations

import argparse
import json
import sys
import zoneinfo
from collections.abc import Sequence
from pathlib import Path

from bot.clock import now as utcnow
from bot.config import ConfigError, Settings, load_settings
from bot.core.errors import UserError
from bot.slack.manifest import build_manifest


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crewcall", description="Crewcall: call times and acknowledgements in Slack."
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    _running_verbs(verbs)
    _production_verbs(verbs)
    _data_verbs(verbs)
    manifest = verbs.add_parser("manifest", help="print the Slack app manifest")
    manifest.add_argument("--http-base-url", help="public base URL for HTTP mode")
    return parser


def _running_verbs(verbs: argparse._SubParsersAction) -> None:
    """run, worker, console and migrate."""
    run = verbs.add_parser("run", help="run the bot (Socket Mode unless --http)")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--socket", action="store_true", help="Socket Mode (the default)")
    mode.add_argument("--http", action="store_true", help="HTTP mode: serve /slack/events")
    run.add_argument("--port", type=int, help="HTTP port (default: PORT, else 3000)")
    run.add_argument("--no-scheduler", action="store_true", help="leave scheduling to a worker")

    verbs.add_parser("worker", help="scheduler and sender only")
    console = verbs.add_parser(
        "console", help="talk to the bot in a terminal, with a local stand-in for Slack"
    )
    console.add_argument("--demo", action="store_true", help="start with a demo production")
    console.add_argument("--database", metavar="URL", help="database (default: DATABASE_URL)")
    verbs.add_parser("migrate", help="apply database migrations")


def _production_verbs(verbs: argparse._SubParsersAction) -> None:
    """production create and production list."""
    production = verbs.add_parser("production", help="create or list productions")
    production_verbs = production.add_subparsers(dest="production_verb", required=True)
    create = production_verbs.add_parser("create", help="create a production")
    create.add_argument("--name", required=True)
    create.add_argument("--slug", required=True)
    create.add_argument("--timezone", required=True, help="IANA zone, e.g. Europe/London")
    create.add_argument("--channel", required=True, help="crew channel id, e.g. C0123ABCD")
    create.add_argument("--coordinator", action="append", required=True, metavar="USER_ID")
    create.add_argument("--team", help="Slack team id (default: the bot token's workspace)")
    create.add_argument(
        "--currency",
        help="for rental rates written without one, e.g. GBP (default: the time zone's country's)",
    )
    production_verbs.add_parser("list", help="list productions")


def _data_verbs(verbs: argparse._SubParsersAction) -> None:
    """import and export."""
    importer = verbs.add_parser(
        "import", help="import crew, schedule or calls (CSV), or a schedule from an .ics file"
    )
    importer.add_argument("kind", choices=("crew", "schedule", "calls", "ics"))
    importer.add_argument("file", help="path to the CSV or .ics file")
    importer.add_argument("--production", required=True, metavar="SLUG")
    importer.add_argument("--team", help="Slack team id, when several workspaces share the slug")

    export = verbs.add_parser("export", help="export acknowledgements or rentals as CSV on stdout")
    export.add_argument("what", choices=("acks", "rentals"))
    export.add_argument("--production", required=True, metavar="SLUG")
    export.add_argument("--notice", type=int, metavar="ID", help="one notice (default: all)")
    export.add_argument("--team", help="Slack team id, when several workspaces share the slug")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `crewcall` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.verb == "manifest":
            return _manifest(args.http_base_url)
        settings = load_settings()
        _configure_logging(settings)
        return _dispatch(args, settings)
    except (ConfigError, UserError) as exc:
        print(f"crewcall: {exc}", file=sys.stderr)
        return 2


def _manifest(http_base_url: str | None) -> int:
    """Print the manifest; a base URL that is not a URL stops it, one Slack will not send
    requests to (plain http) is warned of."""
    if http_base_url is not None:
        scheme, _, rest = http_base_url.strip().partition("://")
        if scheme not in ("http", "https") or not rest or rest.startswith("/"):
            raise UserError(
                f"--http-base-url {http_base_url!r} is not a URL; give the public https:// "
                "address Slack will reach, e.g. https://crewcall.example.com"
            )
        if scheme == "http":
            print(
                f"crewcall: warning: Slack sends requests only to https:// addresses; "
                f"it will not accept {http_base_url}/slack/events. Put Crewcall behind "
                "HTTPS (a platform's TLS, or a tunnel while developing).",
                file=sys.stderr,
            )
    print(json.dumps(build_manifest(http_base_url), indent=2))
    return 0


def _configure_logging(settings: Settings) -> None:
    from bot.core.logs import configure

    secrets = (settings.slack_signing_secret, settings.slack_client_secret)
    configure(
        settings.log_level,
        secrets=tuple(secret.get_secret_value() for secret in secrets if secret),
    )


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so that `crewcall manifest` and bad settings answer without
    # loading Bolt, SQLAlchemy and gunicorn.
    from bot import runtime

    if args.verb == "run":
        with_scheduler = not args.no_scheduler
        if args.http:
            runtime.run_http(
                settings, port=args.port or settings.port, with_scheduler=with_scheduler
            )
        else:
            runtime.run_socket_mode(settings, with_scheduler=with_scheduler)
        return 0
    if args.verb == "worker":
        runtime.run_worker(settings)
        return 0
    if args.verb == "console":
        from bot.console.run import run_console

        return run_console(settings, with_demo=args.demo, database_url=args.database)
    if args.verb == "migrate":
        from bot.storage.db import Database
        from bot.storage.migrate import upgrade

        db = Database(settings.database_url, pool_size=1)
        upgrade(db.engine)
        print("database is up to date")
        return 0
    if args.verb == "production":
        return _production(args, settings, runtime)
    if args.verb == "import":
        return _import(args, settings, runtime)
    if args.verb == "export":
        return _export(args, settings, runtime)
    raise AssertionError(args.verb)


def _production(args: argparse.Namespace, settings: Settings, runtime) -> int:
    from bot.core.productions import create_production, list_productions

    db = runtime.open_database(settings, pool_size=1)
    with db.transaction() as session:
        if args.production_verb == "list":
            for production in list_productions(session):
                print(
                    f"{production.slug}\t{production.name}\t{production.timezone}\t"
                    f"{production.crew_channel}\t{production.workspace.team_id}"
                )
            return 0
        team_id = args.team or _team_of_bot_token(settings, runtime)
        production = create_production(
            session,
            team_id=team_id,
            name=args.name,
            slug=args.slug,
            timezone=args.timezone,
            channel=args.channel,
            coordinators=args.coordinator,
            currency=args.currency,
        )
        chosen = "" if args.currency else f" (from {production.timezone}; --currency to choose)"
        print(
            f"created production {production.slug} ({production.name}); rental rates without "
            f"a currency are in {production.currency}{chosen}"
        )
    return 0


def _team_of_bot_token(settings: Settings, runtime) -> str:
    if settings.slack_bot_token is None:
        raise ConfigError("give --team T0123ABCD, or set SLACK_BOT_TOKEN to use its workspace")
    return runtime.check_bot_token(settings)


def _import(args: argparse.Namespace, settings: Settings, runtime) -> int:
    from bot.core.productions import production_by_slug
    from bot.imports.run import import_file

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror}") from None
    db = runtime.open_database(settings, pool_size=1)
    lookup = runtime.email_lookup(settings) if settings.slack_bot_token else None
    with db.transaction() as session:
        production = production_by_slug(session, slug=args.production, team_id=args.team)
        report = import_file(
            session, production=production, kind=args.kind, data=data, lookup=lookup
        )
    print(report.summary())
    return 0


def _export(args: argparse.Namespace, settings: Settings, runtime) -> int:
    from bot.core.productions import production_by_slug
    from bot.notices.acks import Viewer, ack_report, export_csv, find_notice, notices_of

    db = runtime.open_database(settings, pool_size=1)
    with db.readers.begin() as session:
        production = production_by_slug(session, slug=args.production, team_id=args.team)
        if args.what == "rentals":
            from bot.rentals.costs import export_csv as rentals_csv

            today = utcnow().astimezone(zoneinfo.ZoneInfo(production.timezone)).date()
            sys.stdout.write(rentals_csv(session, production_id=production.id, today=today))
            return 0
        viewer = Viewer("crewcall-cli", production.id, None, coordinator=True)
        if args.notice is not None:
            notices = [find_notice(session, viewer, str(args.notice))]
        else:
            notices = notices_of(session, production_id=production.id)
        sys.stdout.write(export_csv([ack_report(session, viewer, n) for n in notices]))
    return 0
