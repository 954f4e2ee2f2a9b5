"""Conversation locks that hand over as soon as the message before finishes.

Rasa serialises the messages of one conversation with a ticket lock. Its waiting loop
sleeps a whole second between looks (``wait_time_in_seconds=1`` in
``rasa/core/lock_store.py``, and ``Agent.handle_message`` never passes another value), so
a second message sent while the first is being answered waits up to a second, and twenty
quick messages take twenty seconds to drain although a turn takes well under 100 ms.

- :class:`PromptInMemoryLockStore` (the default, one Rasa process): a waiting message is
  woken the moment the lock is released; the one-second look stays only as a safety net
  for expired tickets.
- :class:`PromptRedisLockStore` (``LOCK_STORE_URL``, several Rasa processes): the lock
  lives in Redis and another process may release it, so the waiting loop looks every
  ``poll_seconds`` (20 ms: one Redis GET) instead of every second.

Configured in endpoints.yml as ``lock_store: type: hipguide_rasa.lock_store.<class>``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Dict

from rasa.core.lock import TicketLock
from rasa.core.lock_store import InMemoryLockStore, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

SAFETY_NET_SECONDS = 1.0
REDIS_POLL_SECONDS = 0.02


class PromptInMemoryLockStore(InMemoryLockStore):
    """In-memory ticket locks that wake the next message when the lock is released."""

    def __init__(self, endpoint_config: EndpointConfig | None = None) -> None:
        super().__init__()
        self._released: Dict[str, asyncio.Event] = {}

    async def _acquire_lock(self, conversation_id: str, ticket: int,
                            wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            if not lock.is_locked(ticket):
                return lock
            # No await between the look above and taking the event: a release cannot slip in.
            released = self._released.setdefault(conversation_id, asyncio.Event())
            # on time-out, an expired ticket ahead of us is removed below
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(released.wait(), timeout=SAFETY_NET_SECONDS)
            self.update_lock(conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        super().cleanup(conversation_id, ticket_number)
        released = self._released.pop(conversation_id, None)
        if released is not None:
            released.set()  # everyone waiting looks again; the next ticket goes ahead


class PromptRedisLockStore(RedisLockStore):
    """Redis ticket locks, looked at every 20 ms instead of every second."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        kwargs: Dict[str, Any] = dict(endpoint_config.kwargs)
        self.poll_seconds = float(kwargs.pop("poll_seconds", REDIS_POLL_SECONDS))
        super().__init__(host=endpoint_config.url or "localhost", **kwargs)

    async def _acquire_lock(self, conversation_id: str, ticket: int,
                            wait_time_in_seconds: float) -> TicketLock:
        return await super()._acquire_lock(conversation_id, ticket,
                                           min(wait_time_in_seconds, self.poll_seconds))
