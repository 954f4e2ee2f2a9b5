"""Put ranking, red flags and triage together into one assessment, free of Rasa.

The caller supplies what the knowledge repository returned; this module decides what to
say (which causes, which reasons, which advice), not how it is worded: wording lives in
the domain responses and the knowledge data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Mapping, Sequence, Tuple

from hipguide.reasoning.findings import Findings, FindingState
from hipguide.reasoning.ranking import (
    RankedCondition,
    RankingModel,
    likely_conditions,
    rank_conditions,
)
from hipguide.reasoning.triage import (
    RedFlagHit,
    RedFlagRule,
    most_urgent,
    screen_red_flags,
    self_care_allowed,
    triage_level,
)

MAX_REASONS = 3


@dataclass(frozen=True)
class LikelyCause:
    condition_id: str
    probability: float
    likelihood: str  # "most likely", "possible" ...
    reasons_for: Tuple[str, ...]  # finding labels
    reasons_against: Tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    likely: Tuple[LikelyCause, ...]
    red_flags: Tuple[RedFlagHit, ...]
    triage_level: str
    self_care_allowed: bool
    announced: Tuple[str, ...] = ()  # red flags raised earlier in the conversation

    @property
    def all_red_flag_ids(self) -> List[str]:
        """This assessment's red flags and those announced before it, for the record."""
        return sorted(set(self.announced) | set(self.red_flag_ids))

    @property
    def likely_ids(self) -> List[str]:
        return [c.condition_id for c in self.likely]

    @property
    def red_flag_ids(self) -> List[str]:
        return [h.id for h in self.red_flags]


def likelihood_words(probability: float) -> str:
    if probability >= 0.6:
        return "most likely"
    if probability >= 0.3:
        return "quite likely"
    return "possible"


def _reason_label(finding_id: str, state: FindingState, labels: Mapping[str, str],
                  absent_labels: Mapping[str, str]) -> str:
    """The finding as a reason: its label, or its denial ("no fever", "not worse ...")."""
    label = labels.get(finding_id, finding_id.replace("_", " "))
    if state == FindingState.present:
        return label
    if finding_id in absent_labels:
        return absent_labels[finding_id]
    for article in ("a ", "an "):
        if label.startswith(article):
            label = label[len(article):]
    return f"not {label}" if label.startswith(("worse", "better")) else f"no {label}"


def _explain(ranked: RankedCondition, labels: Mapping[str, str],
             absent_labels: Mapping[str, str]) -> LikelyCause:
    return LikelyCause(
        condition_id=ranked.id,
        probability=ranked.probability,
        likelihood=likelihood_words(ranked.probability),
        reasons_for=tuple(_reason_label(r.finding_id, r.state, labels, absent_labels)
                          for r in ranked.reasons_for[:MAX_REASONS]),
        reasons_against=tuple(_reason_label(r.finding_id, r.state, labels, absent_labels)
                              for r in ranked.reasons_against[:MAX_REASONS]),
    )


def assess(model: RankingModel, rules: Sequence[RedFlagRule], findings: Findings,
           labels: Mapping[str, str], absent_labels: Mapping[str, str] | None = None, *,
           raised_level: str | None = None, announced: Sequence[str] = ()) -> Assessment:
    """The likely causes, red flags and triage for what is known so far.

    A red flag's conditions are always among the likely causes named first, so the
    explanation matches the urgency. ``raised_level`` and ``announced`` are what earlier red
    flags of the conversation set: the triage level never drops below that level, and no
    self-care tips follow an urgent level or an escalation group (a child, a pregnancy, an
    older adult after a fall) even when a later answer took back the finding that raised it.
    """
    hits = screen_red_flags(rules, findings)
    ranked = rank_conditions(model, findings)
    likely = likely_conditions(model, ranked)
    flagged = [cid for h in hits if h.kind == "red_flag" for cid in h.conditions]
    if flagged:
        # The causes a red flag points to lead, so the explanation matches the urgency.
        by_id: Dict[str, RankedCondition] = {r.id: r for r in ranked}
        leading = sorted({by_id[c] for c in flagged if c in by_id}, key=lambda r: -r.probability)
        if leading:
            best = leading[0]
            likely = [best, *(r for r in likely if r.id != best.id)][: model.max_likely]
    level = most_urgent([triage_level(hits, likely), raised_level]) or "self_care"
    earlier = set(announced)
    earlier_population = any(rule.kind == "population" and rule.id in earlier for rule in rules)
    return Assessment(
        likely=tuple(_explain(r, labels, absent_labels or {}) for r in likely),
        red_flags=tuple(hits),
        triage_level=level,
        self_care_allowed=self_care_allowed(hits, level) and not earlier_population,
        announced=tuple(sorted(earlier)),
    )


def new_red_flags(before: Sequence[str] | None, hits: Sequence[RedFlagHit]) -> List[RedFlagHit]:
    """Hits not yet announced in this conversation."""
    seen = set(before or [])
    return [h for h in hits if h.id not in seen]
