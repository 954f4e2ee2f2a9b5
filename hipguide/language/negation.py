"""NegEx/ConText-style assertion status for mentions in a tokenised sentence.

Pure Python over lower-cased token strings, so it is testable without spaCy. A mention
is ``negated`` when a negation trigger precedes it within the same clause (a list joined
by commas, "or", "and" or "nor" stays in scope; "but", "although" and sentence ends close
it), ``uncertain`` when an uncertainty cue does, and ``None`` (affirmed) otherwise.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import Enum
from typing import List, Sequence, Tuple


class Assertion(str, Enum):
    negated = "negated"
    uncertain = "uncertain"


# Single-token triggers. "n't" is how spaCy splits "don't", "can't", "haven't".
NEGATION_TRIGGERS = {
    "no", "not", "n't", "nt", "never", "without", "none", "neither", "nor", "denies", "deny",
    "nope", "nah", "nothing", "free", "cant", "dont", "didnt", "havent", "hasnt", "isnt",
    "wasnt", "doesnt", "arent", "aint", "couldnt", "wont", "wouldnt", "werent", "hadnt", "shouldnt",
}
# Multi-token triggers, matched before single ones.
NEGATION_PHRASES: Tuple[Tuple[str, ...], ...] = (
    ("no", "sign", "of"), ("no", "signs", "of"), ("free", "of"), ("ruled", "out"),
    ("not", "had"), ("never", "had"), ("absence", "of"),
)
UNCERTAINTY_PHRASES: Tuple[Tuple[str, ...], ...] = (
    ("not", "sure"), ("unsure",), ("maybe",), ("might",), ("possibly",), ("perhaps",),
    ("do", "n't", "know"), ("dont", "know"), ("not", "certain"), ("hard", "to", "say"),
    ("no", "idea"), ("wondering", "if"), ("could", "be"), ("i", "think"),
)
# Negation words that do not negate what follows ("not only", "no better").
PSEUDO_NEGATIONS: Tuple[Tuple[str, ...], ...] = (
    ("not", "only"), ("no", "better"), ("not", "better"), ("no", "worse"), ("no", "change"),
    ("not", "just"), ("no", "matter"), ("not", "really", "sure"), ("no", "longer"),
    ("not", "getting", "better"), ("no", "doubt"), ("without", "trying"),
    ("without", "meaning", "to"), ("no", "reason"), ("not", "much", "better"),
    # "couldn't sleep for sweating": what follows is the cause, not denied
    ("could", "nt", "sleep", "for"), ("could", "n't", "sleep", "for"), ("couldnt", "sleep", "for"),
    ("ca", "n't", "sleep", "for"), ("cant", "sleep", "for"), ("can", "not", "sleep", "for"),
    # "not sure why I'm in pain", "no idea what it is": unsure of the cause, not of the pain
    ("not", "sure", "why"), ("not", "sure", "what"), ("no", "idea", "why"), ("no", "idea", "what"),
    ("not", "sure", "how"), ("no", "idea", "how"),
    ("do", "n't", "know", "why"), ("do", "n't", "know", "what"), ("dont", "know", "why"),
    ("dont", "know", "what"), ("do", "nt", "know", "why"), ("do", "nt", "know", "what"),
    ("could", "n't", "figure", "out"), ("could", "nt", "figure", "out"), ("couldnt", "figure", "out"),
    ("ca", "n't", "figure", "out"), ("cant", "figure", "out"), ("can", "not", "figure", "out"),
    ("could", "n't", "work", "out"), ("ca", "n't", "work", "out"), ("cant", "work", "out"),
    # "tried not to limp", "not without pain"
    ("try", "not", "to"), ("tried", "not", "to"), ("trying", "not", "to"), ("not", "without"),
    # "I don't want to stop running", "without giving up training": a double negative, the
    # activity is what the person does
    ("do", "n't", "want", "to", "stop"), ("do", "nt", "want", "to", "stop"), ("dont", "want", "to", "stop"),
    ("do", "not", "want", "to", "stop"), ("do", "n't", "want", "to", "give", "up"),
    ("dont", "want", "to", "give", "up"), ("do", "not", "want", "to", "give", "up"),
    ("not", "ready", "to", "give", "up"), ("not", "ready", "to", "stop"), ("without", "stopping"),
    ("without", "giving", "up"), ("without", "taking", "time", "off"), ("without", "having", "to", "stop"),
    ("did", "n't", "want", "to", "stop"), ("did", "nt", "want", "to", "stop"), ("didnt", "want", "to", "stop"),
    ("did", "not", "want", "to", "stop"),
    # "it won't stop hurting", "doesn't stop aching", "never stops": it goes on
    ("wo", "n't", "stop"), ("wont", "stop"), ("would", "n't", "stop"), ("wouldnt", "stop"),
    ("does", "n't", "stop"), ("doesnt", "stop"), ("did", "n't", "stop"), ("didnt", "stop"),
    ("never", "stops"), ("never", "stopped"), ("not", "stopped"),
    # "it isn't the kind of pain that stops me", "doesn't matter how long I rest": not denied
    ("n't", "the", "kind", "of"), ("not", "the", "kind", "of"), ("nt", "the", "kind", "of"),
    ("n't", "matter"), ("nt", "matter"), ("not", "matter"), ("doesnt", "matter"),
)
# Words right after a mention that deny it ("bladder fine", "bowels normal").
POST_NEGATIONS = {"fine", "ok", "okay", "normal", "absent", "gone", "resolved"}
POST_SCOPE_TOKENS = 2
# ... but only when the clause ends there.
POST_NEGATION_ENDS = {".", ",", "!", "?", ";", ":", "and", "but", "now", "though", "thankfully",
                      "so", "too", "as", "since", "for", "apart", "except", "-", "really"}
# Words that end a trigger's scope.
SCOPE_TERMINATORS = {
    "but", "although", "though", "however", "except", "yet", "still", "apart", "aside",
    "which", "whereas", "while", ".", ";", "!", "?", ":", "because", "since", "so",
    "then", "when", "now", "just", "besides", "otherwise",
}
MAX_SCOPE_TOKENS = 8
# A comma or "and" followed by a new subject starts a new clause ("no traction and I slipped",
# "doesn't stop in my seat, it travels down my leg").
_JOINERS = {",", "and", "&"}
_LIST_WORDS = {"or", "and", "nor", ",", "&", "any"}
_SUBJECTS = {"i", "it", "he", "she", "they", "we", "this", "that", "my", "his", "her", "their",
             "the", "your", "you", "hip", "leg"}


def _lowered(tokens: Sequence[str]) -> List[str]:
    """Lower-cased tokens, a contraction the tokenizer left whole ("...couldn't") spelt as
    typed without the apostrophe ("couldnt")."""
    return [t.lower().replace("n't", "nt").replace("n\u2019t", "nt") if len(t) > 3 else t.lower()
            for t in tokens]


def _closes_scope(tokens: Sequence[str]) -> bool:
    """True when ``tokens`` (between a cue and a mention) cross a clause boundary."""
    if any(tok in SCOPE_TERMINATORS for tok in tokens):
        return True
    if any(tok in _JOINERS and nxt in _SUBJECTS for tok, nxt in itertools.pairwise(tokens)):
        return True
    # "not run for 3 days (been taking ibuprofen)": a mention inside an aside is out of scope;
    # "no pain (or swelling)" goes on with the list, and so does a list after the aside
    opened = max((i for i, tok in enumerate(tokens) if tok == "("), default=None)
    if opened is None or ")" in tokens[opened:]:
        return False
    return opened + 1 == len(tokens) or tokens[opened + 1] not in _LIST_WORDS


@dataclass(frozen=True)
class Mention:
    """A span of tokens [start, end) that names a finding."""

    start: int
    end: int


def _match_at(tokens: Sequence[str], i: int, phrases: Sequence[Tuple[str, ...]]) -> int:
    """Length of the longest phrase starting at ``i``, or 0."""
    best = 0
    for phrase in phrases:
        n = len(phrase)
        if tuple(tokens[i : i + n]) == phrase and n > best:
            best = n
    return best


def _cues(tokens: Sequence[str]) -> List[Tuple[int, int, Assertion]]:
    """(start, end, kind) of every negation and uncertainty cue in order."""
    cues: List[Tuple[int, int, Assertion]] = []
    i = 0
    while i < len(tokens):
        skip = _match_at(tokens, i, PSEUDO_NEGATIONS)
        if skip:
            i += skip
            continue
        n = _match_at(tokens, i, UNCERTAINTY_PHRASES)
        if n:
            cues.append((i, i + n, Assertion.uncertain))
            i += n
            continue
        n = _match_at(tokens, i, NEGATION_PHRASES)
        if n or tokens[i] in NEGATION_TRIGGERS:
            n = n or 1
            cues.append((i, i + n, Assertion.negated))
            i += n
            continue
        i += 1
    return cues


def _without_double_negation(tokens: Sequence[str], cues: List[Tuple[int, int, Assertion]]
                             ) -> List[Tuple[int, int, Assertion]]:
    """Drop "can't X without Y" pairs: it says X brings Y on, and denies neither."""
    dropped = set()
    for b, (b_start, _, b_kind) in enumerate(cues):
        if tokens[b_start] != "without" or b_kind != Assertion.negated:
            continue
        for a in range(b - 1, -1, -1):
            _, a_end, a_kind = cues[a]
            between = tokens[a_end:b_start]
            if a_kind != Assertion.negated or len(between) > MAX_SCOPE_TOKENS or _closes_scope(between):
                break
            dropped |= {a, b}
            break
    return [cue for i, cue in enumerate(cues) if i not in dropped]


# "can't", "couldn't", "not able to", "could never": what follows is an inability. For an
# activity that is the finding ("I could not hop or climb stairs": hopping hurts), not its
# absence.
_ABLE = {"ca", "can", "could", "cant", "couldnt", "able"}


def _inability(tokens: Sequence[str], start: int, end: int) -> bool:
    cue = tokens[start:end]
    before = tokens[start - 1] if start else ""
    after = tokens[end] if end < len(tokens) else ""
    return (cue[0] in ("cant", "couldnt") or (cue[0] in ("n't", "nt", "not", "never") and before in _ABLE)
            or (cue[0] == "not" and (after == "able" or tokens[end : end + 2] in (["been", "able"], ["be", "able"]))))


def role_for(entity: str, tokens: Sequence[str], mention: Mention,
             mentions: Sequence[Mention] = ()) -> Assertion | None:
    """The role a mention of type ``entity`` carries: :func:`assertion_for`, read for the
    kind of finding.

    - a place is never uncertain ("I think I pulled my groin": unsure of the cause);
    - "I think" before an activity or event is a way of telling, not doubt ("I think it
      started when I sprinted");
    - an activity one cannot do is a finding, not an absent one ("can't climb stairs").
    """
    lowered = _lowered(tokens)
    status, cue = _assertion_and_cue(lowered, mention, mentions)
    if status == Assertion.uncertain:
        if entity == "body_location":
            return None
        if entity in ("activity", "event") and cue is not None and lowered[cue[0]:cue[1]] == ["i", "think"]:
            return None
    if status == Assertion.negated and entity == "activity" and cue is not None and _inability(lowered, *cue):
        return None
    if status is None and entity == "activity" and _denied_with(lowered, mention, mentions):
        return Assertion.negated
    return status


_WHEN = {"when", "while", "if", "whilst"}
_WHEN_SUBJECTS = {"i", "i'm", "im", "am", "you", "it", "he", "she", "we", "they", "is", "was", "m"}


def _denied_with(lowered: List[str], mention: Mention, mentions: Sequence[Mention]) -> bool:
    """"no pain when I run", "it doesn't hurt while cycling": the activity brings on nothing."""
    j = mention.start - 1
    while j >= 0 and lowered[j] in _WHEN_SUBJECTS and mention.start - j <= 3:
        j -= 1
    if j < 1 or lowered[j] not in _WHEN:
        return False
    before = next((m for m in mentions if m.end == j), None)
    return before is not None and _assertion_and_cue(lowered, before, mentions)[0] == Assertion.negated


def assertion_for(tokens: Sequence[str], mention: Mention,
                  mentions: Sequence[Mention] = ()) -> Assertion | None:
    """The assertion status of ``mention`` among lower-cased ``tokens``.

    ``mentions`` are all finding mentions of the sentence: the scope budget does not
    count their tokens, so a long list ("no fever, chills, night sweats or numbness")
    stays in scope.
    """
    return _assertion_and_cue(_lowered(tokens), mention, mentions)[0]


def _assertion_and_cue(lowered: List[str], mention: Mention, mentions: Sequence[Mention]
                       ) -> Tuple[Assertion | None, Tuple[int, int] | None]:
    """The status and the (start, end) of the cue that set it (None after a mention)."""
    inside_mentions = {i for m in mentions for i in range(m.start, m.end)}
    status: Assertion | None = None
    cue: Tuple[int, int] | None = None
    for start, end, kind in _without_double_negation(lowered, _cues(lowered)):
        if start >= mention.start:
            break
        if end > mention.start or any(i in inside_mentions for i in range(start, end)):
            continue  # a cue that is part of a finding's own wording ("can't walk")
        distance = sum(1 for i in range(end, mention.start) if i not in inside_mentions)
        between = lowered[end : mention.start]
        if _closes_scope(between):
            continue
        if distance > MAX_SCOPE_TOKENS:
            continue
        status, cue = kind, (start, end)  # the nearest open cue wins
    if status is None:
        after = lowered[mention.end : mention.end + POST_SCOPE_TOKENS + 1]
        for offset, token in enumerate(after):
            if token in SCOPE_TERMINATORS or (mention.end + offset) in inside_mentions:
                break
            following = lowered[mention.end + offset + 1] if mention.end + offset + 1 < len(lowered) else None
            if token in POST_NEGATIONS and (following is None or following in POST_NEGATION_ENDS):
                return Assertion.negated, None  # "bladder fine", not "hip gone all hot"
    return status, cue
