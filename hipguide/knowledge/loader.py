"""Load and validate the curated knowledge files into one immutable ``KnowledgeBase``.

Every problem is reported with the file, the entry id and the field, and all problems
are collected before failing, so one run shows everything a curator has to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Tuple, Type, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from hipguide.knowledge.schema import (
    ConditionKind,
    ConditionSpec,
    FindingSpec,
    RedFlagSpec,
    ScoringSpec,
    SeedClaimSpec,
    TreatmentSpec,
)
from hipguide.paths import PROJECT_ROOT

DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a knowledge file."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: entry '{self.entry}', field '{self.field}': {self.message}"


class KnowledgeError(Exception):
    """The knowledge files are invalid; ``problems`` lists every issue found."""

    def __init__(self, problems: List[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge files:\n{lines}")


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything in data/knowledge, validated and cross-checked."""

    findings: Dict[str, FindingSpec]
    conditions: Dict[str, ConditionSpec]
    treatments: Dict[str, TreatmentSpec]
    red_flags: Dict[str, RedFlagSpec]
    seed_claims: Dict[str, SeedClaimSpec]
    scoring: ScoringSpec
    source_files: Tuple[Path, ...] = field(default_factory=tuple)

    def ranked_conditions(self) -> List[ConditionSpec]:
        """Conditions and mimics (beliefs are answered, never ranked)."""
        return [c for c in self.conditions.values() if c.kind != ConditionKind.belief]


class _Collector:
    def __init__(self, root: Path):
        self.root = root
        self.problems: List[Problem] = []
        # ids of entries that failed validation: references to them are not reported
        # again as "unknown", so one mistake gives one message.
        self.invalid_ids: set = set()

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent.parent))
        except ValueError:
            return str(path)

    def add(self, path: Path, entry: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.rel(path), entry, field_name, message))

    def read_yaml(self, path: Path) -> Any | None:
        try:
            with path.open(encoding="utf-8") as handle:
                return yaml.safe_load(handle)
        except FileNotFoundError:
            self.add(path, "-", "-", "file is missing")
        except yaml.YAMLError as error:
            self.add(path, "-", "-", f"not valid YAML: {error}")
        return None

    def entries(self, path: Path, key: str) -> List[Tuple[int, Mapping[str, Any]]]:
        data = self.read_yaml(path)
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.add(path, "-", key, f"the file must hold a list under `{key}:`")
            return []
        result: List[Tuple[int, Mapping[str, Any]]] = []
        for index, entry in enumerate(data[key]):
            if not isinstance(entry, dict):
                self.add(path, f"#{index + 1}", "-", "each entry must be a mapping")
                continue
            result.append((index, entry))
        return result

    def parse(self, model: Type[M], path: Path, index: int, raw: Mapping[str, Any]) -> M | None:
        entry = str(raw.get("id", f"#{index + 1}"))
        try:
            return model.parse_obj(raw)
        except ValidationError as error:
            self.invalid_ids.add(entry)
            for detail in error.errors():
                where = ".".join(str(part) for part in detail["loc"])
                self.add(path, entry, where, detail["msg"])
        return None


def _load_many(
    collector: _Collector, model: Type[M], files: Iterable[Path], key: str
) -> Dict[str, Tuple[M, Path]]:
    loaded: Dict[str, Tuple[M, Path]] = {}
    for path in files:
        for index, raw in collector.entries(path, key):
            spec = collector.parse(model, path, index, raw)
            if spec is None:
                continue
            spec_id = spec.id  # type: ignore[attr-defined]
            if spec_id in loaded:
                first = collector.rel(loaded[spec_id][1])
                collector.add(path, spec_id, "id", f"duplicate id (first defined in {first})")
                continue
            loaded[spec_id] = (spec, path)
    return loaded


def load_knowledge(root: Path = DEFAULT_KNOWLEDGE_DIR) -> KnowledgeBase:
    """Read, validate and cross-check every knowledge file under ``root``.

    Raises:
        KnowledgeError: listing every problem, each naming file, entry and field.
    """
    root = Path(root)
    c = _Collector(root)
    condition_files = sorted((root / "conditions").glob("*.yml"))
    if not condition_files:
        c.add(root / "conditions", "-", "-", "no condition files found")
    findings = _load_many(c, FindingSpec, [root / "findings.yml"], "findings")
    conditions = _load_many(c, ConditionSpec, condition_files, "conditions")
    treatments = _load_many(c, TreatmentSpec, [root / "treatments.yml"], "treatments")
    red_flags = _load_many(c, RedFlagSpec, [root / "red_flags.yml"], "red_flags")
    claims = _load_many(c, SeedClaimSpec, [root / "seed_claims.yml"], "seed_claims")
    scoring_path = root / "scoring.yml"
    scoring_raw = c.read_yaml(scoring_path)
    scoring = None
    if scoring_raw is not None:
        if isinstance(scoring_raw, dict):
            scoring = c.parse(ScoringSpec, scoring_path, 0, {**scoring_raw})
        else:
            c.add(scoring_path, "-", "-", "the file must be a mapping")

    if not any(p.entry == "-" for p in c.problems):
        # Cross-checks only make sense once every file parsed; otherwise an unreadable
        # file would bury the real problem under "unknown id" noise.
        _check_references(c, findings, conditions, treatments, red_flags, claims)
    if c.problems or scoring is None:
        raise KnowledgeError(c.problems or [Problem(c.rel(scoring_path), "-", "-", "invalid")])
    files = [root / "findings.yml", root / "treatments.yml", root / "red_flags.yml",
             root / "seed_claims.yml", scoring_path, *condition_files]
    return KnowledgeBase(
        findings={k: v for k, (v, _) in findings.items()},
        conditions={k: v for k, (v, _) in conditions.items()},
        treatments={k: v for k, (v, _) in treatments.items()},
        red_flags={k: v for k, (v, _) in red_flags.items()},
        seed_claims={k: v for k, (v, _) in claims.items()},
        scoring=scoring,
        source_files=tuple(files),
    )


def _check_references(
    c: _Collector,
    findings: Mapping[str, Tuple[FindingSpec, Path]],
    conditions: Mapping[str, Tuple[ConditionSpec, Path]],
    treatments: Mapping[str, Tuple[TreatmentSpec, Path]],
    red_flags: Mapping[str, Tuple[RedFlagSpec, Path]],
    claims: Mapping[str, Tuple[SeedClaimSpec, Path]],
) -> None:
    def need(ids: Iterable[str], known: Mapping[str, Any], path: Path, entry: str, where: str,
             what: str) -> None:
        for ref in ids:
            if ref not in known and ref not in c.invalid_ids:
                c.add(path, entry, where, f"unknown {what} id '{ref}'")

    for cid, (cond, path) in conditions.items():
        for category, ids in cond.findings.by_category().items():
            need(ids, findings, path, cid, f"findings.{category}", "finding")
        need(cond.weights, findings, path, cid, "weights", "finding")
        for i, use in enumerate(cond.treatments):
            need([use.treatment], treatments, path, cid, f"treatments.{i}.treatment", "treatment")
        need(cond.maps_to, conditions, path, cid, "maps_to", "condition")
        # A finding cannot both fit a condition and usually be absent in it.
        expected = set(cond.findings.usually_absent)
        for category, ids in cond.findings.by_category().items():
            if category == "usually_absent":
                continue
            for fid in sorted(expected & set(ids)):
                c.add(path, cid, f"findings.{category}", f"'{fid}' is also listed under usually_absent")
    for rid, (flag, path) in red_flags.items():
        need(flag.conditions, conditions, path, rid, "conditions", "condition")
        for i, clause in enumerate(flag.when):
            need(clause, findings, path, rid, f"when.{i}", "finding")
        need(flag.screen_when, findings, path, rid, "screen_when", "finding")
    for sid, (claim, path) in claims.items():
        need(claim.conditions, conditions, path, sid, "conditions", "condition")
        need(claim.treatments, treatments, path, sid, "treatments", "treatment")
