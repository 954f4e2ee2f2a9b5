"""A simulated patient who types answers in their own words (``make eval-dialogue --typed``).

Each fact of a case has several hand-written lay phrasings (short, long, with a typo, with an
extra fact); one is picked per question with a seeded random generator. A button is pressed
in at most ``BUTTON_SHARE`` of the turns, and only when the answer's meaning matches one. The
phrasings are written for this simulator, not taken from the NLU data or the synonym lists.

Besides the clinical figures the run counts what a person would feel:
* re-asks: the same question asked again right after a typed answer that answered it;
* dead turns: a message that got no reply;
* loop turns: a turn in which one message is repeated;
* stalls: a conversation that stops asking before any assessment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence

BUTTON_SHARE = 0.3

LOCATIONS: Dict[str, Sequence[str]] = {
    "groin": ["in the groin", "deep in my groin", "groin area, kind of inside", "the crease at the top of my leg",
              "its in my grion"],
    "front_of_hip": ["front of the hip", "at the front where my hip bends", "front of my hip near the crease",
                     "right at the front, where you'd put your hand in a pocket"],
    "outer_hip": ["on the outside of my hip", "side of my hip, on the bony bit", "the outer hip",
                  "on the side, the bone you lie on"],
    "buttock": ["in my bum", "my buttock", "deep in my backside", "in the middle of my butt cheek", "buttok"],
    "sit_bone": ["the bone I sit on", "sit bone", "right at the bottom of my bum where I sit",
                 "under my buttock on the bone"],
    "lower_back": ["low down in my back", "lower back", "small of my back, just above my bum",
                   "my lower back on one side"],
    "back_of_thigh": ["back of my thigh", "hamstring", "the back of my leg above the knee",
                      "back of the thigh up near my bum"],
    "inner_thigh": ["inside of my thigh", "inner thigh", "on the inside of my leg up high",
                    "inner thigh near the groin"],
    "outer_thigh": ["outside of my thigh", "outer thigh", "on the side of my thigh",
                    "a patch on the outside of my upper leg"],
    "knee": ["my knee", "outside of the knee", "around my knee", "the side of my knee"],
    "pubic_bone": ["pubic bone", "right at the front in the middle, on the bone", "my pubic bone at the front",
                   "the bone at the front between my legs"],
    "calf": ["my calf", "lower leg at the back", "in the calf", "my calf muscle"],
    "testicle": ["my testicle", "in my balls", "one of my testicles", "testicle area"],
    "flank": ["my side below the ribs", "in my side at the back", "my flank", "side of my back under the ribs"],
}
ONSETS = {
    "sudden": ["suddenly", "all at once", "it came on in a second", "out of nowhere, at one moment",
               "the moment I landed", "felt something go"],
    "gradual": ["gradually", "slowly, over a few weeks", "it crept up on me", "bit by bit",
                "built up over time", "gradualy"],
}
SIDES = {"left": ["left", "the left one", "left side", "Left."],
         "right": ["right", "the right one", "right side", "rigth"],
         "both": ["both", "both sides", "both of them"]}
DURATIONS = {
    "3 weeks": ["about 3 weeks", "three weeks or so", "a few weeks", "since about 3 weeks ago"],
    "3 days": ["a few days", "3 days", "since the weekend", "couple of days"],
    "2 months": ["about 2 months", "a couple of months", "8 weeks or so", "two months"],
    "6 months": ["about six months", "half a year", "6 months", "since the spring"],
}
AGE_FORMS = ["{age}", "{age}.", "I'm {age}", "{age} years old", "im {age}"]
YES = ["yes", "yeah", "yep, it does", "yes, a bit", "definitely", "Yes.", "sometimes, yes", "yh"]
NO = ["no", "nope", "not really", "no, never", "nah", "No.", "I don't think so", "not at all"]
UNSURE = ["not sure", "dunno", "hard to say", "I don't know", "maybe", "not sure tbh"]
ACTIVITY_WORDS: Dict[str, Sequence[str]] = {
    "running": ["running", "when I run", "going for a run"], "walking": ["walking", "long walks"],
    "sitting": ["sitting", "sitting for a long time"], "stairs": ["stairs", "going up stairs"],
    "lying_on_side": ["lying on that side", "lying on it in bed"], "sprinting": ["sprinting", "fast running"],
    "uphill": ["running uphill", "hills"], "downhill": ["downhill", "running downhill"],
    "squatting": ["squatting", "deep squats"], "driving": ["driving", "sitting in the car"],
    "kicking": ["kicking"], "hopping": ["hopping"], "sit_to_stand": ["getting up from a chair"],
    "coughing_sneezing": ["coughing", "when I sneeze"], "putting_on_socks": ["putting my socks on"],
    "pivoting": ["twisting and turning"], "stretching": ["stretching"], "turning_in_bed": ["turning over in bed"],
    "single_leg_standing": ["standing on one leg"], "cycling": ["cycling"],
}
NOTHING = ["nothing in particular", "not really anything", "hard to say, it just hurts"]


@dataclass
class Feel:
    """What a person would feel in the conversation (counted over all cases)."""

    typed_answers: int = 0
    reasked: int = 0
    dead_turns: int = 0
    loop_turns: int = 0
    stalls: int = 0
    buttons: int = 0
    turns: int = 0
    notes: List[str] = field(default_factory=list)


QUESTION_STARTS = {
    "Where exactly does it hurt": "location", "Which side": "side", "How did it start": "onset",
    "How long has it been": "duration", "What makes it worse": "activity", "How old are you": "age",
    "How old is your": "age",
}


def question_kind(text: str) -> str | None:
    for start, kind in QUESTION_STARTS.items():
        if text.startswith(start):
            return kind
    return None


class TypedPatient:
    """Answers from one case's facts, typed; presses a matching button now and then."""

    def __init__(self, case: Dict[str, Any], questions: Dict[str, Any], activities: frozenset, seed: int,
                 buttons: bool = True):
        self.case = case
        self.activities = activities
        self.present = set(case.get("present", []))
        self.unsure = set(case.get("unsure", []))
        self.by_text = {q.question: (fid, q.yes_means) for fid, q in questions.items() if q.question}
        self.random = random.Random(f"{seed}-{case['id']}")
        self.buttons = buttons
        self.last_question: str | None = None
        self.last_typed = False

    def pick(self, options: Sequence[str]) -> str:
        return self.random.choice(list(options))

    def press(self, message: Dict[str, Any], wanted: str) -> str | None:
        """The payload of the button whose payload carries ``wanted``, sometimes."""
        if not self.buttons or self.random.random() >= BUTTON_SHARE:
            return None
        for button in message.get("buttons") or []:
            if f'"{wanted}"' in str(button.get("payload", "")):
                return str(button["payload"])
        return None

    def answer(self, text: str, message: Dict[str, Any]) -> str | None:
        kind = question_kind(text)
        if kind == "location":
            place = self.case["location"]
            return self.press(message, place) or self.pick(LOCATIONS.get(place, [place.replace("_", " ")]))
        if kind == "side":
            side = self.case.get("side", "right")
            return self.press(message, side) or self.pick(SIDES[side])
        if kind == "onset":
            return self.press(message, self.case["onset"]) or self.pick(ONSETS[self.case["onset"]])
        if kind == "duration":
            duration = self.case.get("duration", "3 weeks")
            return self.press(message, duration) or self.pick(DURATIONS.get(duration, [duration]))
        if kind == "activity":
            doing = [f for f in self.case.get("present", [])
                     if f in self.activities and not f.endswith("_relieves")]  # what makes it worse
            if not doing:
                return self.pick(NOTHING)
            words = ACTIVITY_WORDS.get(doing[0], [doing[0].replace("_", " ")])
            return self.press(message, doing[0]) or self.pick(words)
        if kind == "age":
            return self.pick(AGE_FORMS).format(age=self.case["age"])
        if text in self.by_text:
            finding, yes_means = self.by_text[text]
            if finding in self.unsure:
                return self.press(message, "unsure") or self.pick(UNSURE)
            yes = (finding in self.present) == (yes_means == "present")
            return self.pick(YES) if yes else self.pick(NO)
        return None

    def reply(self, messages: List[Dict[str, Any]], feel: Feel) -> str | None:
        """The next message, or None when the assistant has stopped asking."""
        for message in reversed(messages):
            text = str(message.get("text") or "")
            answer = self.answer(text, message)
            if answer is None:
                continue
            question = question_kind(text) or text
            if self.last_typed and question == self.last_question:
                feel.reasked += 1
                feel.notes.append(f"{self.case['id']}: asked again: {text[:60]}")
            self.last_question = question
            self.last_typed = not answer.startswith("/")
            feel.typed_answers += self.last_typed
            feel.buttons += not self.last_typed
            return answer
        return None


def count_turn(replies: List[Dict[str, Any]], feel: Feel, case_id: str) -> None:
    feel.turns += 1
    if not replies:
        feel.dead_turns += 1
        feel.notes.append(f"{case_id}: no reply")
        return
    texts = [str(r.get("text") or "") for r in replies if r.get("text")]
    if any(t.startswith("Thanks. This is not a diagnosis") for t in texts):
        return  # an assessment may list the same reason under two causes
    if len(texts) != len(set(texts)):
        feel.loop_turns += 1
        feel.notes.append(f"{case_id}: a message repeated in one turn")
