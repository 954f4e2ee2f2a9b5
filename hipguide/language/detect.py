"""Is a message written in English? A deliberately cautious check: HipGuide only
understands English, so a message in another language gets a polite notice instead of a
wrong reading, while an English message must never be turned away.

A message counts as not English when most of its letters are outside the Latin script, or
when it has at least two function words of one other common European language and more of
those than English ones. Short messages and button payloads always pass.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_ENGLISH_WORDS = """a an the and or but is are was were be been am i my me you your it its in on at of to
for with from this that these those have has had do does did not no yes can cant can't when what where why how
hurts hurt pain hip leg back after before very really just so if there here he she they we our"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())

OTHER = {
    "spanish": "el la los las un una y o pero es son está estoy tengo me mi mis duele dolor cadera cuando por para con "
               "sin desde muy que del al lo se hace no",
    "french": "le la les un une et ou mais est sont suis j'ai je me mon ma mes mal douleur hanche quand pour avec sans "
              "depuis très que du au ce il elle pas",
    "german": "der die das ein eine und oder aber ist sind bin ich habe mein meine mir mich schmerzen hüfte wenn für "
              "mit ohne seit sehr dass nicht es",
    "italian": "il lo la gli le un una e o ma è sono ho mi mio mia dolore anca quando per con senza da molto che non",
    "portuguese": "o a os as um uma e ou mas é são estou tenho me meu minha dói dor quadril quando por para com sem "
                  "desde muito que não",
    "dutch": "de het een en of maar is zijn ben ik heb mijn me pijn heup wanneer voor met zonder sinds erg dat niet",
}
OTHER_WORDS = {language: frozenset(words.split()) for language, words in OTHER.items()}
MIN_WORDS = 3


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


def looks_english(text: str) -> bool:
    """False only when the message is clearly in another language."""
    if not text or text.lstrip().startswith("/"):
        return True
    words = [w.lower() for w in _WORD.findall(text.replace("\u2019", "'"))]
    letters = sum(len(w) for w in words)
    if letters >= 2 and _latin_share(text) < 0.5:
        return False  # Cyrillic, Greek, Arabic, CJK, ...
    if len(words) < MIN_WORDS:
        return True
    english = sum(1 for w in words if w in ENGLISH)
    for vocabulary in OTHER_WORDS.values():
        foreign = sum(1 for w in words if w in vocabulary and w not in ENGLISH)
        if foreign >= 2 and foreign > english:
            return False
    return True
