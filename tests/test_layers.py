"""How bot's modules may import one another (issue 24): import-linter's contracts in
pyproject.toml, and no import cycles at all, `TYPE_CHECKING` imports included."""

from __future__ import annotations

import ast
import enum
import sys
from pathlib import Path

import grimp

from bot.storage import models
from tests import processes

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = processes.run(
        [str(lint_imports), "pyproject.toml", "--no-cache"], cwd=ROOT, env=processes.environment()
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken." in done.stdout, done.stdout


def test_no_module_imports_itself_back() -> None:
    """A module that imports another which (through any chain) imports it is a cycle:
    neither can be read, tested or moved alone."""
    graph = grimp.build_graph("bot", cache_dir=None)
    cycles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert not cycles, cycles


def test_block_builders_take_no_database_rows() -> None:
    """Block Kit builders are values in, blocks out: from the models module they may use
    its enums (a notice's kind, a rental's status), never a row class."""
    rows = []
    for path in block_builders():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "bot.storage.models":
                for alias in node.names:
                    kind = getattr(models, alias.name)
                    if not (isinstance(kind, type) and issubclass(kind, enum.Enum)):
                        rows.append(f"{path.name}: {alias.name}")
    assert not rows, rows


def block_builders() -> list[Path]:
    """Every Block Kit builder: each feature's blocks, and the shared primitives."""
    bot = ROOT / "bot"
    found = sorted({*bot.glob("*/blocks.py"), *bot.glob("*/*_blocks.py")})
    shared = [bot / "core" / name for name in ("kit.py", "format.py", "help.py")]
    return [*found, bot / "changes" / "form.py", bot / "changes" / "preview.py", *shared]


def test_the_block_builders_are_found() -> None:
    names = {f"{path.parent.name}/{path.name}" for path in block_builders()}

    assert {"calls/blocks.py", "notices/acks_blocks.py", "core/kit.py"} <= names
    assert len(names) == 18


HANDLERS = ("handlers", "lookup", "everyday")


def test_no_service_imports_a_handler() -> None:
    """Handlers call services; a service that reached back up into a handler would make
    the feature's layers a circle again."""
    graph = grimp.build_graph("bot", cache_dir=None)
    features = [m for m in graph.modules if m.count(".") == 2 and not m.startswith("bot.slack")]
    handlers = {m for m in features if m.rsplit(".", 1)[1] in HANDLERS}
    upward = sorted(
        (module, imported)
        for module in set(features) - handlers
        for imported in graph.find_modules_directly_imported_by(module)
        if imported in handlers
    )
    assert not upward, upward


def test_storage_imports_nothing_above_it() -> None:
    """Storage (engine, models, migrations) is the bottom layer: nothing in it reads a
    feature's module, however indirectly; only the clock (bot/clock.py) lies beneath it."""
    graph = grimp.build_graph("bot", cache_dir=None)
    storage = {module for module in graph.modules if module.startswith("bot.storage")}
    above = set().union(*(graph.find_upstream_modules(module) for module in storage)) - storage
    assert not above - {"bot.clock"}, sorted(above)
    assert not graph.find_upstream_modules("bot.clock")


def test_only_handlers_take_the_bag_of_dependencies() -> None:
    """Services take what they need (a session, a schedule, a client), never `Deps`:
    only handlers, the Slack plumbing and who-is-asking (which starts every command) do."""
    graph = grimp.build_graph("bot", cache_dir=None)
    allowed = {"bot.core.asker", "bot.core.deps"}
    takers = sorted(
        module
        for module in graph.find_modules_that_directly_import("bot.core.deps")
        if module not in allowed
        and not module.startswith("bot.slack")
        and module.rsplit(".", 1)[1] not in HANDLERS
    )
    assert not takers, takers
