"""What an import did, for the person who ran it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """Counts of rows created, updated and unchanged, plus anything worth saying."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self, *, done: bool = True) -> str:
        """One line, then any notes; `done=False` says what importing would do."""
        verb = "Imported" if done else "Would import"
        line = (
            f"{verb} {self.kind}: {self.created} added, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )
        return "\n".join([line, *(f"- {note}" for note in self.notes)])
