"""Typo-tolerant reading of a place named in answer to "Where exactly does it hurt?".

The spaCy patterns match the knowledge data's synonyms exactly; a typed answer often has a
typo ("grion", "buttok", "outter hip"). Here rapidfuzz compares the answer with the synonyms
of every body location, with limits that keep short words from matching wrongly: single
words of at least 5 letters within one edit (Damerau-Levenshtein), longer phrases by partial
ratio >= 90. An answer that matches two different places is not read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, Tuple

from rapidfuzz import fuzz
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
