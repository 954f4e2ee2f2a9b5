"""Is a message a question? Used to keep a typed answer from being read as a question.

"nothing in particular" typed in answer to "What makes it worse?" was classified as a
question about a condition, answered with "I don't have information on that condition",
and the form asked again. A message that names no condition, has no question mark and
does not open like a question or a request is not asking about a condition.
"""

from __future__ import annotations

import re

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
