"""Work handed to a background pool, once per key at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

RunIn = Callable[[Callable[[], None]], None]


class OncePerKey:
    """Runs `call` in `run_in`, unless a call for the same key is waiting or running."""

    def __init__(self, run_in: RunIn) -> None:
        self._run_in = run_in
        self._pending: set[Hashable] = set()
        self._lock = threading.Lock()

    def __call__(self, key: Hashable, call: Callable[[], object]) -> None:
        """Run `call` in the background unless one for `key` is already pending."""
        with self._lock:
            if key in self._pending:
                return
            self._pending.add(key)

        def run() -> None:
            try:
                call()
            finally:
                with self._lock:
                    self._pending.discard(key)

        self._run_in(run)
