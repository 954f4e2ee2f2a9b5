"""Words that name a finding in one sense and something else in another.

"back" is the lower back in "my back hurts" but a direction in "getting back to running",
"it won't pop back in" or "came back from Australia"; "running" is an activity, except in
"pain running down my leg"; "it kicked in" is not kicking. The entity patterns cannot see the
words around a match, so the extractor asks :func:`not_a_finding` before keeping one.
"""

from __future__ import annotations

from typing import Sequence

# "back" right after these words is a direction or a return, not the lower back.
_BEFORE_BACK = {
    "go", "goes", "going", "went", "gone", "come", "comes", "coming", "came", "get", "gets",
    "getting", "got", "pop", "pops", "popped", "push", "pushed", "put", "bring", "brought",
    "way", "be", "been", "sent", "flew", "flown", "drove", "driven", "ran", "run", "running",
    "walked", "walk", "fight", "fought", "bounce", "bounced", "ease", "easing", "eased",
    "build", "building", "cut", "cutting", "cuts", "cutback", "held", "hold", "holding",
    "step", "stepped", "look", "looking", "looked", "move", "moved", "sit", "sat", "lean",
    "leaned", "leant", "pulled", "pull", "flare", "flares", "flared", "kick", "kicked",
}
# ... or right before these.
_AFTER_BACK = {"to", "in", "into", "home", "again", "then", "later", "out", "from", "off",
               "inside", "down", "up"}


# "the back of my knee", "at the back of the bus": another thing's back (the back of the
# pelvis or the hips stays the lower back).
_DETERMINERS = {"my", "the", "his", "her", "their", "your", "our", "a", "each", "both"}
_BACK_OF_OTHER = {"knee", "knees", "calf", "calves", "leg", "legs", "thigh", "thighs", "heel", "heels",
                  "ankle", "ankles", "foot", "feet", "neck", "head", "hand", "hands", "arm", "arms",
                  "shin", "shins", "car", "bus", "queue", "class", "room", "shoe", "shoes", "mind"}


_WHOSE_BALL = {"my", "his", "left", "right", "your", "their", "one", "sore", "swollen"}


# "pain running down my leg", "aches running through my back": the pain runs, not the person.
_PAIN_WORDS = {"pain", "pains", "ache", "aches", "aching", "shooting", "sensation", "sensations",
               "feeling", "tingling", "numbness", "burning", "it", "that", "which", "twinges"}
_ALONG = {"through", "down", "into", "along", "across", "up", "from"}
# Matched through their lemma, but another word: "a step" is not the stairs, "I strained
# it" is not straining on the toilet.
_HEAVY_FEELS = {"feel", "feels", "feeling", "felt", "gone", "go", "goes", "went", "and", "leg", "legs"}
# "lose any more ground" is not grinding, "the spot where it hurts" is not spotting (both
# matched through a lemma).
_OTHER_WORDS = {("step",), ("strain",), ("strained",), ("strains",), ("ground",), ("spot",), ("spots",)}
# "it turns out", "the next steps", "run my hand along it", "a sprint triathlon": everyday
# phrases whose words also name a finding. ("lying on my back" stays the lower back: reading a
# posture as back pain only adds the back's safety questions; the reverse would drop them.)
_TURN = {"turn", "turns", "turned", "turning"}
_STEPS_NOT_STAIRS = {"next", "first", "baby", "few", "small", "little", "initial", "further", "practical"}
_RUN = {"run", "runs", "ran", "running"}
_HANDS = {"hand", "hands", "finger", "fingers", "thumb", "thumbs", "fingertips"}
_SPRINT_EVENTS = {"triathlon", "triathlons", "tri", "tris", "distance", "duathlon"}
_RIGHT_AS_DIRECTLY = {"on", "at", "in", "there", "here", "next", "by", "above", "below", "under", "where",
                      "away", "now", "into", "through", "behind", "between", "around", "over", "inside",
                      "along", "across", "beside", "underneath", "where's"}
_OWNERS = {"my", "his", "her", "their", "your", "our"}
# "you need to lose weight", "Lose weight.": advice or a wish, not weight lost without trying
_NOT_LOST = {"", "to", "should", "must", "need", "needs", "could", "would", "can", "cant", "n't", "nt",
             ".", "!", ",", "and", "help", "me"}


def _everyday_phrase(tokens: Sequence[str], start: int, words: Sequence[str], before: str,
                     after: str) -> bool:
    if words[-1] in _TURN and after == "out":
        return True  # "it turns out", "turned out to be"
    if words == ["steps"] and before in _STEPS_NOT_STAIRS:
        return True
    if words[0] in _RUN:
        second = tokens[start + len(words) + 1].lower() if start + len(words) + 1 < len(tokens) else ""
        if after in _HANDS or (after in _OWNERS | {"the", "a"} and second in _HANDS):
            return True  # "when I run my hand along it"
    if words[0] == "lose" and before in _NOT_LOST:
        return True
    return words == ["sprint"] and after in _SPRINT_EVENTS  # "a sprint triathlon"


def not_a_finding(tokens: Sequence[str], start: int, end: int) -> bool:
    """True when the matched words ``tokens[start:end]`` are used in another sense."""
    words = [t.lower() for t in tokens[start:end]]
    before = tokens[start - 1].lower() if start > 0 else ""
    after = tokens[end].lower() if end < len(tokens) else ""
    if words and _everyday_phrase(tokens, start, words, before, after):
        return True
    if words == ["back"]:
        if after == "of":  # "the back of my knee" is the knee's back, not the lower back
            following = [t.lower() for t in tokens[end + 1 : end + 3]]
            owner = following[1] if following and following[0] in _DETERMINERS and len(following) > 1 \
                else (following[0] if following else "")
            return owner in _BACK_OF_OTHER
        return before in _BEFORE_BACK or after in _AFTER_BACK
    if words == ["knee"] and before == "a" and after in ("to", "in", "into", "on", "from"):
        return True  # "took a knee to the hip" in a tackle: the other player's knee
    if words in (["ball"], ["balls"]):  # "a blood ball", "kicked the ball"; "my left ball" is a testicle
        return before not in _WHOSE_BALL
    if words in (["knees"], ["knee"]) and tokens[max(start - 2, 0):start] and \
            [t.lower() for t in tokens[max(start - 2, 0):start]] == ["hands", "and"]:
        return True  # "on her hands and knees"
    if words in (["kicked"], ["kicks"], ["kick"], ["kicking"]) and after == "in":
        return True  # "it kicked in at 6 km"
    if words in (["running"], ["runs"], ["ran"]) and after in _ALONG and before in _PAIN_WORDS:
        return True
    if words == ["right"] and after in _RIGHT_AS_DIRECTLY and before not in _DETERMINERS | {"on", "to", "at"}:
        return True  # "right on the sit bone", "right above the bone": directly, not the side
    if words == ["heavy"] and before in _HEAVY_FEELS:
        return True  # "both legs feel heavy" is a sensation, not being overweight
    return tuple(words) in _OTHER_WORDS


# Treatments whose names are also findings ("stretching" helps, or makes it worse): read as the
# treatment unless the clause says the thing hurts ("yoga stretches make it worse", "it hurts
# when I stretch"). Surgery, injections and weight loss are not here: as findings they can
# raise a red flag, so the finding always wins for them.
_TREATMENT_FIRST = {"stretching"}
_AGGRAVATING = {"hurt", "hurts", "hurting", "painful", "pain", "pains", "worse", "aggravate", "aggravates",
                "aggravated", "aggravating", "ache", "aches", "aching", "sore", "twinge", "twinges", "pinch",
                "pinches", "sharp", "flare", "flares", "irritate", "irritates", "kills", "agony", "ouch",
                "ow", "uncomfortable", "feel", "feels", "when", "whenever", "while", "during"}
_CLAUSE_END = {",", ".", ";", "!", "?", ":", "(", ")", "-", "but", "and"}


def treatment_rather_than_finding(tokens: Sequence[str], start: int, end: int, treatment_id: str) -> bool:
    """True when ``tokens[start:end]`` names the treatment ``treatment_id`` as something done
    for the pain ("PT stretches", "stretching doesn't help") rather than as what brings it on."""
    if treatment_id not in _TREATMENT_FIRST:
        return False
    lowered = [t.lower() for t in tokens]
    left = start
    while left > 0 and start - left < 5 and lowered[left - 1] not in _CLAUSE_END:
        left -= 1
    right = end
    while right < len(lowered) and right - end < 5 and lowered[right] not in _CLAUSE_END:
        right += 1
    return not any(w in _AGGRAVATING for w in lowered[left:start] + lowered[end:right])
