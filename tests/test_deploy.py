"""The deployment files: the image installs its dependencies before it copies the code, from
pyproject.toml's own list; the Procfile runs the three process types the README names.

No Docker engine runs on the machines the suite runs on, so the image's steps are checked
here as far as they can be without building it: their order, and the dependency step run
for real against this checkout's pyproject.toml.
"""

from __future__ import annotations

import re
import shlex
import sys
import tomllib
from pathlib import Path

from tests import processes

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line for line in joined.splitlines() if line.strip() and not line.startswith("#")]


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    steps = _instructions()
    copy_code = next(i for i, step in enumerate(steps) if step.startswith("COPY bot"))
    install_deps = next(i for i, step in enumerate(steps) if "-r /tmp/requirements.txt" in step)
    install_code = next(i for i, step in enumerate(steps) if "--no-deps ." in step)

    assert install_deps < copy_code < install_code


def test_the_dependency_step_lists_exactly_pyprojects_dependencies(tmp_path: Path) -> None:
    step = next(s for s in _instructions() if "-r /tmp/requirements.txt" in s)
    listing = step.removeprefix("RUN ").split(" > /tmp/requirements.txt")[0]
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    args = shlex.split(listing)
    assert args[0] == "python"

    listed = processes.run(
        [sys.executable, *args[1:]], cwd=tmp_path, env=processes.environment()
    ).stdout.splitlines()

    with (ROOT / "pyproject.toml").open("rb") as project:
        assert listed == tomllib.load(project)["project"]["dependencies"]


def test_tzdata_is_a_dependency_so_zoneinfo_works_without_system_zones() -> None:
    with (ROOT / "pyproject.toml").open("rb") as project:
        dependencies = tomllib.load(project)["project"]["dependencies"]

    assert any(re.match(r"tzdata\b", dependency) for dependency in dependencies)


def test_the_procfile_runs_the_three_process_types() -> None:
    procfile = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )

    assert procfile == {
        "release": "crewcall migrate",
        "web": "crewcall run --http --no-scheduler",
        "worker": "crewcall worker",
    }
