"""Deleting conversations: one person's on request, and everyone's past the retention period.

``python -m hipguide_rasa.privacy delete <sender_id>`` removes every stored event of one
conversation; ``python -m hipguide_rasa.privacy purge [--days N]`` removes conversations whose
last event is older than N days (default ``HIPGUIDE_RETENTION_DAYS``). Both work on the
tracker store named by ``TRACKER_STORE_URL`` (Rasa's ``events`` table), SQLite or PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Sequence

from sqlalchemy import Column, Float, MetaData, String, Table, create_engine, delete, func, inspect, select
from sqlalchemy.engine import Engine

from hipguide_rasa.tracker_store import tracker_store_url

EVENTS = Table("events", MetaData(), Column("sender_id", String(255)), Column("timestamp", Float))
SECONDS_PER_DAY = 86400.0


def retention_days(environ: dict | None = None) -> float | None:
    """``HIPGUIDE_RETENTION_DAYS`` as a positive number, or None when unset."""
    value = (os.environ if environ is None else environ).get("HIPGUIDE_RETENTION_DAYS", "").strip()
    if not value:
        return None
    days = float(value)
    if days <= 0:
        raise ValueError("HIPGUIDE_RETENTION_DAYS must be a positive number of days")
    return days


def _engine(url: str | None) -> Engine:
    return create_engine(url or tracker_store_url(), future=True)


def _has_events(engine: Engine) -> bool:
    return inspect(engine).has_table("events")


def delete_conversation(sender_id: str, url: str | None = None) -> int:
    """Delete every event of ``sender_id``; returns how many were deleted."""
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return 0
        with engine.begin() as connection:
            return int(connection.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id)).rowcount or 0)
    finally:
        engine.dispose()


def purge(days: float, url: str | None = None, now: float | None = None) -> int:
    """Delete conversations whose last event is older than ``days``; returns how many."""
    cutoff = (now if now is not None else time.time()) - days * SECONDS_PER_DAY
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return 0
        stale = (select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
                 .having(func.max(EVENTS.c.timestamp) < cutoff))
        with engine.begin() as connection:
            senders = [row[0] for row in connection.execute(stale)]
            for start in range(0, len(senders), 500):
                connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(senders[start:start + 500])))
        return len(senders)
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Delete stored conversations (TRACKER_STORE_URL).")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("delete", help="delete one person's conversation")
    one.add_argument("sender_id")
    old = commands.add_parser("purge", help="delete conversations older than the retention period")
    old.add_argument("--days", type=float, help="default: HIPGUIDE_RETENTION_DAYS")
    args = parser.parse_args(argv)
    if args.command == "delete":
        print(f"deleted {delete_conversation(args.sender_id)} events of that conversation")
        return 0
    try:
        days = args.days if args.days is not None else retention_days()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if days is None or days <= 0:
        print("error: give --days N (N > 0) or set HIPGUIDE_RETENTION_DAYS", file=sys.stderr)
        return 2
    print(f"deleted {purge(days)} conversations with no activity for {days:g} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
