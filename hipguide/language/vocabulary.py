"""Surface forms for every entity the assistant recognises, generated from the knowledge data.

One source of truth: the spaCy entity patterns and the NLU lookup tables both come from
:func:`surface_forms`, which reads findings, treatments and condition lay names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Set, Tuple

from hipguide.knowledge.loader import KnowledgeBase
from hipguide.knowledge.schema import FindingType

# Contractions people write with or without the apostrophe.
_CONTRACTIONS = {
    "cant": ["can't", "cannot", "can not"],
    "dont": ["don't", "do not"],
    "wont": ["won't", "will not"],
    "didnt": ["didn't", "did not"],
    "isnt": ["isn't", "is not"],
    "crohns": ["crohn's"],
    "gilmore's": ["gilmores"],
    "runner's": ["runners"],
}


@dataclass(frozen=True)
class SurfaceForm:
    """A phrase as people write it, with the entity type and canonical value it denotes."""

    text: str
    entity: str
    value: str


def spelling_variants(text: str) -> List[str]:
    """The phrase plus its apostrophe, hyphen and contraction variants, lower-cased."""
    base = text.lower().strip()
    variants = {base, base.replace("-", " "), base.replace("'", "")}
    if re.search(r"\bmy\b", base):  # "outside of my hip" -> "... his hip", "... the hip"
        variants |= {re.sub(r"\bmy\b", pronoun, base) for pronoun in ("his", "her", "their", "the")}
    for plain, alternatives in _CONTRACTIONS.items():
        if re.search(rf"\b{re.escape(plain)}\b", base):
            for alt in alternatives:
                variants.add(re.sub(rf"\b{re.escape(plain)}\b", alt, base))
    return sorted(v for v in variants if v)


def surface_forms(kb: KnowledgeBase) -> List[SurfaceForm]:
    """Every (phrase, entity type, canonical value) the assistant should recognise."""
    forms: List[SurfaceForm] = []
    for finding in kb.findings.values():
        if finding.type == FindingType.derived:
            continue
        phrases: Iterable[str] = [*finding.synonyms, finding.id.replace("_", " ")]
        for phrase in phrases:
            forms.extend(SurfaceForm(v, finding.type.value, finding.id) for v in spelling_variants(phrase))
    for treatment in kb.treatments.values():
        for phrase in [*treatment.synonyms, treatment.id.replace("_", " ")]:
            forms.extend(SurfaceForm(v, "treatment", treatment.id) for v in spelling_variants(phrase))
    for condition in kb.conditions.values():
        for phrase in [*condition.lay_names, condition.id.replace("_", " ")]:
            forms.extend(SurfaceForm(v, "condition", condition.id) for v in spelling_variants(phrase))
    return _dedupe(forms)


@dataclass(frozen=True)
class Description:
    """Word groups that together describe a finding (see ``described`` in findings.yml)."""

    groups: Tuple[Tuple[str, ...], ...]
    entity: str
    value: str


def descriptions(kb: KnowledgeBase) -> List[Description]:
    """Every finding description, each group's phrases with their spelling variants."""
    found = []
    for finding in kb.findings.values():
        for groups in finding.described:
            expanded = tuple(
                tuple(dict.fromkeys(v for phrase in group for v in spelling_variants(phrase)))
                for group in groups
            )
            found.append(Description(expanded, finding.type.value, finding.id))
    return found


def _dedupe(forms: List[SurfaceForm]) -> List[SurfaceForm]:
    seen: Set[tuple] = set()
    unique = []
    for form in forms:
        key = (form.text, form.entity, form.value)
        if key not in seen:
            seen.add(key)
            unique.append(form)
    return unique


def lookup_tables(kb: KnowledgeBase) -> Dict[str, List[str]]:
    """Entity type -> sorted unique phrases, for Rasa lookup tables."""
    tables: Dict[str, Set[str]] = {}
    for form in surface_forms(kb):
        tables.setdefault(form.entity, set()).add(form.text)
    return {entity: sorted(phrases) for entity, phrases in sorted(tables.items())}


def canonical_values(kb: KnowledgeBase) -> Dict[str, FrozenSet[str]]:
    """Entity type -> the canonical values the knowledge data defines (what a button may send)."""
    values: Dict[str, Set[str]] = {}
    for finding in kb.findings.values():
        if finding.type != FindingType.derived:
            values.setdefault(finding.type.value, set()).add(finding.id)
    values["treatment"] = set(kb.treatments)
    values["condition"] = set(kb.conditions)
    return {entity: frozenset(ids) for entity, ids in values.items()}
