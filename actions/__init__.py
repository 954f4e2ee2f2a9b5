"""HipGuide's custom actions: thin adapters between Rasa and the :mod:`hipguide` domain layer.

Feature modules:
    knowledge_cache     lazy, cached access to the condition database
    conversation_state  what the tracker tells us (findings, answers)
    slot_extraction     findings, red flags and triage from every message
    intake              the intake form's validation
    followup            the follow-up questions asked one at a time
    assessment_reply    ``action_assess``: the likely causes, triage and what helps, as said
                        (the assessment itself is :mod:`hipguide.reasoning.assessment`)
    information         treatment and condition questions, "why do you ask?", summary
    restart             starting over, after a confirmation

Rasa SDK imports every module of this package (``rasa run actions`` walks it), so a new
action module needs no import here.
"""
