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

Applied by :func:`hipguide_rasa.adaptations.apply`; on a Rasa version other than the pinned
one it refuses with :class:`hipguide_rasa.rasa_version.UnpinnedRasaError`: these guards must
not silently go missing.
"""

from __future__ import annotations

import logging
import os
import time
from functools import lru_cache
from typing import Any

from hipguide.language.payloads import PayloadRules, vet
from hipguide_rasa.rasa_version import require_pinned_rasa

logger = logging.getLogger(__name__)

FEATURE = "the guard on every message: payloads, English only, conversation length (hipguide_rasa.inbound_guard)"

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


async def answered_here(agent: Any, message: Any) -> bool:
    """Vet ``message.text`` in place; True when the message was answered here (not in English,
    or its conversation is full) and Rasa must not interpret it. ``agent.domain`` is set."""
    from hipguide.language.detect import looks_english

    message.text = vet(message.text or "", payload_rules(agent.domain))
    if not looks_english(message.text):
        await _say(agent, message, ENGLISH_ONLY_RESPONSE)
        logger.info("a message not in English was answered with the English-only notice")
        return True
    if conversation_full(agent, message.sender_id):
        await _say(agent, message, FULL_RESPONSE)
        logger.warning("a conversation reached %d stored events: message not kept", max_events())
        return True
    return False


def install() -> None:
    """Wrap ``Agent.handle_message``; raises ``UnpinnedRasaError`` (Rasa unchanged) on another Rasa."""
    from rasa.core.agent import Agent

    require_pinned_rasa(FEATURE)
    original = Agent.handle_message
    if getattr(original, "_hipguide_inbound", False):
        return

    async def handle_message(self: Agent, message: Any) -> Any:
        if self.domain is not None and await answered_here(self, message):
            return None
        return await original(self, message)

    handle_message._hipguide_inbound = True  # type: ignore[attr-defined]
    Agent.handle_message = handle_message
