"""What is known about a person's pain: each finding is present, absent or unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import AbstractSet, Any, Dict, Iterable, Mapping


class FindingState(str, Enum):
    present = "present"
    absent = "absent"
    unknown = "unknown"  # asked, and the person is not sure; never evidence either way


Findings = Dict[str, FindingState]

# Stored in the age / duration slots when the person prefers not to say or is not sure.
AGE_NOT_GIVEN = -1.0
DURATION_NOT_GIVEN = -1.0


def parse_findings(raw: Mapping[str, str] | None) -> Findings:
    """Findings from their stored form (a slot's dict of id -> state), ignoring junk."""
    result: Findings = {}
    for key, value in (raw or {}).items():
        try:
            result[str(key)] = FindingState(value)
        except ValueError:
            continue
    return result


def merge(known: Findings, update: Mapping[str, FindingState]) -> Findings:
    """``known`` updated with newer statements; a later statement replaces an earlier one."""
    merged = dict(known)
    merged.update(update)
    return merged


# Findings that exclude each other: saying one is present makes the others absent.
EXCLUSIVE_GROUPS = (("sudden", "gradual"),)


def with_implications(findings: Findings) -> Findings:
    """``findings`` plus the absences implied by a present member of an exclusive group."""
    result = dict(findings)
    for group in EXCLUSIVE_GROUPS:
        present = [f for f in group if findings.get(f) == FindingState.present]
        if len(present) == 1:
            for other in group:
                if other != present[0]:
                    result.setdefault(other, FindingState.absent)
    return result


def derived_from_age(age: float | None) -> Findings:
    """Age-band findings (``age_under_16`` ...) for an age in years."""
    if age is None or age < 0:
        return {}
    bands = {
        "age_under_16": age < 16,
        "age_under_45": age < 45,
        "age_45_plus": age >= 45,
        "age_65_plus": age >= 65,
    }
    return {k: FindingState.present if v else FindingState.absent for k, v in bands.items()}


def derived_from_duration(days: float | None) -> Findings:
    if days is None or days < 0:
        return {}
    return {
        "duration_over_6_weeks": FindingState.present if days > 42 else FindingState.absent,
        "duration_over_3_months": FindingState.present if days > 90 else FindingState.absent,
    }


_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2, "last": 1, "past": 1,
    "few": 3, "several": 4, "fortnight": 1,
}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_DURATION = re.compile(
    r"\b(?:a\s+)?(?P<num>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|couple|few|several|last|past)\s*(?:of\s+)?(?P<unit>day|week|fortnight|month|year)s?\b(?![\s-]*(?:old|ago))",
    re.IGNORECASE,
)
# People a message may be about ("my mum is 82", "grandson, 9", "my son (13)").
_RELATIVES = (
    r"son|daughter|child|kid|boy|girl|teen|teenager|lad|lass|toddler|baby|grandson|granddaughter|"
    r"grandchild|nephew|niece|mum|mom|mother|mam|dad|father|husband|wife|partner|hubby|"
    r"gran|granny|grandma|grandmother|nan|nana|nanna|grandad|granddad|grandpa|grandfather|"
    r"aunt|auntie|uncle|brother|sister|friend|neighbour|neighbor|patient"
)
_AGE = re.compile(
    r"\b(?:i'?m|i am|im|aged?|age)\s+(?P<a>\d{1,3})\b(?!\s*(?:days?|weeks?|months?|%))"
    r"|\b(?P<b>\d{1,3})[\s-]*(?:years?|yrs?)[\s-]*old\b"
    r"|\b(?P<c>\d{1,3})\s*(?:y/o|yo|m|f|male|female)\b"
    r"|\b(?:he|she|they)(?:'s|\s+is|\s+are)\s+(?:only\s+|just\s+)?(?P<e>\d{1,2})\b(?!\s*(?:/|out of|%))"
    r"|\b(?:" + _RELATIVES + r")(?:'s|\s+is|\s+who\s+is|\s*,|\s*\(|\s+aged|\s+of)?\s*(?:aged\s+|only\s+|just\s+)?"
    r"(?P<f>\d{1,3})\b(?!\s*(?:/|out of|%|days?|d\b|weeks?|wks?|months?|mths?|mos?\b|hours?|hrs?|mins?|"
    r"minutes?|years? ago|yrs? ago|times?|miles?|km|k\b|kg|lbs?|stone|st\b|am\b|pm\b|mg|x\b))"
    r"|\b(?:woman|man|lady|guy|female|male|runner)\s+of\s+(?P<g>\d{1,3})\b"
    r"|^\s*(?P<d>\d{1,3})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    """A number found in text, with the span it came from."""

    value: float
    start: int
    end: int
    text: str


def find_duration(text: str) -> Quantity | None:
    """Days in phrases like "3 weeks", "a couple of months", "two days"; None if absent."""
    match = _DURATION.search(text or "")
    if not match:
        return None
    num_text = (match.group("num") or "1").lower()
    number = float(num_text) if num_text[0].isdigit() else float(_NUMBER_WORDS.get(num_text, 1))
    days = number * _UNIT_DAYS[match.group("unit").lower()]
    return Quantity(days, match.start(), match.end(), match.group(0).strip())


_SMALL_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                  "eighteen", "nineteen"]
# "my boy is eleven", "our daughter, fourteen,": children's ages are often written in words.
_AGE_IN_WORDS = re.compile(
    r"\b(?:" + _RELATIVES + r")(?:'s|\s+is|\s*,|\s*\(|\s+aged)\s*(?:only\s+|just\s+)?"
    r"(?P<w>" + "|".join(_SMALL_NUMBERS) + r")\b(?!\s*(?:days?|weeks?|months?|hours?|times?|miles?))",
    re.IGNORECASE,
)


def find_age(text: str) -> Quantity | None:
    """An age in years from "i'm 61", "52 years old", "aged 40", "34f", "my son (13)",
    "my boy is eleven" or a bare "61"."""
    for match in _AGE.finditer(text or ""):
        group = next(name for name in "abcdefg" if match.group(name) is not None)
        value = int(match.group(group))
        if 1 <= value <= 110:
            return Quantity(value, match.start(group), match.end(group), match.group(group))
    worded = _AGE_IN_WORDS.search(text or "")
    if worded:
        value = _SMALL_NUMBERS.index(worded.group("w").lower()) + 1
        return Quantity(value, worded.start("w"), worded.end("w"), worded.group("w"))
    return None


_SEVERITY_SCORE = re.compile(r"\b(?P<n>10|[0-9])(?:\.5)?\s*(?:/|out of|outta)\s*10\b", re.IGNORECASE)
_SEVERITY_WORDS = {
    "mild": "mild", "slight": "mild",
    "moderate": "moderate", "fairly bad": "moderate", "quite bad": "moderate",
    "severe": "severe", "agony": "severe", "agonising": "severe", "agonizing": "severe",
    "excruciating": "severe", "unbearable": "severe", "worst pain": "severe",
    "really bad": "severe", "very bad": "severe",
}
_SEVERITY_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _SEVERITY_WORDS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


def find_severity(text: str) -> Quantity | None:
    """Severity as "N/10" for a score, else mild | moderate | severe; value in ``text``."""
    match = _SEVERITY_SCORE.search(text or "")
    if match:
        score = match.group("n")
        return Quantity(float(score), match.start(), match.end(), f"{score}/10")
    match = _SEVERITY_WORD.search(text or "")
    if match:
        return Quantity(0.0, match.start(), match.end(), _SEVERITY_WORDS[match.group(1).lower()])
    return None


def parse_duration_days(text: str) -> float | None:
    found = find_duration(text)
    return found.value if found else None


def parse_age(text: str) -> int | None:
    found = find_age(text)
    return int(found.value) if found else None


FINDING_ENTITIES = {"body_location", "side", "onset", "symptom", "activity", "event", "risk_factor"}
ROLE_STATES = {None: FindingState.present, "negated": FindingState.absent,
               "uncertain": FindingState.unknown}


def findings_from_entities(entities: Iterable[Mapping[str, Any]],
                           known: AbstractSet[str] | None = None) -> Findings:
    """Findings stated in one message: plain mentions are present, negated ones absent.

    With ``known`` (the finding ids of the knowledge data), a value outside it is ignored:
    what is stored about a person is bounded by what the assistant knows about."""
    stated: Findings = {}
    for entity in entities:
        if entity.get("entity") not in FINDING_ENTITIES:
            continue
        state = ROLE_STATES.get(entity.get("role"))
        value = entity.get("value")
        if state is None or not isinstance(value, str) or (known is not None and value not in known):
            continue
        if stated.get(value) == FindingState.present and state != FindingState.present:
            continue  # "pain, but no pain at night": keep the affirmed mention
        stated[value] = state
    return stated
