"""The SQL tracker store configured from one environment variable.

``TRACKER_STORE_URL`` is an SQLAlchemy URL (``postgresql://user@host:5432/db``); unset, the
store is a SQLite file in var/, so ``rasa run`` works on a laptop with nothing installed.

Rasa's SQL store rebuilds the conversation from its rows on every turn: it decodes every event
of the session and replays it, a cost that grows with the conversation (a third of a turn
after 40 turns). This store keeps the trackers it last saved or loaded in memory (the most
recent ``HIPGUIDE_KEPT_CONVERSATIONS``, 256 by default) and hands one back when the database
still holds exactly what it was built from: the same number of rows and the same highest row
id for that sender (one indexed query), and the tracker has not grown since. Anything else
(another server wrote to the conversation, events were deleted, a turn failed before saving)
reads the rows as Rasa does. A kept tracker is always one whose events are exactly what
Rasa's own ``retrieve`` would return (its latest session, starting at ``session_started``), so
what the policies and the action server see does not change.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Tuple

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

from hipguide.paths import PROJECT_ROOT
from hipguide_rasa.settings import whole_number

DEFAULT_TRACKER_DB = PROJECT_ROOT / "var" / "tracker.db"
# Rasa's ``events`` table, as Rasa itself declares it: the one description HipGuide uses
# (the privacy commands delete and rename rows of it, the review tool reads it).
EVENTS_TABLE = SQLTrackerStore.SQLEvent.__table__


DEFAULT_KEPT_CONVERSATIONS = 256


def tracker_store_url() -> str:
    return os.environ.get("TRACKER_STORE_URL") or f"sqlite:///{DEFAULT_TRACKER_DB}"


def kept_conversations() -> int:
    """How many trackers the store keeps in memory (``HIPGUIDE_KEPT_CONVERSATIONS``; 0: none)."""
    return whole_number("HIPGUIDE_KEPT_CONVERSATIONS", DEFAULT_KEPT_CONVERSATIONS)


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    length: int  # len(tracker.events) when kept: a tracker that grew since was not saved
    rows: Tuple[int, int | None]  # (number of rows, highest row id) of the sender then


def _is_one_session(tracker: DialogueStateTracker) -> bool:
    """True when the tracker holds what Rasa's ``retrieve`` reads back: one session, from its
    ``session_started`` on (a tracker new this turn also holds ``action_session_start``, and one
    whose session expired this turn also holds the old session)."""
    events = tracker.events
    if not events or not isinstance(events[0], SessionStarted):
        return False
    start = events[0].timestamp
    return all(not isinstance(event, SessionStarted) and event.timestamp >= start
               for event in list(events)[1:])


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
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._kept_limit = kept_conversations()

    # ---- trackers kept between turns --------------------------------------------------------

    def _rows(self, sender_id: str) -> Tuple[int, int | None]:
        event = self.SQLEvent
        with self.session_scope() as session:
            count, highest = session.execute(
                select(func.count(event.id), func.max(event.id)).where(event.sender_id == sender_id)).one()
        return int(count or 0), highest

    def _keep(self, tracker: DialogueStateTracker, rows: Tuple[int, int | None] | None = None) -> None:
        """Keep ``tracker`` (most recent last) with its sender's ``rows``, read when not known."""
        self._kept.pop(tracker.sender_id, None)
        if self._kept_limit == 0 or not _is_one_session(tracker):
            return
        self._kept[tracker.sender_id] = _Kept(tracker, len(tracker.events), rows or self._rows(tracker.sender_id))
        while len(self._kept) > self._kept_limit:
            self._kept.popitem(last=False)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        kept = self._kept.get(sender_id)
        if kept is not None:
            if len(kept.tracker.events) == kept.length and self._rows(sender_id) == kept.rows:
                self._kept.move_to_end(sender_id)
                return kept.tracker
            del self._kept[sender_id]
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._keep(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save; for a kept tracker whose rows are unchanged, the new events are known
        (those after the kept length) and written without Rasa's count of the session's rows,
        and the rows they make are counted as they are written."""
        kept = self._kept.get(tracker.sender_id)
        if kept is None or kept.tracker is not tracker or len(tracker.events) < kept.length \
                or self._rows(tracker.sender_id) != kept.rows:
            await super().save(tracker)
            self._keep(tracker)
            return
        await self.stream_events(tracker)
        rows = [self._row(tracker.sender_id, event) for event in list(tracker.events)[kept.length:]]
        with self.session_scope() as session:
            session.add_all(rows)
            session.flush()  # the rows get their ids
            highest = max([kept.rows[1] or 0, *(row.id for row in rows)]) or None
            session.commit()
        self._keep(tracker, (kept.rows[0] + len(rows), highest))

    def _row(self, sender_id: str, event: Any) -> Any:
        """One ``events`` row, made exactly as Rasa 3.6's ``SQLTrackerStore.save`` makes it."""
        data = event.as_dict()
        return self.SQLEvent(sender_id=sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                             intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                             action_name=data.get("name"), data=json.dumps(data))

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
