"""Red-flag screening and the triage level.

A red flag is raised when every finding of one of its clauses is present. Absent and
unknown findings never raise a flag. The triage level is the most urgent of the raised
flags and of the likely conditions' default levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List, Sequence, Tuple

from hipguide.reasoning.findings import Findings, FindingState
from hipguide.reasoning.ranking import RankedCondition

TRIAGE_ORDER = ("self_care", "routine", "urgent", "emergency")


def urgency(level: str) -> int:
    """0 for self_care up to 3 for emergency."""
    return TRIAGE_ORDER.index(level)


def most_urgent(levels: Iterable[str | None]) -> str | None:
    known = [level for level in levels if level]
    return max(known, key=urgency) if known else None


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    kind: str  # red_flag | population
    triage: str
    conditions: Tuple[str, ...]
    clauses: Tuple[Tuple[str, ...], ...]
    screen_when: Tuple[str, ...] = ()  # findings that make its questions worth asking


@dataclass(frozen=True)
class RedFlagHit:
    id: str
    kind: str
    triage: str
    conditions: Tuple[str, ...]
    matched: Tuple[str, ...]  # the findings of the clause that fired


def screen_red_flags(rules: Sequence[RedFlagRule], findings: Findings) -> List[RedFlagHit]:
    """Every rule with a clause whose findings are all present, most urgent first."""
    present = {fid for fid, state in findings.items() if state == FindingState.present}
    hits = []
    for rule in rules:
        for clause in rule.clauses:
            if set(clause) <= present:
                hits.append(RedFlagHit(rule.id, rule.kind, rule.triage, rule.conditions, clause))
                break
    hits.sort(key=lambda h: (-urgency(h.triage), h.kind != "red_flag", h.id))
    return hits


SECONDARY_CAUSE_PROBABILITY = 0.3


def triage_level(hits: Sequence[RedFlagHit], likely: Sequence[RankedCondition]) -> str:
    """The most urgent of the red flags and of the likely causes that count.

    The leading cause always counts. A less likely cause counts when it is urgent or an
    emergency (a possible stress fracture must not be waved through) or when it is at
    least 30 % likely; otherwise a routine second guess would over-triage self-care cases.
    """
    counted = [c for i, c in enumerate(likely)
               if i == 0 or urgency(c.default_triage) >= urgency("urgent")
               or c.probability >= SECONDARY_CAUSE_PROBABILITY]
    level = most_urgent([h.triage for h in hits] + [c.default_triage for c in counted])
    return level or "self_care"


def self_care_allowed(hits: Sequence[RedFlagHit], level: str) -> bool:
    """Self-care tips only when nothing urgent was found and no escalation group applies."""
    return urgency(level) < urgency("urgent") and not any(h.kind == "population" for h in hits)
