"""Typo tolerance: a place named in answer to "Where exactly does it hurt?", and single
typos in any message (:class:`Speller`, used by the finding extractor).

The spaCy patterns match the knowledge data's synonyms exactly; a typed answer often has a
typo ("grion", "buttok", "outter hip"). Here rapidfuzz compares the answer with the synonyms
of every body location, with limits that keep short words from matching wrongly: single
words of at least 5 letters within one edit (Damerau-Levenshtein), longer phrases by partial
ratio >= 90. An answer that matches two different places is not read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from hipguide.knowledge.loader import load_knowledge
from hipguide.language.vocabulary import surface_forms

MIN_WORD = 5
MIN_PHRASE = 9
PHRASE_SCORE = 90.0
# Words too close to a place word to be read as one ("right" ~ "thigh" is 2 edits; these are 1).
NOT_PLACES = frozenset({"going", "thing", "things", "think", "thinks", "bottle", "those", "these", "grown"})


@lru_cache(maxsize=1)
def location_forms() -> Tuple[Tuple[str, str], ...]:
    """(phrase, body location id) for every synonym of every body location."""
    return tuple(sorted({(f.text, f.value) for f in surface_forms(load_knowledge()) if f.entity == "body_location"}))


def read_location(text: str, forms: Tuple[Tuple[str, str], ...] | None = None) -> str | None:
    """The body location an answer names, allowing a typo; None if none or two."""
    forms = location_forms() if forms is None else forms
    cleaned = re.sub(r"[^a-z' ]+", " ", (text or "").lower())
    words = [w for w in cleaned.split() if len(w) >= MIN_WORD and w not in NOT_PLACES]
    found: Dict[str, float] = {}
    for phrase, place in forms:
        if " " not in phrase:
            if len(phrase) < MIN_WORD:
                continue
            if any(DamerauLevenshtein.distance(word, phrase, score_cutoff=1) <= 1 for word in words):
                found[place] = max(found.get(place, 0.0), 95.0)
        elif len(phrase) >= MIN_PHRASE:
            score = fuzz.partial_ratio(phrase, cleaned, score_cutoff=PHRASE_SCORE)
            if score:
                found[place] = max(found.get(place, 0.0), score)
    if not found:
        return None
    best = max(found.values())
    places = [place for place, score in found.items() if score == best]
    return places[0] if len(places) == 1 else None


# Words people type that are neither in the lemmatizer's English word list nor in the
# vocabulary, but must not be "corrected" into a vocabulary word one edit away.
KNOWN_EXTRA = frozenset({
    "physio", "physios", "osteo", "chiro", "parkrun", "strava", "garmin", "ibuprofen", "naproxen",
    "paracetamol", "tylenol", "advil", "okay", "yeah", "dunno", "gonna", "wanna", "lemme",
    "kinda", "sorta", "hiya", "thanks", "cheers", "pilates", "crossfit", "zumba", "netball",
})


# QWERTY rows: a key's neighbours are the keys beside it and diagonally above and below.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(key: str) -> str:
    for r, row in enumerate(_ROWS):
        c = row.find(key)
        if c >= 0:
            near = [row[c - 1] if c else "", row[c + 1 : c + 2]]
            for other in (r - 1, r + 1):
                if 0 <= other < len(_ROWS):
                    near.append(_ROWS[other][max(c - 1, 0) : c + 2])
            return "".join(near)
    return ""


def _edit_rank(typed: str, word: str) -> int:
    """How likely one edit turns ``word`` into ``typed``, most likely first: letters swapped
    (0), a letter dropped or added (1), a neighbouring key (2), another letter (3)."""
    if len(typed) != len(word):
        return 1
    diffs = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and typed[diffs[0]] == word[diffs[1]] \
            and typed[diffs[1]] == word[diffs[0]]:
        return 0
    if len(diffs) == 1 and typed[diffs[0]] in _neighbours(word[diffs[0]]):
        return 2
    return 3


class Speller:
    """Corrects single typos in words the extractor would otherwise not know.

    A word is corrected only when it has at least ``MIN_WORD`` letters, is not an English
    word the lemmatizer knows, and exactly one vocabulary word is closest to it: one edit
    away (Damerau-Levenshtein: "grion" -> "groin", "numbess" -> "numbness"), or two for
    words of nine letters or more. Of equally close words the likeliest slip wins (letters
    swapped, then one dropped or added, then a neighbouring key: "buttok" is "buttock", not
    "button"; "otuer" is "outer", not "other"); a tie after that is left as typed.
    """

    def __init__(self, vocabulary: Iterable[str], is_english: Callable[[str], bool]) -> None:
        self._vocabulary = sorted({w for w in vocabulary if len(w) >= MIN_WORD - 1 and w.isalpha()})
        self._known = set(self._vocabulary)
        self._is_english = is_english

    def correct(self, word: str) -> str:
        lowered = word.lower()
        if (len(lowered) < MIN_WORD or not lowered.isalpha() or lowered in self._known
                or lowered in KNOWN_EXTRA or self._is_english(lowered)):
            return word
        limit = 2 if len(lowered) >= 9 else 1
        matches = process.extract(lowered, self._vocabulary, scorer=DamerauLevenshtein.distance,
                                  score_cutoff=limit, limit=None)
        if not matches:
            return word
        closest = min(score for _, score, _ in matches)
        best = [choice for choice, score, _ in matches if score == closest]
        if len(best) > 1:
            likeliest = min(_edit_rank(lowered, choice) for choice in best)
            best = [choice for choice in best if _edit_rank(lowered, choice) == likeliest]
        return best[0] if len(best) == 1 else word

    def correct_all(self, words: Sequence[str]) -> List[str]:
        return [self.correct(w) for w in words]
