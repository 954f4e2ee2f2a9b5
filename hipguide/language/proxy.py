"""Who the patient is: the writer, or someone the writer describes ("my son (13) is limping").

A message that names a relative or friend as the one with the pain makes them the patient:
the questions then ask about them ("How old is your son?"). A message in which the writer
still speaks of their own body ("my wife says I walk funny", "my son and I run; my hip
hurts") keeps the writer as the patient.
"""

from __future__ import annotations

import re

RELATIONS = {
    "son": "son", "daughter": "daughter", "boy": "son", "girl": "daughter", "child": "child", "kid": "child",
    "teenager": "child", "toddler": "child", "baby": "child",
    "mum": "mum", "mom": "mum", "mother": "mother", "mam": "mum", "dad": "dad", "father": "father",
    "wife": "wife", "husband": "husband", "partner": "partner", "girlfriend": "partner", "boyfriend": "partner",
    "nan": "nan", "nana": "nan", "gran": "gran", "granny": "gran", "grandma": "grandmother",
    "grandmother": "grandmother", "grandad": "grandfather", "grandpa": "grandfather", "grandfather": "grandfather",
    "sister": "sister", "brother": "brother", "friend": "friend", "aunt": "aunt", "uncle": "uncle",
    "neighbour": "neighbour", "neighbor": "neighbour", "client": "client", "patient": "patient",
}
_RELATION = re.compile(
    r"\b(?:my|our)\s+(?:\(?\d{1,2}\)?\s*(?:-?\s*(?:year|yr)s?[\s-]*old\s+)?|little\s+|elderly\s+|old\s+|teenage\s+)?("
    + "|".join(sorted(RELATIONS, key=len, reverse=True)) + r")s?\b", re.IGNORECASE)
_WRITER_IS_PATIENT = re.compile(
    r"\b(?:says|thinks|told me|noticed|reckons|tells me)\s+(?:that\s+)?i\b"
    r"|\bmy\s+(?:hip|groin|leg|legs|back|knee|bum|buttock|thigh|side|pelvis|butt|glute)s?\b"
    r"|\b(?:i|i'?ve|i'?m|im)\s+(?:have|had|hurt|am|feel|can'?t|cannot|get|got|been|limp|fell|twisted|pulled)\b",
    re.IGNORECASE)


def patient_relation(text: str) -> str | None:
    """The relation of the patient to the writer ("son", "mum"), or None when it is the writer."""
    match = _RELATION.search(text or "")
    if not match:
        return None
    if _WRITER_IS_PATIENT.search(text[match.end():]) or _WRITER_IS_PATIENT.search(text[:match.start()]):
        return None
    return RELATIONS[match.group(1).lower()]
