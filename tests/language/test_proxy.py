"""Who the patient is (issue 15 step 5)."""

from __future__ import annotations

import pytest

from hipguide.language.proxy import patient_relation


@pytest.mark.parametrize("text, relation", [
    ("my son (13) is limping", "son"),
    ("my 12 year old son is limping and says his knee hurts", "son"),
    ("my mum fell in the garden and can't get up", "mum"),
    ("My dad tripped on the rug, his foot is pointing out", "dad"),
    ("our daughter has groin pain after netball", "daughter"),
    ("my nan had a tumble, shes 84", "nan"),
    ("my 14 year old felt a pop at the front of her hip", None),  # no relation word: ask, do not guess
    ("my wife says I walk funny", None),
    ("my son and I both run and my hip hurts", None),
    ("my hip hurts after running", None),
    ("I've had groin pain since my husband's birthday", None),
    ("my husband's hip has been aching for weeks", "husband"),
])
def test_patient_relation(text: str, relation: str | None) -> None:
    assert patient_relation(text) == relation


@pytest.mark.parametrize("text, place", [
    ("its in my grion", "groin"), ("buttok", "buttock"), ("deep in my backside", "buttock"),
    ("my hamstrng", "back_of_thigh"), ("the side of my hip bone", "outer_hip"),
    ("the right one", None), ("going up stairs", None), ("left", None), ("grown", None),
])
def test_a_place_with_a_typo_is_read(text: str, place: str | None) -> None:
    from hipguide.language.fuzzy import read_location

    assert read_location(text) == place
