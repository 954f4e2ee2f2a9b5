"""Settings read from the environment by the Rasa server's HipGuide parts."""

from __future__ import annotations

import os


def whole_number(name: str, default: int) -> int:
    """``name``'s value as a whole number (negative means 0), ``default`` when unset; anything
    else stops the server with a message that names the variable."""
    value = os.environ.get(name, "")
    try:
        return max(0, int(value)) if value.strip() else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
