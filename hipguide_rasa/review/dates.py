"""The dates ``hipguide-review`` and its web page read: ``--since``/``--until`` and their form fields."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timedelta, timezone

RELATIVE = re.compile(r"^(\d+)([dhm])$")


def moment(text: str) -> datetime:
    """``2026-11-29``, ``2026-11-29T14:30`` (UTC), or ``7d`` / ``12h`` / ``30m`` ago."""
    match = RELATIVE.match(text.strip())
    if match:
        unit = {"d": "days", "h": "hours", "m": "minutes"}[match.group(2)]
        return datetime.now(timezone.utc) - timedelta(**{unit: int(match.group(1))})
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: use 2026-11-29, 2026-11-29T14:30 or 7d/12h/30m") from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def until_moment(text: str) -> datetime:
    """A bare date as --until means the end of that day."""
    value = moment(text)
    return value + timedelta(days=1) - timedelta(microseconds=1) if len(text.strip()) == 10 else value
