"""The SQL tracker store configured from one environment variable.

``TRACKER_STORE_URL`` is an SQLAlchemy URL (``postgresql://user@host:5432/db``); unset, the
store is a SQLite file in var/, so ``rasa run`` works on a laptop with nothing installed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TRACKER_DB = PROJECT_ROOT / "var" / "tracker.db"


def tracker_store_url() -> str:
    return os.environ.get("TRACKER_STORE_URL") or f"sqlite:///{DEFAULT_TRACKER_DB}"


class EnvironmentSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, with its connection taken from ``TRACKER_STORE_URL``."""

    def __init__(self, domain: Domain | None = None, host: str | None = None,
                 event_broker: EventBroker | None = None, **kwargs: Any) -> None:
        url = make_url(tracker_store_url())
        dialect = url.drivername
        if dialect == "sqlite":
            Path(url.database or DEFAULT_TRACKER_DB).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=dialect,
            host=url.host,
            port=url.port,
            db=url.database or str(DEFAULT_TRACKER_DB),
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query) or None,
        )

    # ---- bounded storage (issue: one conversation must not fill the database) ----------

    def stored_events(self, sender_id: str) -> int:
        """How many events of ``sender_id`` are stored (all sessions)."""
        event = self.SQLEvent
        with self.session_scope() as session:
            return int(session.execute(select(func.count(event.id)).where(event.sender_id == sender_id)).scalar() or 0)

    def last_event_time(self, sender_id: str) -> float | None:
        event = self.SQLEvent
        with self.session_scope() as session:
            return session.execute(select(func.max(event.timestamp)).where(event.sender_id == sender_id)).scalar()

    def drop_earlier_sessions(self, sender_id: str) -> int:
        """Delete the events before ``sender_id``'s latest session; returns how many.

        Rasa reads only the latest session of a conversation: the earlier ones are history
        that nothing in the conversation uses any more."""
        event = self.SQLEvent
        with self.session_scope() as session:
            start = session.execute(select(func.max(event.timestamp)).where(
                event.sender_id == sender_id, event.type_name == SessionStarted.type_name)).scalar()
            if start is None:
                return 0
            deleted = session.execute(delete(event).where(event.sender_id == sender_id, event.timestamp < start))
            session.commit()
            return int(deleted.rowcount or 0)
