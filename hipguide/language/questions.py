"""Is a message a question (or a summary request)? Keeps typed answers from being read as one.

"nothing in particular" typed in answer to "What makes it worse?" was classified as a
question about a condition, answered with "I don't have information on that condition",
and the form asked again. A message that names no condition, has no question mark and
does not open like a question or a request is not asking about a condition.
"""

from __future__ import annotations

import re
from typing import List

_OPENERS = (
    "what", "whats", "what's", "how", "is", "isnt", "isn't", "are", "does", "do", "did", "can",
    "could", "should", "will", "would", "tell", "explain", "any", "has", "have", "which", "when",
    "why", "where", "who", "whos", "define", "describe", "info", "information", "wondering",
    "curious", "i'd like to know", "i want to know", "i'm wondering", "im wondering", "please",
)
_OPENING = re.compile(r"^\W*(?:hi|hello|hey|ok|okay|so|and|but|also|sorry)?[\s,!.]*(?P<word>[a-z']+(?: [a-z']+){0,4})")


def looks_like_a_question(text: str) -> bool:
    """True when ``text`` has a question mark or opens like a question or a request."""
    lowered = (text or "").strip().lower()
    if "?" in lowered:
        return True
    match = _OPENING.match(lowered)
    opening = match.group("word") if match else ""
    return any(opening == o or opening.startswith(o + " ") for o in _OPENERS)


_SUMMARY_WORDS = re.compile(
    r"summar|sum (?:it |this |that |everything )?up|recap|overview|\breport|write (?:it |this |that )?up|"
    r"\bnotes?\b|told you|tell (?:my|the|a) |say to|show (?:my|the|a) |doctor|\bgp\b|physio|clinician|"
    r"covered|discussed|\blist\b|\bexport|\bprint|put (?:it|this) (?:all )?together|so far"
)


def asks_for_a_summary(text: str) -> bool:
    """True when ``text`` mentions a summary, notes or whom they are for ("recap please",
    "something to show my GP"); "pulled my hammy sprinting for the bus" does not."""
    return bool(_SUMMARY_WORDS.search((text or "").lower()))


# Words by which people tell of their own pain, or of someone they look after.
_OWN_STORY = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|my|me|mine|myself|our|we|we've|son|daughter|mum|mom|dad|wife|husband|"
    r"partner|child|kid|baby|gran|granny|grandad|grandma|grandpa|nan|he|he's|she|she's|his|her|him)\b",
    re.IGNORECASE)


def tells_own_story(text: str) -> bool:
    """True when the message speaks of the writer's own pain (or a relative's), not in general:
    "is ice good for my groin?" but not "is ice good for groin pain?"."""
    return bool(_OWN_STORY.search(text or ""))


_SENTENCE_END = re.compile(r"[.!?;\n]")


def asks_about(text: str, start: int, end: int) -> bool:
    """True when the sentence holding text[start:end] is a question: "my hip aches at night,
    is a foam roller any good?" asks about the foam roller; "ice didn't help." does not."""
    text = text or ""
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    before = max((i for i in ends if i < start), default=-1)
    after = min((i for i in ends if i >= end), default=len(text))
    sentence = text[before + 1 : after + 1]
    # within the sentence, the clause from the last comma before the mention
    clause_start = sentence.rfind(",", 0, max(start - before - 1, 0)) + 1
    return looks_like_a_question(sentence[clause_start:]) or sentence.rstrip().endswith("?")


# A sentence that asks what is behind the pain: "what could be causing this?", "why does it
# hurt when I sit?", "is this normal?", "could it be a stress fracture?".
_CAUSE_QUESTION = re.compile(
    r"\bwhat(?:'s|s| is| are)? (?:(?:could|might|may|would|can) )?(?:be )?(?:the )?"
    r"(?:caus|reason|wrong|problem|issue|going on|happening|behind)"
    r"|\bwhat (?:could|might|can|would|may) (?:this|it|that|these|they) (?:be|mean)"
    r"|\bwhat (?:could|might|would|may) (?:be )?(?:caus|make|bring|trigger)"
    r"|\bwhy (?:does|do|is|would|am|did|has|have|are|might|could|can|will|should)\b"
    r"|\bhow come\b"
    r"|\b(?:is|could|can|might) (?:this|it|that) (?:be )?"
    r"(?:normal|serious|something|a sign|signs?|due|caused|related|linked|because)"
    r"|\b(?:could|can|might) (?:this|it|that|these) be\b"
    r"|\bany (?:idea|ideas|thoughts|clue)s? (?:what|why|on what|as to what)"
    r"|\bwhat do you think (?:it|this|that) (?:is|could)"
    r"|\bshould (?:i|we|he|she) (?:be )?(?:concerned|worried|worry)"
    r"|\bis (?:there )?(?:something|anything) (?:wrong|serious)"
    r"|\bis (?:this|it|that) (?:just |all )?(?:normal|to be expected|expected|common|usual|typical)"
)


def _sentences(text: str) -> List[str]:
    # curly apostrophes typed on phones read as straight ones ("what\u2019s happening?")
    return re.split(f"(?<={_SENTENCE_END.pattern})", (text or "").replace("\u2019", "'").lower())


def _asks(pattern: re.Pattern[str], text: str, *, mid_sentence: bool = False) -> bool:
    """A sentence of ``text`` that is a question matches ``pattern``; with ``mid_sentence``,
    so does a clause the match opens as a question ("... started this morning what could be
    the cause")."""
    for sentence in _sentences(text):
        for match in pattern.finditer(sentence):
            if looks_like_a_question(sentence) or (mid_sentence and looks_like_a_question(sentence[match.start():])):
                return True
    return False


def asks_about_causes(text: str) -> bool:
    """True when a sentence of ``text`` that is a question asks what is behind the pain: "my
    groin hurts when I cough. What could this mean?"; "I iced it, why?" does not count."""
    return _asks(_CAUSE_QUESTION, text, mid_sentence=True)


# A sentence that asks what to do about it: "what can I do?", "any advice?", "can you help my
# hip flexor?", "how long will it take to recover?", "should I stop running?", "please help".
_HELP_QUESTION = re.compile(
    r"\bwhat (?:\w+ )?(?:else )?(?:can|could|should|shall|do|would|must) (?:i|we|one|he|she|you) "
    r"(?:\w+ )?(?:do|try|take|use)\b"
    r"|\bwhat (?:am i|are we|is (?:he|she)) (?:going to|gonna|supposed to|meant to) do"
    r"|\bwhat to do\b"
    r"|\bany (?:\w+ )?(?:advice|suggestions?|tips?|ideas|recommendations?|thoughts|help)\b"
    r"|\b(?:can|could|would) (?:you|anyone|somebody|someone) (?:please )?"
    r"(?:help|suggest|recommend|advise|tell me how)"
    r"|\b(?:you|anyone) (?:can |could )?recommend"
    r"|\bhow (?:can|do|should|would|could|to|will) (?:i |we |you |he |she |one )?"
    r"(?:\w+ )?(?:fix|treat|heal|help|get rid|get over|get back|recover|return|go back|prevent|stop|ease|"
    r"relieve|manage|approach|deal|cope|strengthen|stretch|avoid|improve|get better|sleep)"
    r"|\bhow long (?:will|does|would|should|could|can|might|is|until|before|to)\b"
    r"|\bshould (?:i|we|he|she) (?:just |still |now )?(?:stop|keep|continue|carry on|rest|run|lay off|"
    r"take|try|see|go|get|avoid|ice|use|do|push|give|wait|cut|quit|change)\b"
    r"|\b(?:what|which) (?:\w+ )?(?:worked|helped|helps|works) "
    r"|\bplease help\b"
)


def asks_for_help(text: str) -> bool:
    """True when a sentence of ``text`` that is a question asks what to do about the pain:
    "... it still aches after runs. Any advice?"; "the physio helped me" does not count."""
    return _asks(_HELP_QUESTION, text)
