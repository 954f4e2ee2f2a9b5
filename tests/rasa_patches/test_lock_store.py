"""Conversation locks: twenty quick messages from one person drain at processing speed.

Rasa's own lock store looks once a second, so a second message waits up to a second;
HipGuide's wakes the next message when the lock is released (in memory) or looks every
20 ms (Redis)."""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import uuid
from typing import List, Tuple

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import EndpointConfig

from hipguide_rasa.lock_store import PromptInMemoryLockStore, PromptRedisLockStore

TURN_SECONDS = 0.01  # what each message "takes" while it holds the lock


async def _burst(store: LockStore, messages: int = 20) -> Tuple[List[int], float]:
    """``messages`` turns of one conversation started at once: (order served, seconds)."""
    conversation, served = f"sms:{uuid.uuid4().hex}", []

    async def turn(n: int) -> None:
        async with store.lock(conversation):  # exactly how Agent.handle_message locks
            served.append(n)
            await asyncio.sleep(TURN_SECONDS)

    started = time.perf_counter()
    tasks = []
    for n in range(messages):
        tasks.append(asyncio.create_task(turn(n)))
        await asyncio.sleep(0)  # each task takes its ticket before the next one starts
    await asyncio.gather(*tasks)
    return served, time.perf_counter() - started


def test_rasas_own_lock_store_makes_a_second_message_wait_a_second() -> None:
    served, seconds = asyncio.run(_burst(InMemoryLockStore(), messages=3))
    assert served == [0, 1, 2]
    assert seconds >= 1.9  # the defect this module exists for


def test_twenty_messages_drain_at_processing_speed_in_order() -> None:
    served, seconds = asyncio.run(_burst(PromptInMemoryLockStore()))
    assert served == list(range(20))
    assert seconds < 20 * TURN_SECONDS + 0.5, f"took {seconds:.2f} s"


def test_the_lock_is_removed_when_nobody_waits() -> None:
    store = PromptInMemoryLockStore()
    asyncio.run(_burst(store, messages=5))
    assert store.conversation_locks == {} and store._released == {}


def test_a_failing_turn_still_hands_the_lock_on() -> None:
    store, conversation = PromptInMemoryLockStore(), "rest:someone"

    async def failing() -> None:
        async with store.lock(conversation):
            await asyncio.sleep(TURN_SECONDS)
            raise RuntimeError("the turn failed")

    async def next_turn() -> float:
        started = time.perf_counter()
        async with store.lock(conversation):
            return time.perf_counter() - started

    async def both() -> float:
        first = asyncio.create_task(failing())
        await asyncio.sleep(0)
        second = asyncio.create_task(next_turn())
        with pytest.raises(RuntimeError):
            await first
        return await second

    assert asyncio.run(both()) < 0.5


def test_endpoints_yml_selects_the_prompt_stores(redis_url: str) -> None:
    assert isinstance(LockStore.create(EndpointConfig(type="hipguide_rasa.lock_store.PromptInMemoryLockStore")),
                      PromptInMemoryLockStore)
    redis = urllib.parse.urlsplit(redis_url)
    store = LockStore.create(EndpointConfig(url=redis.hostname, type="hipguide_rasa.lock_store.PromptRedisLockStore",
                                            port=redis.port or 6379, db=0, key_prefix="hipguide"))
    assert isinstance(store, PromptRedisLockStore)


def test_redis_locks_drain_at_processing_speed_in_order(redis_url: str) -> None:
    redis = urllib.parse.urlsplit(redis_url)
    store = PromptRedisLockStore(EndpointConfig(url=redis.hostname, port=redis.port or 6379,
                                                db=int(redis.path.strip("/") or 0), key_prefix="hipguide"))
    served, seconds = asyncio.run(_burst(store))
    assert served == list(range(20))
    # one look every 20 ms: at most about one poll interval of delay per message
    assert seconds < 20 * (TURN_SECONDS + 2 * store.poll_seconds) + 0.5, f"took {seconds:.2f} s"
