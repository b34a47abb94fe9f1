"""Writing an imported row onto a stored one, only where it differs."""

from __future__ import annotations

from collections.abc import Mapping


def update_fields(row: object, values: Mapping[str, object]) -> bool:
    """Set each attribute that differs; whether any did (so re-imports change nothing)."""
    changed = False
    for attribute, value in values.items():
        if getattr(row, attribute) != value:
            setattr(row, attribute, value)
            changed = True
    return changed
