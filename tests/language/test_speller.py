"""The speller behind typo tolerance: one edit, known vocabulary only, never English words."""

from __future__ import annotations

import pytest

from hipguide.language.fuzzy import Speller

VOCABULARY = ["groin", "buttock", "numbness", "running", "hamstring", "tingling", "sciatica", "outer"]
ENGLISH = {"going", "thing", "bottle", "holding", "router", "otter"}


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(VOCABULARY, lambda word: word in ENGLISH)


@pytest.mark.parametrize("typed,meant", [
    ("grion", "groin"), ("buttok", "buttock"), ("numbess", "numbness"), ("runing", "running"),
    ("hamstirng", "hamstring"), ("tinglign", "tingling"), ("GRION", "groin"),
    ("hammstrng", "hamstring"),  # two edits in a word of nine letters or more
    ("sciatic", "sciatica"),
])
def test_one_typo_is_corrected(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correct(typed) == meant


@pytest.mark.parametrize("typed", [
    "going", "thing", "bottle", "otter",  # English words are never changed
    "grin",  # shorter than five letters
    "grxxn",  # two edits in a short word
    "run-ing", "12345",
])
def test_other_words_are_left_as_typed(speller: Speller, typed: str) -> None:
    assert speller.correct(typed) == typed


def test_a_tie_between_two_words_is_left_alone() -> None:
    speller = Speller(["tender", "render"], lambda word: False)
    assert speller.correct("xender") == "xender"


def test_a_dropped_letter_beats_a_wrong_one() -> None:
    speller = Speller(["buttock", "button"], lambda word: False)
    assert speller.correct("buttok") == "buttock"  # one letter missing, not a k for an n


def test_swapped_letters_beat_a_wrong_letter() -> None:
    speller = Speller(["outer", "other"], lambda word: False)
    assert speller.correct("otuer") == "outer"


def test_a_neighbouring_key_beats_a_distant_one() -> None:
    speller = Speller(["rated", "mated"], lambda word: False)
    assert speller.correct("tated") == "rated"  # t is beside r on the keyboard, far from m
