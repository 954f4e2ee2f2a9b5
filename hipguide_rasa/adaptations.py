"""Every change HipGuide makes to Rasa's own code, applied in one place.

:func:`apply` runs when :mod:`hipguide_rasa` is imported, which the Rasa server does for
HipGuide's channels, tracker store, lock store and NLU component (credentials.yml,
endpoints.yml, config.yml), so the server never runs without them. Each adaptation is a
module named by what it does and checks the Rasa version itself
(:mod:`hipguide_rasa.rasa_version`): the safety ones refuse to start on another Rasa, the
speed-ups leave Rasa's own code in place with a warning.
"""

from __future__ import annotations

from hipguide_rasa import action_result_validation, offline_safety_answer


def apply() -> None:
    from hipguide_rasa import action_session, inbound_guard, policy_cache, tracker_caches

    action_result_validation.apply()  # speed-up: one validator, built once (same verdicts)
    offline_safety_answer.apply()  # safety: red-flag advice when the action server is down
    action_session.install()  # speed-up: one kept-alive HTTP session for action calls
    tracker_caches.install()  # speed-up: a long conversation's history replayed once per turn, not ten times
    policy_cache.install()  # speed-up: TED's answer for a dialogue state it has seen

    inbound_guard.install()  # safety: the English-only guard, payload vetting and the conversation length limit
