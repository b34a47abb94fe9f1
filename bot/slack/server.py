"""Serving HTTP mode with gunicorn: preforked processes, each an event loop that reads
requests whole (uvicorn's worker) and a pool of threads that answers them (bot/slack/asgi.py)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

from gunicorn.app.base import BaseApplication

WsgiApp = Callable[..., object]
_PR_SET_PDEATHSIG = 1


class GunicornServer(BaseApplication):
    """Gunicorn driven from code; `load` runs in each worker, after the fork."""

    def __init__(self, load_app: Callable[[], WsgiApp], options: dict[str, object]) -> None:
        self._load_app = load_app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        """Hand gunicorn the options Crewcall chose."""
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WsgiApp:
        """The WSGI app each worker serves."""
        return self._load_app()


def gunicorn_options(*, port: int, processes: int, log_level: str) -> dict:
    """uvicorn workers: slow clients hold a coroutine, not a thread (bot/slack/asgi.py)."""
    return {
        "bind": f"0.0.0.0:{port}",
        "workers": processes,
        "worker_class": "uvicorn_worker.UvicornWorker",
        # Slack gives up after 3 s; a request still running after 30 s is stuck.
        "timeout": 30,
        # On SIGTERM, workers get this long to finish in-flight requests.
        "graceful_timeout": 10,
        "keepalive": 5,
        "loglevel": log_level.lower(),
        "preload_app": False,
        "proc_name": "crewcall-web",
        "post_fork": lambda _server, worker: exit_with_parent(worker.ppid),
    }


def exit_with_parent(parent: int) -> None:
    """Have the kernel send this process SIGTERM when `parent` dies (Linux), and exit now if
    it already has.

    gunicorn's master watches its workers, but nothing watches the master: killed outright
    (SIGKILL, the OOM killer), it leaves uvicorn workers (which do not check their parent)
    and the scheduler's worker running under init, holding the port and the database. The
    signal is the same SIGTERM a graceful stop sends, so they finish what is under way.
    """
    if sys.platform != "linux":
        return
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above
        os._exit(0)
