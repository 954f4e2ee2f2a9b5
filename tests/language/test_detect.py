"""The English check never turns away an English message and catches clear other languages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hipguide.language.detect import looks_english

ROOT = Path(__file__).resolve().parents[2]


def english_messages() -> list:
    messages = []
    for path in sorted((ROOT / "tests" / "nlu").glob("heldout_*.txt")):
        messages += [line.split("|")[-1].strip() for line in path.read_text().splitlines()
                     if line.strip() and not line.startswith("#")]
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            messages += [e.lstrip("- ").strip() for e in str(item.get("examples", "")).splitlines() if e.strip()]
    return messages


def test_no_english_training_or_held_out_message_is_turned_away() -> None:
    messages = english_messages()
    assert len(messages) > 1500
    assert [m for m in messages if not looks_english(m)] == []


@pytest.mark.parametrize("text", [
    "me duele la cadera cuando corro", "j'ai mal à la hanche depuis une semaine",
    "ich habe Schmerzen in der Hüfte", "mi fa male l'anca quando corro", "estou com dor no quadril",
    "ik heb pijn in mijn heup", "у меня болит бедро", "髋关节疼痛", "ألم في الورك",  # noqa: RUF001
])
def test_other_languages_are_recognised(text: str) -> None:
    assert not looks_english(text)


@pytest.mark.parametrize("text", ["hola", "ok", "😭😭", "/describe_symptoms{\"side\": \"left\"}",
                                  "I can’t walk on it", "my hip hurts, no numbness",  # noqa: RUF001
                                  "Pilates and yoga make it better"])
def test_short_payload_and_english_messages_pass(text: str) -> None:
    assert looks_english(text)
