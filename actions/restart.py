"""Starting again (Rasa's ``action_restart``, overridden): never by surprise in mid-intake.

A message read as "restart" in the middle of an intake or after an assessment may be a
misreading ("the second I landed off the box") or a slip, and restarting forgets everything
the person said. So the first "restart" asks for confirmation (a "Yes, start again" button,
or the same request again); the open question stays open, and any answer carries on.
With nothing to lose (no findings yet, no open form), it restarts at once.
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation_state import typed_intake_answer

CONFIRM_BUTTONS = [{"title": "Yes, start again", "payload": "/restart"}]


def nothing_to_lose(tracker: Tracker) -> bool:
    said = tracker.get_slot("findings") or tracker.get_slot("likely_conditions")
    return not tracker.active_loop_name and not said


class ActionRestart(Action):
    def name(self) -> str:
        return "action_restart"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if typed_intake_answer(tracker) is not None:
            return []  # an answer to the open question that read like "start again": the form takes it
        if tracker.get_slot("restart_pending") or nothing_to_lose(tracker):
            dispatcher.utter_message(response="utter_restarted")
            return [Restarted()]
        dispatcher.utter_message(response="utter_confirm_restart", buttons=CONFIRM_BUTTONS)
        return [SlotSet("restart_pending", True)]
