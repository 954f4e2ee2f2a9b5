"""Every person's message, before Rasa interprets it (a wrapper of ``Agent.handle_message``).

* A payload (``/intent{...}``) is accepted only when one of HipGuide's own buttons could have
  sent it (``hipguide.language.payloads``); any other message starting with ``/`` is read as
  the words it contains. Invented values never become findings, and Rasa never logs the
  message in its "Failed to parse arguments in line ..." warning.
* A message clearly not in English gets the English-only notice (the domain's
  ``utter_english_only``) and is not interpreted: nothing is stored or guessed.
* A conversation holds at most ``HIPGUIDE_MAX_EVENTS`` stored events (default 5000, some
  250 turns). Past that its earlier sessions are deleted; if the current session alone is
  too long, the person gets ``utter_conversation_full`` (which still says when to call the
  emergency number) until the session expires and a new one starts.
"""

from __future__ import annotations

import logging
import os
import time
from functools import lru_cache
from typing import Any

from hipguide.language.payloads import PayloadRules, vet

logger = logging.getLogger(__name__)

ENGLISH_ONLY_RESPONSE = "utter_english_only"
FULL_RESPONSE = "utter_conversation_full"
DEFAULT_MAX_EVENTS = 5000


def max_events() -> int:
    value = os.environ.get("HIPGUIDE_MAX_EVENTS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_EVENTS


@lru_cache(maxsize=4)
def _canonical_values() -> Any:
    from hipguide.knowledge.loader import load_knowledge
    from hipguide.language.vocabulary import canonical_values

    return canonical_values(load_knowledge())


def payload_rules(domain: Any) -> PayloadRules:
    return PayloadRules(intents=frozenset(domain.intents), values=_canonical_values())


async def _say(agent: Any, message: Any, response: str) -> None:
    variations = agent.domain.responses.get(response) or []
    if variations and message.output_channel is not None:
        await message.output_channel.send_response(message.sender_id, {"text": variations[0]["text"]})


def conversation_full(agent: Any, sender_id: str) -> bool:
    """True when ``sender_id`` may not add to its conversation now (see the module doc)."""
    store: Any = getattr(agent, "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa 3.6 wraps it in AwaitableTrackerStore
    if not hasattr(store, "stored_events"):
        return False  # only the SQL store is bounded here
    limit = max_events()
    if store.stored_events(sender_id) < limit:
        return False
    dropped = store.drop_earlier_sessions(sender_id)
    if dropped:
        logger.info("a long conversation: %d events of its earlier sessions deleted", dropped)
        if store.stored_events(sender_id) < limit:
            return False
    expiry_minutes = float(getattr(agent.domain.session_config, "session_expiration_time", 0) or 0)
    last = store.last_event_time(sender_id) or 0.0
    return not (expiry_minutes and time.time() - last > expiry_minutes * 60)  # a new session may start


def install() -> None:
    from rasa.core.agent import Agent

    original = Agent.handle_message
    if getattr(original, "_hipguide_inbound", False):
        return

    async def handle_message(self: Agent, message: Any) -> Any:
        from hipguide.language.detect import looks_english

        if self.domain is None:
            return await original(self, message)
        message.text = vet(message.text or "", payload_rules(self.domain))
        if not looks_english(message.text):
            await _say(self, message, ENGLISH_ONLY_RESPONSE)
            logger.info("a message not in English was answered with the English-only notice")
            return None
        if conversation_full(self, message.sender_id):
            await _say(self, message, FULL_RESPONSE)
            logger.warning("a conversation reached %d stored events: message not kept", max_events())
            return None
        return await original(self, message)

    handle_message._hipguide_inbound = True  # type: ignore[attr-defined]
    Agent.handle_message = handle_message
