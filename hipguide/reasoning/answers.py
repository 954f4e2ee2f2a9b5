"""Typed answers read in the context of the question they answer.

Every intake question expects one kind of answer (a number of years, a duration, an onset,
a side, a place, what makes it worse) and every follow-up question expects yes / no / not
sure about one finding. People answer in their own words: "52.", "fifty-two", "mid fifties",
"a fortnight", "since Sunday", "all at once when I landed", "only when I lie on that side".
The readers here take the text (and the findings the message states, when the caller has
them) and return what the answer says, or ``None`` when it says nothing readable, so the
caller can ask once more with an example and then go on.

Pure Python: no Rasa, no spaCy. ``today`` is a parameter so that "since Sunday" is testable.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Mapping

from hipguide.reasoning.findings import FindingState, find_age, find_duration

# ---- words ---------------------------------------------------------------------------------

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_DECADES = {"teens": 10, "twenties": 20, "thirties": 30, "forties": 40, "fourties": 40, "fifties": 50,
            "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90}
_DECADE_NUMBER = re.compile(r"\b([1-9])0\s*'?s\b")
_WORD_NUMBER = re.compile(
    r"\b(" + "|".join(_TENS) + r")(?:[\s-]+(" + "|".join(k for k in _UNITS if _UNITS[k] < 10) + r"))?\b"
    r"|\b(" + "|".join(_UNITS) + r")\b")


def words_to_number(text: str) -> int | None:
    """The first number written in words ("fifty-two" -> 52, "seventeen" -> 17)."""
    match = _WORD_NUMBER.search(text.lower())
    if not match:
        return None
    if match.group(1):
        return _TENS[match.group(1)] + (_UNITS[match.group(2)] if match.group(2) else 0)
    return _UNITS[match.group(3)]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").lower().replace("\u2019", "'")).strip()


# ---- not given -----------------------------------------------------------------------------

_NOT_SURE = re.compile(
    r"\b(not sure|unsure|no idea|dunno|don'?t know|do not know|can'?t remember|cannot remember|"
    r"can'?t say|hard to say|no clue|not certain|can'?t tell|cannot tell|don'?t remember|idk|"
    r"don'?t recall|not really sure)\b")
_DECLINE = re.compile(r"\b(rather not|prefer not|won'?t say|not telling|mind your own|skip|pass)\b")


def not_given(text: str) -> bool:
    """The person does not know or would rather not say."""
    cleaned = _clean(text)
    return bool(_NOT_SURE.search(cleaned) or _DECLINE.search(cleaned))


# ---- age -----------------------------------------------------------------------------------

_BARE_NUMBER = re.compile(r"^\D{0,12}?(\d{1,3})(?:\s*(?:y|yo|yrs?|years?)\b)?\W*$")
_AROUND = {"early": 2, "mid": 5, "middle": 5, "late": 8}
_DECADE_WORDS = re.compile(r"\b(?:(early|mid|middle|late)[\s-]*)?(" + "|".join(_DECADES) + r")\b")
_NOT_AN_AGE = re.compile(r"\d\s*(?:days?|weeks?|wks?|months?|/\s*10|out of|percent|%|km|k\b|miles?|times?|hours?|hrs?)")


def read_age(text: str) -> float | None:
    """Years from an answer to "How old are you?" (a bare number is the age)."""
    cleaned = _clean(text)
    found = find_age(cleaned)
    if found is not None:
        return float(found.value)
    if _NOT_AN_AGE.search(cleaned):
        return None
    bare = _BARE_NUMBER.match(cleaned)
    if bare and 1 <= int(bare.group(1)) <= 110:
        return float(bare.group(1))
    decade = _DECADE_WORDS.search(cleaned)
    if decade:
        return float(_DECADES[decade.group(2)] + _AROUND.get(decade.group(1) or "mid", 5))
    numeric_decade = _DECADE_NUMBER.search(cleaned)
    if numeric_decade:
        around = re.search(r"\b(early|mid|middle|late)[\s-]*" + numeric_decade.group(0), cleaned)
        return float(int(numeric_decade.group(1)) * 10 + _AROUND.get(around.group(1) if around else "mid", 5))
    number = words_to_number(cleaned)
    if number is not None and 1 <= number <= 110:
        return float(number)
    digits = re.search(r"\b(\d{1,3})\b", cleaned)
    if digits and 1 <= int(digits.group(1)) <= 110 and len(cleaned) <= 40:
        return float(digits.group(1))
    return None


# ---- duration ------------------------------------------------------------------------------

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]
_VAGUE_DURATIONS = (
    (re.compile(r"\b(an? |about an? |half an? )?(hour|hours|minutes?|mins?)\b"), 0.1),
    (re.compile(r"\b(this morning|this afternoon|this evening|today|tonight|just now|earlier today)\b"), 0.5),
    (re.compile(r"\b(yesterday|last night|overnight)\b"), 1.0),
    (re.compile(r"\b(couple|two) of days\b|\bcouple days\b"), 2.0),
    (re.compile(r"\b(few days|several days|some days|the weekend|last weekend)\b"), 3.0),
    (re.compile(r"\b(a week|last week|one week|past week|this week)\b"), 7.0),
    (re.compile(r"\b(fortnight|couple of weeks|couple weeks|two weeks)\b"), 14.0),
    (re.compile(r"\b(few weeks|several weeks|some weeks)\b"), 21.0),
    (re.compile(r"\b(a month|last month|one month|past month)\b"), 30.0),
    (re.compile(r"\b(couple of months|couple months)\b"), 60.0),
    (re.compile(r"\b(few months|several months|some months)\b"), 90.0),
    (re.compile(r"\b(half a year|six months)\b"), 182.0),
    (re.compile(r"\b(a year|last year|one year|past year|over a year|a yr)\b"), 365.0),
    (re.compile(r"\b(years|ages|forever|as long as i can remember|donkey'?s years|decades?)\b"), 730.0),
    (re.compile(r"\b(long time|long while|a while|ages)\b"), 120.0),
)
_UNIT_ABBREVIATIONS = ((r"\bwks?\b", "weeks"), (r"\bmths?\b|\bmos?\b|\bmnths?\b", "months"),
                       (r"\byrs?\b", "years"), (r"\bdys?\b", "days"), (r"\b(\d+)\s*w\b", r"\1 weeks"),
                       (r"\b(\d+)\s*d\b", r"\1 days"), (r"\b(\d+)\s*m\b", r"\1 months"))


def read_duration(text: str, today: date | None = None) -> float | None:
    """Days from an answer to "How long has it been going on?"."""
    cleaned = _clean(text)
    for pattern, replacement in _UNIT_ABBREVIATIONS:
        cleaned = re.sub(pattern, replacement, cleaned)
    cleaned = re.sub(r"\bago\b", " ", cleaned)  # "3 weeks ago" answers "how long" with 3 weeks
    found = find_duration(cleaned)
    if found is not None:
        return found.value
    today = today or date.today()
    since = re.search(r"\bsince (?:last )?(" + "|".join(_WEEKDAYS) + r")\b", cleaned)
    if since:
        back = (today.weekday() - _WEEKDAYS.index(since.group(1))) % 7 or 7
        return float(back)
    month = re.search(r"\b(?:since|in|back in|from|start of|end of) (?:early |late |mid )?(" + "|".join(_MONTHS)
                      + r")\b", cleaned)
    if month:
        months_back = (today.month - 1 - _MONTHS.index(month.group(1))) % 12 or 12
        return float(months_back * 30)
    if re.search(r"\b(since )?(christmas|xmas)\b", cleaned):
        return float((today - date(today.year - (today.month < 12 or today.day < 25), 12, 25)).days)
    for vague, days in _VAGUE_DURATIONS:
        if vague.search(cleaned):
            return days
    return None  # a bare number ("six") has no unit: ask again


# ---- onset ---------------------------------------------------------------------------------

_SUDDEN = re.compile(
    r"\b(sudden(?:ly)?|all of a sudden|all at once|at once|out of nowhere|out of the blue|"
    r"straight away|straightaway|right away|instantly|immediately|in an instant|quick(?:ly)?|fast|"
    r"the (?:second|moment|minute|instant) i|as soon as i|when i (?:landed|fell|slipped|twisted|felt|"
    r"stepped|jumped|kicked|sprinted|turned|tripped|went over)|snap(?:ped)?|pop(?:ped)?|"
    r"overnight|one day|mid[- ]?run|during a (?:run|race|game|match|session)|just happened|bang|"
    r"felt (?:a|something) (?:go|tear|pull|twang|ping)|in a (?:split )?second|at one moment|in a flash|"
    r"sud+en+ly|sudenly|suddently)\b")
_GRADUAL = re.compile(
    r"\b(gradual(?:ly)?|slow(?:ly)?|crept|creeping|creep|built up|building up|build up|came on over|"
    r"over (?:time|the|a few|several|a couple|weeks|months|days)|bit by bit|little by little|"
    r"worse and worse|getting worse|got worse|steadily|progressive(?:ly)?|niggl\w*|gradually|"
    r"over a (?:week|month|year)|for a while|came on slowly|on and off|comes and goes|sneaked up|snuck up|"
    r"no (?:particular|specific) (?:moment|time|injury)|can'?t pinpoint|can'?t point to|"
    r"gradu\w*|gradal\w*|grad+ual+y)\b")


def read_onset(text: str) -> str | None:
    """``sudden`` or ``gradual`` from an answer to "How did it start?"."""
    cleaned = _clean(text)
    gradual = _GRADUAL.search(cleaned)
    sudden = _SUDDEN.search(cleaned)
    if gradual and not sudden:
        return "gradual"
    if sudden and not gradual:
        return "sudden"
    if sudden and gradual:
        return "gradual" if gradual.start() < sudden.start() else "sudden"
    return None


# ---- what makes it worse -------------------------------------------------------------------

NOTHING_WORSE = "nothing in particular"
_NOTHING = re.compile(r"\b(nothing|not really anything|not anything|no particular|nothing in particular|"
                      r"nothing specific|everything|all the time|constant(?:ly)?|it just hurts|no pattern)\b")


def read_aggravating(text: str) -> str | None:
    """``nothing in particular`` for "nothing really" / "it just hurts"; activities come as entities."""
    return NOTHING_WORSE if _NOTHING.search(_clean(text)) else None


# ---- side ----------------------------------------------------------------------------------

_BOTH = re.compile(r"\b(both|either|each|two sides|both sides|left and right|right and left|all over|"
                   r"bilateral|the two)\b")
_LEFT = re.compile(r"\b(left|lft|lhs|leftside|lef|letf)\b")
_RIGHT = re.compile(r"\b(right|rigth|rite|rhs|rght|rt|righ)\b")
_NOT_A_SIDE = re.compile(r"\b(right now|right away|all right|alright|right after|right before|right when|"
                         r"right at the|right on|right in|right there|just right|right\?|that'?s right)\b")


def read_side(text: str) -> str | None:
    """``left``, ``right`` or ``both`` from an answer to "Which side is it?"."""
    cleaned = _NOT_A_SIDE.sub(" ", _clean(text))
    left, right = bool(_LEFT.search(cleaned)), bool(_RIGHT.search(cleaned))
    if _BOTH.search(cleaned) or (left and right):
        return "both"
    if left:
        return "left"
    if right:
        return "right"
    return None


# ---- yes / no / not sure -------------------------------------------------------------------


class Reply(str, Enum):
    yes = "yes"
    no = "no"
    unsure = "not sure"


REPLY_STATES = {Reply.yes: FindingState.present, Reply.no: FindingState.absent,
                Reply.unsure: FindingState.unknown}

_UNSURE_REPLY = re.compile(
    r"^\W*(not sure|unsure|maybe|perhaps|possibly|no idea|dunno|i don'?t know|don'?t know|idk|"
    r"hard to say|can'?t say|can'?t tell|not certain|i'?m not sure|could be|might be|"
    r"hmm+|not that i know of|haven'?t noticed|i haven'?t checked|haven'?t tried|never tried)\b")
_NO_REPLY = re.compile(
    r"^\W*(no+|nope|nah|never|not really|not at all|not that i'?ve noticed|don'?t think so|i don'?t think so|"
    r"none|nothing|negative|no way|definitely not|absolutely not|not as far as i know|nay|nein|"
    r"it doesn'?t|it does not|i don'?t|i do not|i haven'?t|i have not|i'?m not|i am not|i can'?t say i have|"
    r"haven'?t|hasn'?t|isn'?t|wasn'?t|didn'?t|doesn'?t|not (?:that|really|much|particularly|especially))\b")
_YES_REPLY = re.compile(
    r"^\W*(y+e+s+|yeah+|yea|yep|yup|ya|aye|yh|ye|sure|definitely|absolutely|certainly|correct|indeed|"
    r"of course|totally|100%|it does|i do|i have|i am|it is|i did|it did|they do|they are|"
    r"sometimes|occasionally|often|always|a bit|a little|a lot|kind of|kinda|sort of|slightly|"
    r"only when|only if|only at|mostly|usually|constantly|all the time|every (?:time|night|day)|"
    r"now and then|now and again|on and off|when i|if i|yes please|oh yes|very much|loads|plenty|"
    r"i think so|think so|probably|i guess|guess so|most nights|most days)\b")
_PAIN_STATEMENT = re.compile(r"\b(hurts?|hurting|agony|agonising|killing|kills|painful|sore|aches?|aching|"
                             r"excruciating|unbearable|throbs?|throbbing|twinges?|stabbing|burns?|burning)\b")
_NEGATION = re.compile(r"\b(no|not|never|n't|dont|doesnt|cant|isnt|without)\b|n't\b")


def read_reply(text: str, finding: str | None = None,
               stated: Mapping[str, FindingState] | None = None, about_pain: bool = False) -> Reply | None:
    """Yes / no / not sure from an answer to a yes/no question about ``finding``.

    What the message states about the finding itself wins ("not really numb, but it feels
    weird when I wipe" states saddle numbness present); then the wording of the answer. Only
    for a question about pain (``about_pain``: "Does it hurt to hop?") does a plain statement
    of pain ("it's agony just standing on that leg") count as yes.
    """
    if finding and stated and finding in stated:
        state = stated[finding]
        return {FindingState.present: Reply.yes, FindingState.absent: Reply.no}.get(state, Reply.unsure)
    cleaned = _clean(text)
    if not cleaned:
        return None
    if _UNSURE_REPLY.search(cleaned):
        return Reply.unsure
    if _NO_REPLY.search(cleaned):
        return Reply.no
    if _YES_REPLY.search(cleaned):
        return Reply.yes
    others = {f for f in (stated or {}) if f not in (finding, "pain")}
    if about_pain and _PAIN_STATEMENT.search(cleaned) and not _NEGATION.search(cleaned) and not others:
        return Reply.yes  # "it's agony just standing on that leg" to "does it hurt to hop?"
    if _NOT_SURE.search(cleaned):
        return Reply.unsure
    return None
