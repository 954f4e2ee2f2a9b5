"""Red-flag advice from the Rasa server itself when the action server cannot answer.

``RemoteAction.run`` is wrapped: when the action server (or its database) cannot be reached or
fails, the Rasa server screens the person's latest message for red flags with the rules read
from the knowledge files (:mod:`hipguide.knowledge.offline`: no database, no action server),
gives their advice, then says "I can't look things up right now". Said once per turn, however
many actions fail. ``tests/e2e/test_zz_action_server_down.py`` checks it end to end.

Applied by :func:`hipguide_rasa.adaptations.apply`; on a Rasa version other than the pinned
one it refuses with :class:`hipguide_rasa.rasa_version.UnpinnedRasaError`: a safety answer
must not silently go missing.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.actions.action import RemoteAction

from hipguide_rasa.rasa_version import require_pinned_rasa

logger = logging.getLogger(__name__)

FEATURE = "the red-flag answer without the action server (hipguide_rasa.offline_safety_answer)"
_original_run = RemoteAction.run
UNAVAILABLE_RESPONSE = "utter_lookup_unavailable"
RED_FLAG_RESPONSE = "utter_red_flag"


async def _run_or_fall_back(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> Any:
    """Rasa's remote action; if the action server fails, answer from the Rasa server itself.

    Red flags in the person's latest message are screened here with the rules read from the
    knowledge files (no database, no action server) and their advice is given, followed by
    "I can't look things up right now". Said once per turn, however many actions fail.
    """
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except RasaException:
        logger.error("action server unavailable for %s: answering without it", self.name())
        return await fallback_events(nlg, tracker, output_channel.name())


async def fallback_events(nlg: Any, tracker: Any, channel: str) -> list:
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.events import BotUttered, UserUttered

    from hipguide.knowledge.offline import offline_red_flags
    from hipguide.reasoning.findings import findings_from_entities
    from hipguide.reasoning.triage import screen_red_flags

    unavailable = await nlg.generate(UNAVAILABLE_RESPONSE, tracker, channel)
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and unavailable and event.text == unavailable.get("text"):
            return []  # already said this turn
    flags = offline_red_flags()
    findings = findings_from_entities(tracker.latest_message.entities if tracker.latest_message else [])
    events = []
    for hit in screen_red_flags(flags.rules, findings):
        message = await nlg.generate(RED_FLAG_RESPONSE, tracker, channel, advice=flags.advice[hit.id])
        if message:
            events.append(create_bot_utterance(message))
    if unavailable:
        events.append(create_bot_utterance(unavailable))
    return events


def apply() -> None:
    """Wrap ``RemoteAction.run``; raises ``UnpinnedRasaError`` (Rasa unchanged) on another Rasa."""
    require_pinned_rasa(FEATURE)
    if RemoteAction.run is not _run_or_fall_back:
        RemoteAction.run = _run_or_fall_back
