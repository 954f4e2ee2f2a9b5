"""Choose the next follow-up question: red-flag screening first, then information gain.

A question is a finding with a yes/no wording in the knowledge data. Screening questions
complete a red-flag clause that is already partly present ("runner with groin pain":
does hopping hurt?). Otherwise the question with the largest expected reduction in the
entropy of the condition probabilities is asked, until the top cause is confident, no
question would change the top three, or the cap is reached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Collection, Dict, Iterable, List, Mapping, Sequence, Tuple

from hipguide.reasoning.findings import Findings, FindingState
from hipguide.reasoning.ranking import RankingModel, rank_conditions
from hipguide.reasoning.triage import RedFlagRule


@dataclass(frozen=True)
class QuestionPolicy:
    """Stopping rules (from the knowledge data's scoring settings)."""

    stop_confidence: float = 0.75  # stop once the top cause is this likely
    min_gain_bits: float = 0.03  # stop when no question is expected to teach more
    max_questions: int = 8  # follow-up questions per conversation
    max_screening: int = 4  # of which red-flag screening questions at most
    base_log_odds: float = -0.85  # prior log-odds that a finding is present (about 30 %)


@dataclass(frozen=True)
class NextQuestion:
    finding_id: str
    reason: str  # "screening" or "information"
    gain_bits: float


def entropy(probabilities: Iterable[float]) -> float:
    return -sum(p * math.log2(p) for p in probabilities if p > 0)


def _posterior(model: RankingModel, findings: Findings) -> Dict[str, float]:
    return {r.id: r.probability for r in rank_conditions(model, findings)}


def _p_yes(model: RankingModel, posterior: Mapping[str, float], finding_id: str,
           base_log_odds: float) -> float:
    """P(answer yes) under the naive-Bayes reading of the weights (log-likelihood ratios)."""
    total = 0.0
    for condition in model.conditions:
        present, absent = condition.weights.get(finding_id, (0.0, 0.0))
        total += posterior[condition.id] / (1 + math.exp(-(base_log_odds + present - absent)))
    return min(max(total, 1e-6), 1 - 1e-6)


def expected_gain(model: RankingModel, findings: Findings, finding_id: str,
                  policy: QuestionPolicy,
                  posterior: Mapping[str, float] | None = None) -> Tuple[float, bool]:
    """(expected entropy reduction in bits, whether some answer changes the top three).

    ``posterior`` is the ranking for ``findings`` when the caller already has it.
    """
    if posterior is None:
        posterior = _posterior(model, findings)
    before = entropy(posterior.values())
    top3 = _top3(posterior)
    p_yes = _p_yes(model, posterior, finding_id, policy.base_log_odds)
    after, changes_top = 0.0, False
    for answer, weight in ((FindingState.present, p_yes), (FindingState.absent, 1 - p_yes)):
        updated = _posterior(model, {**findings, finding_id: answer})
        after += weight * entropy(updated.values())
        changes_top = changes_top or _top3(updated) != top3
    return before - after, changes_top


def _top3(posterior: Mapping[str, float]) -> Tuple[str, ...]:
    return tuple(sorted(posterior, key=lambda c: -posterior[c])[:3])


def screening_candidates(rules: Sequence[RedFlagRule], findings: Findings,
                         askable: Collection[str]) -> List[str]:
    """Questions that would complete a partly present red-flag clause, most urgent first.

    A clause qualifies when at least one of its findings is present, or a finding of the
    flag's ``screen_when`` is (back pain: ask about saddle numbness even though no clause
    has started), and every finding it still needs is askable and not yet answered.
    """
    present = {f for f, s in findings.items() if s == FindingState.present}
    ordered: List[str] = []
    for rule in sorted(rules, key=lambda r: ("emergency", "urgent", "routine").index(r.triage)
                       if r.triage in ("emergency", "urgent", "routine") else 3):
        if rule.kind != "red_flag":
            continue
        triggered = any(f in present for f in rule.screen_when)
        for clause in rule.clauses:
            missing = [f for f in clause if f not in present]
            if not missing or (len(missing) == len(clause) and not triggered):
                continue
            if all(f in askable and f not in findings for f in missing):
                ordered.extend(f for f in missing if f not in ordered)
    return ordered


def next_question(model: RankingModel, rules: Sequence[RedFlagRule], findings: Findings,
                  askable: Collection[str], asked: Sequence[str],
                  policy: QuestionPolicy = QuestionPolicy()) -> NextQuestion | None:
    """The question to ask now, or None when it is time to give the assessment."""
    if len(asked) >= policy.max_questions:
        return None
    open_questions = [f for f in askable if f not in findings and f not in asked]
    location_known = any(findings.get(loc) == FindingState.present for loc in model.location_ids)
    if location_known:
        # Where it hurts is known: asking about other places rarely helps and confuses.
        open_questions = [f for f in open_questions if f not in model.location_ids]
    red_flag_findings = {f for rule in rules for clause in rule.clauses for f in clause}
    screening_asked = sum(1 for f in asked if f in red_flag_findings)
    if screening_asked < policy.max_screening:
        for finding_id in screening_candidates(rules, findings, askable):
            if location_known and finding_id in model.location_ids:
                continue
            if finding_id not in asked:
                return NextQuestion(finding_id, "screening", 0.0)
    posterior = _posterior(model, findings)
    if max(posterior.values()) >= policy.stop_confidence:
        return None
    best: NextQuestion | None = None
    for finding_id in sorted(open_questions):
        gain, changes_top = expected_gain(model, findings, finding_id, policy, posterior)
        if not changes_top or gain < policy.min_gain_bits:
            continue
        if best is None or gain > best.gain_bits:
            best = NextQuestion(finding_id, "information", gain)
    return best
