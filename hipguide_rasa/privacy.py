"""Deleting conversations: one person's on request, and everyone's past the retention period.

``python -m hipguide_rasa.privacy delete <conversation id>`` removes every stored event of
one conversation; ``python -m hipguide_rasa.privacy purge [--days N]`` removes conversations
whose last event is older than N days (default ``HIPGUIDE_RETENTION_DAYS``, itself 90 unless
set; ``off`` keeps everything). Both work on the tracker store named by
``TRACKER_STORE_URL`` (Rasa's ``events`` table), SQLite or PostgreSQL.

``python -m hipguide_rasa.privacy migrate-ids`` is the one-off cut-over to per-channel id
spaces: a conversation stored under the platform's bare id (``+447700900123``) is renamed
to its channel's id (``sms:+447700900123``), the channel read from its first message.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Dict, Sequence

from sqlalchemy import create_engine, delete, func, inspect, select, update
from sqlalchemy.engine import Engine

from hipguide_rasa.tracker_store import EVENTS_TABLE as EVENTS
from hipguide_rasa.tracker_store import tracker_store_url

SECONDS_PER_DAY = 86400.0


DEFAULT_RETENTION_DAYS = 90.0


def retention_days(environ: dict | None = None) -> float | None:
    """``HIPGUIDE_RETENTION_DAYS`` as a positive number: 90 when unset, None for ``off``."""
    value = (os.environ if environ is None else environ).get("HIPGUIDE_RETENTION_DAYS", "").strip()
    if not value:
        return DEFAULT_RETENTION_DAYS
    if value.lower() == "off":
        return None
    days = float(value)
    if days <= 0:
        raise ValueError("HIPGUIDE_RETENTION_DAYS must be a positive number of days")
    return days


def _engine(url: str | None) -> Engine:
    return create_engine(url or tracker_store_url(), future=True)


def _has_events(engine: Engine) -> bool:
    return inspect(engine).has_table(EVENTS.name)


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


def migrate_ids(url: str | None = None) -> Dict[str, int]:
    """Rename conversations stored under a bare platform id to their channel's id space.

    Returns counts: ``renamed``, ``already`` (had a prefix), ``unknown`` (no message from a
    known channel: left as they are) and ``clash`` (the new id is taken: left as they are)."""
    from hipguide_rasa.channels.common import CHANNEL_PREFIXES, conversation_id

    prefixes = set(CHANNEL_PREFIXES.values())
    counts = {"renamed": 0, "already": 0, "unknown": 0, "clash": 0}
    engine = _engine(url)
    try:
        if not _has_events(engine):
            return counts
        with engine.begin() as connection:
            senders = [row[0] for row in connection.execute(select(EVENTS.c.sender_id).distinct())]
            for sender in senders:
                if sender.partition(":")[0] in prefixes and ":" in sender:
                    counts["already"] += 1
                    continue
                first = connection.execute(
                    select(EVENTS.c.data).where(EVENTS.c.sender_id == sender, EVENTS.c.type_name == "user")
                    .order_by(EVENTS.c.id).limit(1)).scalar()
                try:
                    channel = json.loads(first or "{}").get("input_channel")
                except ValueError:
                    channel = None
                if channel not in CHANNEL_PREFIXES:
                    counts["unknown"] += 1
                    continue
                new = conversation_id(channel, sender)
                taken = connection.execute(select(func.count()).select_from(EVENTS)
                                           .where(EVENTS.c.sender_id == new)).scalar()
                if taken:
                    counts["clash"] += 1
                    continue
                connection.execute(update(EVENTS).where(EVENTS.c.sender_id == sender).values(sender_id=new))
                counts["renamed"] += 1
        return counts
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Delete stored conversations (TRACKER_STORE_URL).")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("delete", help="delete one person's conversation")
    one.add_argument("sender_id")
    commands.add_parser("migrate-ids", help="move conversations stored under bare platform ids to their channel's ids")
    old = commands.add_parser("purge", help="delete conversations older than the retention period")
    old.add_argument("--days", type=float, help="default: HIPGUIDE_RETENTION_DAYS")
    args = parser.parse_args(argv)
    if args.command == "delete":
        print(f"deleted {delete_conversation(args.sender_id)} events of that conversation")
        return 0
    if args.command == "migrate-ids":
        counts = migrate_ids()
        print("conversations: {renamed} renamed, {already} already in their channel's id space, "
              "{unknown} from no known channel (left), {clash} whose new id was taken (left)".format(**counts))
        return 0
    try:
        days = args.days if args.days is not None else retention_days()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if days is None or days <= 0:
        print("error: retention is off (HIPGUIDE_RETENTION_DAYS=off): give --days N (N > 0)", file=sys.stderr)
        return 2
    print(f"deleted {purge(days)} conversations with no activity for {days:g} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
