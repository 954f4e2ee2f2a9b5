"""Writes lay_context_rules.json (kept as Python only for comments; the JSON is the deliverable).

Written from general knowledge of how people write in English forums, tuned only on dev-line errors.
"""
import json

CAN = ["ca", "can", "could", "wo", "would", "cant", "couldnt", "cannot"]
NOT = ["n't", "nt", "not"]
SUBJ = ["i", "it", "he", "she", "they", "we", "my", "his", "her", "their", "this", "that", "its", "im", "i'm", "mum", "dad"]
WH = ["why", "what", "how", "where", "when", "whats", "what's"]

R = []
def rule(category, literal, direction, pattern=None, **kw):
    d = {"category": category, "literal": literal, "direction": direction}
    if pattern is not None:
        d["pattern"] = pattern
    d.update(kw)
    R.append(d)

NEG, POSS, HYP = "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL"

# NB no max_scope on FORWARD rules: in medspaCy 1.3.1 a rule scope cut by max_scope is no longer cut by
# TERMINATE rules (ConTextModifier.limit_scope -> util.tuple_overlaps(self.scope, other.scope) is asymmetric
# and returns False when the terminator's sentence-wide scope strictly contains the modifier's scope).

# --- negation triggers missing from the clinical defaults ---
rule(NEG, "nt (dont, cant, didnt without apostrophe)", "FORWARD",
     [{"LOWER": "nt"}, {"LOWER": {"IN": ["appear", "feel", "had", "have", "get", "got", "notice", "noticed",
                                         "experience", "experienced", "see"]}, "OP": "?"}])
rule(NEG, "never", "FORWARD", [{"LOWER": {"IN": ["never", "nvr"]}}])
rule(NEG, "nope / nah / none / neither / nor / zero", "FORWARD",
     [{"LOWER": {"IN": ["nope", "nah", "none", "neither", "nor", "zero"]}}])
rule(NEG, "x-free (pain free, pain-free)", "BACKWARD", [{"LOWER": "free"}], max_scope=2)
rule(NEG, "X is fine / ok / normal", "BACKWARD",
     [{"LOWER": {"IN": ["is", "are", "was", "were", "feels", "feel", "felt", "seems", "seem", "'s", "s", "been"]}, "OP": "?"},
      {"LOWER": {"IN": ["fine", "ok", "okay", "normal", "alright", "grand"]}}],
     allowed_types=["SYMPTOM", "ACTIVITY"], max_scope=3)

# --- pseudo-negations: negation words that do not deny what follows ---
PSEUDO = [
    ("not only / not just", [{"LOWER": {"IN": ["not", "no"]}}, {"LOWER": {"IN": ["only", "just"]}}]),
    ("no/not better, no worse, no change", [{"LOWER": {"IN": ["no", "not", "n't", "nt"]}},
        {"LOWER": {"IN": ["any", "much", "getting", "really"]}, "OP": "?"},
        {"LOWER": {"IN": ["better", "worse", "change", "different", "improvement", "improving", "easier"]}}]),
    ("no matter / no longer / no doubt / no relief", [{"LOWER": "no"},
        {"LOWER": {"IN": ["matter", "longer", "doubt", "relief", "end", "choice"]}}]),
    ("not without (= with)", [{"LOWER": {"IN": ["not", "n't", "nt"]}}, {"LOWER": "without"}]),
    ("without trying / without meaning to", [{"LOWER": "without"},
        {"LOWER": {"IN": ["trying", "meaning", "thinking", "realising", "realizing"]}}]),
    ("try not to", [{"LOWER": {"IN": ["try", "tried", "trying", "tries"]}}, {"LOWER": {"IN": ["not", "n't", "nt"]}},
                    {"LOWER": "to"}]),
    ("not sure why / no idea what / dont know how (finding present, cause unknown)",
        [{"LOWER": {"IN": ["not", "no", "n't", "nt", "dunno"]}},
         {"LOWER": {"IN": ["sure", "idea", "know", "certain"]}, "OP": "?"},
         {"LOWER": {"IN": WH}}]),
    ("nothing helps / not helping / doesnt work", [{"LOWER": {"IN": ["nothing", "not", "n't", "nt"]}},
        {"LOWER": {"IN": ["seems", "seem", "really", "seemed"]}, "OP": "?"},
        {"LOWER": "to", "OP": "?"},
        {"LOWER": {"IN": ["help", "helps", "helped", "helping", "work", "works", "worked", "working",
                          "ease", "eases", "eased", "easing", "shift", "settle", "settling", "touch", "touches"]}}]),
    ("wont go away / cant get rid of / cant shake", [{"LOWER": {"IN": ["not", "n't", "nt", "never"]}},
        {"LOWER": {"IN": ["go", "goes", "gone", "going", "get", "got", "shake", "shift", "stop", "stopped", "stops",
                          "stopping", "ease", "eased", "easing", "settle", "settled"]}},
        {"LOWER": {"IN": ["away", "rid", "off", "down"]}, "OP": "?"}]),
    ("cant sleep for/because of the pain", [{"LOWER": {"IN": CAN}}, {"LOWER": {"IN": NOT}},
        {"LOWER": {"IN": ["sleep", "walk", "sit", "stand", "move", "cope", "function", "think", "breathe", "drive"]}},
        {"LOWER": {"IN": ["for", "because", "with", "due", "from", "cos", "coz"]}}]),
    ("cant X (..) without Y: X brings Y on", [{"LOWER": {"IN": CAN}}, {"LOWER": {"IN": NOT}},
        {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["but", "and", "so", "because"]}},
        {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["but", "and", "so", "because"]}, "OP": "?"},
        {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["but", "and", "so", "because"]}, "OP": "?"},
        {"IS_PUNCT": False, "LOWER": {"NOT_IN": ["but", "and", "so", "because"]}, "OP": "?"},
        {"LOWER": "without"}]),
    ("no way", [{"LOWER": "no"}, {"LOWER": "way"}]),
]
for literal, pattern in PSEUDO:
    rule(NEG, literal, "PSEUDO", pattern)

# --- clause ends: forum posts run clauses together with commas and "and" ---
rule(NEG, ", / and + new subject", "TERMINATE",
     [{"LOWER": {"IN": [",", "and", "&", "-"]}}, {"LOWER": {"IN": SUBJ}}])
rule(NEG, "which / so / then / just / plus / also / now / cos", "TERMINATE",
     [{"LOWER": {"IN": ["which", "so", "then", "whereas", "while", "whilst", "just", "plus", "also", "now",
                        "besides", "otherwise", "cos", "coz", "bc", "due", "anyway", "anyways", "only"]}}])

# --- uncertainty ---
rule(POSS, "not sure / unsure / not certain", "FORWARD",
     [{"LOWER": {"IN": ["not", "unsure", "n't", "nt"]}}, {"LOWER": {"IN": ["sure", "certain"]}, "OP": "?"},
      {"LOWER": {"IN": ["about", "if", "whether", "of", "its", "it's", "it", "that"]}, "OP": "?"}])
rule(POSS, "maybe / perhaps / possibly", "FORWARD",
     [{"LOWER": {"IN": ["maybe", "mayb", "perhaps", "possibly", "prob", "probs"]}}])
rule(POSS, "might / may / could have / be", "FORWARD",
     [{"LOWER": {"IN": ["might", "may", "could", "maybe"]}}, {"LOWER": {"IN": ["have", "be", "of", "'ve", "ve"]}}],
     )
rule(POSS, "no idea if / dont know if / dunno if / wondering if", "FORWARD",
     [{"LOWER": {"IN": ["idea", "know", "dunno", "wondering", "wonder", "unclear", "question"]}},
      {"LOWER": {"IN": ["if", "whether"]}}])
rule(POSS, "hard to say / hard to tell", "FORWARD",
     [{"LOWER": {"IN": ["hard", "difficult"]}}, {"LOWER": "to"}, {"LOWER": {"IN": ["say", "tell"]}}])
rule(POSS, "i guess / i suspect / kind of think", "FORWARD",
     [{"LOWER": "i"}, {"LOWER": {"IN": ["guess", "suspect", "reckon"]}}])

# --- hypotheticals: in posts "hurts if I sit" is the trigger (affirmed), so "if" does not reach activities
rule(HYP, "if (not activities)", "FORWARD", [{"LOWER": {"IN": ["if", "incase"]}}],
     allowed_types=["SYMPTOM", "EVENT", "RISK_FACTOR", "BODY_LOCATION"])
rule(HYP, "what if / in case / worried I might", "FORWARD",
     [{"LOWER": {"IN": ["what", "in"]}}, {"LOWER": {"IN": ["if", "case"]}}])

doc = {
    "_comment": "Lay-language ConText rules for HipGuide study. Loaded on top of medspaCy 1.3.1 default rules "
                "minus drop_default_literals; ConText built with prune_on_target_overlap=True.",
    "drop_default_literals": ["if", "free"],
    "context_rules": R,
}
open(__import__("pathlib").Path(__file__).resolve().parent / "lay_context_rules.json", "w").write(json.dumps(doc, indent=1))
print(len(R), "rules")
