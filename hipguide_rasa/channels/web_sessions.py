"""What the web chat's socket.io channel keeps about its sessions: which ids it issued, and
how fast each connection and each address may send.

Issued session ids are kept (as SHA-256 hashes, never the ids themselves) in a table of the
tracker store's database, so several Rasa servers sharing that database agree on them. A
session id the server did not issue is never joined: the page gets a new one.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict

from sqlalchemy import Column, Float, MetaData, String, Table, create_engine, delete, insert, select
from sqlalchemy.engine import Engine

from hipguide_rasa.tracker_store import tracker_store_url

SESSIONS = Table("hipguide_web_sessions", MetaData(),
                 Column("id_hash", String(64), primary_key=True), Column("issued", Float, nullable=False))


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionRegistry:
    """Issued web session ids, in the tracker store's database (``TRACKER_STORE_URL``)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or tracker_store_url()
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = create_engine(self.url, future=True, pool_pre_ping=True)
                SESSIONS.create(self._engine, checkfirst=True)
            return self._engine

    def issue(self) -> str:
        session_id = uuid.uuid4().hex
        with self.engine.begin() as connection:
            connection.execute(insert(SESSIONS).values(id_hash=_hash(session_id), issued=time.time()))
        return session_id

    def issued(self, session_id: str) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(
                select(SESSIONS.c.id_hash).where(SESSIONS.c.id_hash == _hash(session_id))).first() is not None

    def forget_older_than(self, days: float, now: float | None = None) -> int:
        cutoff = (now if now is not None else time.time()) - days * 86400.0
        with self.engine.begin() as connection:
            return int(connection.execute(delete(SESSIONS).where(SESSIONS.c.issued < cutoff)).rowcount or 0)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


@dataclass
class Bucket:
    """A token bucket: ``capacity`` at once, refilled at ``rate`` per second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if self.tokens < 0:
            self.tokens = self.capacity
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class RateLimits:
    """Messages per connection and per address, and open connections per address.

    The defaults let a person type and press buttons as fast as anyone does (a burst of 8,
    then one message every 2 s) while one address cannot flood the server."""

    per_connection: tuple = (8, 0.5)
    per_address: tuple = (30, 1.0)
    connections_per_address: int = 20
    _connections: Dict[str, Bucket] = field(default_factory=dict)
    _addresses: Dict[str, Bucket] = field(default_factory=dict)
    _open: Dict[str, int] = field(default_factory=dict)

    def connect(self, address: str) -> bool:
        if self._open.get(address, 0) >= self.connections_per_address:
            return False
        self._open[address] = self._open.get(address, 0) + 1
        return True

    def disconnect(self, sid: str, address: str) -> None:
        self._connections.pop(sid, None)
        left = self._open.get(address, 1) - 1
        if left > 0:
            self._open[address] = left
        else:
            self._open.pop(address, None)
            self._addresses.pop(address, None)

    def allow(self, sid: str, address: str) -> bool:
        connection = self._connections.setdefault(sid, Bucket(*self.per_connection))
        by_address = self._addresses.setdefault(address, Bucket(*self.per_address))
        return connection.take() and by_address.take()
