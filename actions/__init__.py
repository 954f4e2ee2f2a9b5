"""HipGuide's custom actions: thin adapters between Rasa and the :mod:`hipguide` domain layer.

Feature modules:
    knowledge         lazy, cached access to the condition database
    conversation_state  what the tracker tells us (findings, answers)
    slot_extraction   findings, red flags and triage from every message
    intake            the intake form's validation
    assessment        the likely causes, triage and what helps
    information       treatment and condition questions, "why do you ask?", summary
"""
