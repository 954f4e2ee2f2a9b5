"""Read stored conversations straight from the SQL tracker store's ``events`` table.

Works on any database Rasa's ``SQLTrackerStore`` writes to (the SQLite file of a laptop
install, PostgreSQL in production). Read-only: nothing here writes or deletes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, Iterator, List

from sqlalchemy import MetaData, Table, create_engine, func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import NoSuchTableError, OperationalError

from hipguide.knowledge.session import redact
from hipguide_rasa.log_redaction import conversation_label
from hipguide_rasa.tracker_store import EVENTS_TABLE, tracker_store_url

__all__ = ["ConversationStore", "StoreError", "StoredConversation", "conversation_label"]


class StoreError(Exception):
    """The tracker store cannot be read (a wrong URL, no database, no events table)."""


@dataclass(frozen=True)
class StoredConversation:
    sender_id: str
    events: List[Dict[str, Any]]


class ConversationStore:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or tracker_store_url()
        parsed = make_url(self.url)
        if parsed.drivername.startswith("sqlite") and parsed.database and not Path(parsed.database).exists():
            # SQLite would create an empty file; a review tool must not change anything
            raise StoreError(f"{parsed.database} does not exist: no conversation was stored there yet "
                             "(set TRACKER_STORE_URL or --db to the assistant's tracker store)")
        self._engine: Engine = create_engine(self.url)
        try:
            self._events = Table(EVENTS_TABLE.name, MetaData(), autoload_with=self._engine)
        except NoSuchTableError as error:
            raise StoreError(f"{redact(self.url)} has no 'events' table: "
                             "no conversation was ever stored there") from error
        except OperationalError as error:
            raise StoreError(f"cannot open the tracker store {redact(self.url)}: {error.orig}") from error

    def sender_ids(self, since: datetime | None = None, until: datetime | None = None) -> List[str]:
        """Conversations with any event in [since, until], most recent first."""
        table = self._events
        query = select(table.c.sender_id, func.max(table.c.timestamp).label("last"))
        if since is not None:
            query = query.where(table.c.timestamp >= since.timestamp())
        if until is not None:
            query = query.where(table.c.timestamp <= until.timestamp())
        query = query.group_by(table.c.sender_id).order_by(func.max(table.c.timestamp).desc())
        with self._engine.connect() as connection:
            return [row.sender_id for row in connection.execute(query)]

    def conversation(self, sender_id: str) -> StoredConversation | None:
        table = self._events
        query = select(table.c.data).where(table.c.sender_id == sender_id).order_by(table.c.id)
        with self._engine.connect() as connection:
            events = [json.loads(row.data) for row in connection.execute(query)]
        return StoredConversation(sender_id, events) if events else None

    def named(self, name: str, prefixes: bool = True) -> StoredConversation:
        """The conversation ``list`` calls ``name``; with ``prefixes``, the first characters of
        that name or of a sender id are enough. LookupError when none or several match."""
        if prefixes:
            matches = [s for s in self.sender_ids() if conversation_label(s).startswith(name)]
            if not matches:
                table = self._events
                query = (select(table.c.sender_id).where(table.c.sender_id.startswith(name, autoescape=True))
                         .distinct())
                with self._engine.connect() as connection:
                    matches = sorted(row.sender_id for row in connection.execute(query))
        else:
            matches = [s for s in self.sender_ids() if conversation_label(s) == name]
        if not matches:
            raise LookupError(f"no conversation named '{name}' in the tracker store")
        if len(matches) > 1:
            raise LookupError(f"'{name}' matches {len(matches)} conversations: type more characters")
        conversation = self.conversation(matches[0])
        if conversation is None:
            raise LookupError(f"no conversation named '{name}' in the tracker store")
        return conversation

    def conversations(self, since: datetime | None = None,
                      until: datetime | None = None) -> Iterator[StoredConversation]:
        for sender_id in self.sender_ids(since, until):
            conversation = self.conversation(sender_id)
            if conversation is not None:
                yield conversation
