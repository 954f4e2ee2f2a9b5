"""Measurement study: HipGuide's hand-written negation vs medspaCy 1.3.1 ConText on lay language.

Run with a separate venv (requirements-freeze.txt; medspaCy is not a HipGuide dependency):
    python docs/studies/medspacy_context/study.py [--errors dev|test|all] [--json out]

Reads tests/nlu/lay/lay_*.txt (and tests/nlu/heldout/*.txt if present) read-only.
Lines are split by line number in their file: odd = dev, even = test.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

sys.dont_write_bytecode = True  # never write __pycache__ into the repository
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from hipguide.language.negation import Assertion, Mention, assertion_for  # noqa: E402  (pure Python)

STUDY = Path(__file__).resolve().parent
LAY_RULES = STUDY / "lay_context_rules.json"
DATA_FILES = [ROOT / "tests/nlu/lay/lay_real_posts.txt",
              ROOT / "tests/nlu/lay/lay_red_flags.txt"]
HELDOUT_DIR = ROOT / "tests/nlu/heldout"
if HELDOUT_DIR.is_dir():
    DATA_FILES += sorted(HELDOUT_DIR.glob("*.txt"))

SCORED_TYPES = {"symptom", "body_location", "activity", "event", "risk_factor"}
# Context mentions handed to assertion_for as in production (finding_extractor passes all chosen
# finding entities, which include side); only SCORED_TYPES are scored.
CONTEXT_TYPES = SCORED_TYPES | {"side", "onset"}

# ---- parsing: the evaluation's own reader (hipguide_tools.eval_nlu imports Rasa only
# inside its functions, so it loads in the study's venv) ----
from hipguide_tools.eval_nlu import GoldEntity, parse_line  # noqa: E402


@dataclass
class Example:
    intent: str
    text: str
    entities: List[GoldEntity] = field(default_factory=list)
    file: str = ""
    line: int = 0
    split: str = ""


def load() -> List[Example]:
    examples = []
    for path in DATA_FILES:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            parsed = parse_line(line)
            if parsed is None:
                continue
            ex = Example(parsed.intent, parsed.text, parsed.entities)
            ex.file, ex.line, ex.split = path.name, number, ("dev" if number % 2 else "test")
            examples.append(ex)
    return examples


# ---- pipelines ----
def build_nlp(rules: str | None, extra: Optional[dict] = None, prune_targets: bool = False):
    """spaCy blank English + rule sentencizer + ConText (never PyRuSH).

    ``prune_targets``: ConText's ``prune_on_target_overlap``. medspaCy 1.3.1's own guard against a
    modifier inside a target (ConTextModifier.modifies -> util.tuple_overlaps(modifier, target)) is
    asymmetric and misses a modifier strictly inside the target ("i ca [n't] stand on that leg"), so
    such findings get negated by their own wording. ``prune_on_target_overlap=True`` drops every
    modifier overlapping any target (tuple_overlaps(target, modifier) catches that case).
    """
    import spacy
    from medspacy.context import ConText, ConTextRule  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ctx = nlp.add_pipe("medspacy_context", config={"rules": None if extra else rules, "prune_on_target_overlap": prune_targets})
    if extra:
        drop = {d.lower() for d in extra.get("drop_default_literals", [])}
        default_rules = ConTextRule.from_json(ctx.DEFAULT_RULES_FILEPATH)
        ctx.add([r for r in default_rules if r.literal.lower() not in drop])
        ctx.add([ConTextRule.from_dict(d) for d in extra["context_rules"]])  # "_comment" keys are top-level only
    return nlp


def lay_rules() -> dict:
    return json.loads(LAY_RULES.read_text())


Role = Optional[str]


def post_rule(role: Role, label: str) -> Role:
    """HipGuide drops an uncertain role on body_location (finding_extractor.py)."""
    return None if role == "uncertain" and label == "body_location" else role


def spans_for(doc, ex: Example):
    """(gold entity, Span) for every context-type gold mention, aligned with alignment_mode=expand."""
    out = []
    for g in ex.entities:
        if g.entity not in CONTEXT_TYPES:
            continue
        span = doc.char_span(g.start, g.end, label=g.entity, alignment_mode="expand")
        if span is None:
            raise ValueError(f"no span for {g} in {ex.file}:{ex.line}")
        out.append((g, span))
    return out


def lowered(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else text  # as finding_extractor: keep offsets


def run_handwritten(nlp, ex: Example) -> Dict[GoldEntity, Role]:
    doc = nlp.make_doc(lowered(ex.text))
    tokens = [t.text.lower() for t in doc]
    pairs = spans_for(doc, ex)
    mentions = [Mention(s.start, s.end) for _, s in pairs]
    out = {}
    for (g, s), m in zip(pairs, mentions):
        if g.entity in SCORED_TYPES:
            a = assertion_for(tokens, m, mentions)
            out[g] = post_rule(a.value if a is not None else None, g.entity)
    return out


@dataclass
class CtxOut:
    role: Role
    flags: Dict[str, bool]
    modifiers: List[str]


def run_context(nlp, ex: Example) -> Dict[GoldEntity, CtxOut]:
    doc = nlp.make_doc(lowered(ex.text))
    pairs = spans_for(doc, ex)
    # gold mentions never overlap after alignment in these files (checked in main); ents must not overlap
    doc.ents = [s for _, s in pairs]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    by_offsets = {(e.start, e.end): e for e in doc.ents}
    out = {}
    for g, s in pairs:
        if g.entity not in SCORED_TYPES:
            continue
        e = by_offsets[(s.start, s.end)]
        flags = {k: bool(getattr(e._, k)) for k in
                 ("is_negated", "is_uncertain", "is_hypothetical", "is_historical", "is_family")}
        if flags["is_negated"]:
            role = "negated"
        elif flags["is_uncertain"] or flags["is_hypothetical"]:
            role = "uncertain"
        else:
            role = None
        mods = [f"{m.category}:'{doc[m.modifier_span[0]:m.modifier_span[1]].text}'" for m in e._.modifiers]
        out[g] = CtxOut(post_rule(role, g.entity), flags, mods)
    return out


# ---- combinations ----
def combine_hand_neg_ctx_unc(hand: Role, ctx: Role) -> Role:
    """(d1) hand-written decides negation; ConText (lay) decides uncertainty when hand says affirmed."""
    if hand == "negated":
        return "negated"
    return "uncertain" if ctx == "uncertain" else None


def combine_agree_to_negate(hand: Role, ctx: Role) -> Role:
    """(d2) negated only when both agree (fewer affirmed->negated); otherwise hand-written."""
    if hand == "negated" and ctx != "negated":
        return None
    return hand


# ---- scoring ----
def score(pairs: List[Tuple[Role, Role]]) -> Dict[str, float]:
    c = Counter()
    for gold, pred in pairs:
        c["n"] += 1
        c["correct"] += gold == pred
        c[f"gold_{gold}"] += 1
        if gold != pred:
            c[f"{gold}->{pred}"] += 1
    return {
        "n": c["n"], "acc": c["correct"] / c["n"] if c["n"] else float("nan"),
        "neg->aff": c["negated->None"], "aff->neg": c["None->negated"],
        "unc_conf": sum(v for k, v in c.items() if "->" in k and "uncertain" in k),
        "aff->unc": c["None->uncertain"], "neg->unc": c["negated->uncertain"],
        "unc->aff": c["uncertain->None"], "unc->neg": c["uncertain->negated"],
        "gold_neg": c["gold_negated"], "gold_unc": c["gold_uncertain"],
    }


def fmt_role(r: Role) -> str:
    return r or "affirmed"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", choices=["dev", "test", "all", "none"], default="none",
                    help="print per-mention errors of system (c) for this split")
    ap.add_argument("--system", default="c_context_lay")
    ap.add_argument("--json", type=Path, default=STUDY / "results.json")
    ap.add_argument("--speed-reps", type=int, default=5)
    args = ap.parse_args()

    # --- capture every log record / print produced while the NLP code runs ---
    from loguru import logger as loguru_logger
    captured: List[str] = []
    sink_id = loguru_logger.add(lambda msg: captured.append(str(msg)), level=0)
    root = logging.getLogger()
    root_level = root.level
    root.setLevel(logging.DEBUG)

    class _Cap(logging.Handler):
        def emit(self, record):
            captured.append(self.format(record))

    handler = _Cap(level=logging.DEBUG)
    root.addHandler(handler)
    out_buf, err_buf = io.StringIO(), io.StringIO()

    examples = load()
    with redirect_stdout(out_buf), redirect_stderr(err_buf):
        import medspacy
        import spacy
        nlp_default = build_nlp("default")
        nlp_default_pruned = build_nlp("default", prune_targets=True)
        nlp_lay = build_nlp(None, lay_rules(), prune_targets=True)
        pipe_names = nlp_lay.pipe_names
        preds: Dict[str, Dict[Tuple[str, int, GoldEntity], Role]] = defaultdict(dict)
        ctx_details: Dict[Tuple[str, int, GoldEntity], Tuple[CtxOut, CtxOut]] = {}
        for ex in examples:
            hand = run_handwritten(nlp_lay, ex)
            cdef = run_context(nlp_default, ex)
            cdefp = run_context(nlp_default_pruned, ex)
            clay = run_context(nlp_lay, ex)
            for g in hand:
                key = (ex.file, ex.line, g)
                preds["a_handwritten"][key] = hand[g]
                preds["b_context_default"][key] = cdef[g].role
                preds["b2_default+prune"][key] = cdefp[g].role
                preds["c_context_lay"][key] = clay[g].role
                preds["d1_hand_neg+ctx_unc"][key] = combine_hand_neg_ctx_unc(hand[g], clay[g].role)
                preds["d2_neg_if_both"][key] = combine_agree_to_negate(hand[g], clay[g].role)
                ctx_details[key] = (cdef[g], clay[g])

        # --- speed (ms per message), whole pipeline per message incl. spaCy tokenisation ---
        speed = {}
        for name, fn, nlp in (("a_handwritten", run_handwritten, nlp_lay),
                              ("b_context_default", run_context, nlp_default),
                              ("c_context_lay", run_context, nlp_lay)):
            runs = []
            for _ in range(args.speed_reps):
                t0 = time.perf_counter()
                for ex in examples:
                    fn(nlp, ex)
                runs.append((time.perf_counter() - t0) * 1000 / len(examples))
            speed[name] = statistics.median(runs)
        # tokenisation alone, to separate it out
        runs = []
        for _ in range(args.speed_reps):
            t0 = time.perf_counter()
            for ex in examples:
                nlp_lay.make_doc(lowered(ex.text))
            runs.append((time.perf_counter() - t0) * 1000 / len(examples))
        speed["tokenise_only"] = statistics.median(runs)
        # assertion_for alone on pre-tokenised messages (what HipGuide adds on top of its own spaCy doc)
        prepared = []
        for ex in examples:
            doc = nlp_lay.make_doc(lowered(ex.text))
            pairs = spans_for(doc, ex)
            prepared.append(([t.text for t in doc], [Mention(sp.start, sp.end) for _, sp in pairs],
                             [g.entity in SCORED_TYPES for g, _ in pairs]))
        runs = []
        for _ in range(args.speed_reps):
            t0 = time.perf_counter()
            for tokens, mentions, scored in prepared:
                for m, keep in zip(mentions, scored):
                    if keep:
                        assertion_for(tokens, m, mentions)
            runs.append((time.perf_counter() - t0) * 1000 / len(examples))
        speed["a_assertion_for_only"] = statistics.median(runs)

    loguru_logger.remove(sink_id)
    root.removeHandler(handler)
    root.setLevel(root_level)
    # any captured output holding a message's text or a gold mention's text (>= 5 chars)
    needles = {ex.text.lower()[:30] for ex in examples} | {
        ex.text[g.start:g.end].lower() for ex in examples for g in ex.entities if g.end - g.start >= 5}
    leaked_text = [c for c in captured + [out_buf.getvalue(), err_buf.getvalue()]
                   if c and any(n in c.lower() for n in needles)]

    ex_by_key = {(ex.file, ex.line): ex for ex in examples}
    systems = list(preds)
    table = {}
    for system in systems:
        for file in sorted({ex.file for ex in examples}):
            for split in ("dev", "test", "all"):
                pairs = [(k[2].role, p) for k, p in preds[system].items() if k[0] == file
                         and (split == "all" or ex_by_key[(k[0], k[1])].split == split)]
                table[(system, file, split)] = score(pairs)
        for split in ("dev", "test", "all"):
            pairs = [(k[2].role, p) for k, p in preds[system].items()
                     if split == "all" or ex_by_key[(k[0], k[1])].split == split]
            table[(system, "ALL", split)] = score(pairs)

    pyrush_loaded = any(m.lower().startswith("pyrush") for m in sys.modules)
    print(f"PyRuSH module imported: {pyrush_loaded}; PyRuSH in any pipeline: "
          f"{any('rush' in n.lower() for n in nlp_default.pipe_names + nlp_lay.pipe_names)}")
    print(f"spacy {spacy.__version__}, medspacy {medspacy.__version__}, pipeline {pipe_names}")
    import hashlib
    for path in DATA_FILES:
        print(f"data {path} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]} "
              f"lines {len(path.read_text().splitlines())}")
    print(f"messages {len(examples)}, scored mentions {len(preds['a_handwritten'])}")
    print(f"log records / prints captured during NLP: {len(captured)} log records, "
          f"{len(out_buf.getvalue())} chars stdout, {len(err_buf.getvalue())} chars stderr; "
          f"containing message text: {len(leaked_text)}")
    hdr = f"{'system':22} {'file':22} {'split':5} {'n':>4} {'acc':>6} {'neg>aff':>7} {'aff>neg':>7} " \
          f"{'unc-conf':>8} {'aff>unc':>7} {'unc>aff':>7} {'neg>unc':>7} {'gneg':>4} {'gunc':>4}"
    print(hdr)
    for (system, file, split), s in table.items():
        print(f"{system:22} {file:22} {split:5} {s['n']:4d} {s['acc']:6.3f} {s['neg->aff']:7d} "
              f"{s['aff->neg']:7d} {s['unc_conf']:8d} {s['aff->unc']:7d} {s['unc->aff']:7d} "
              f"{s['neg->unc']:7d} {s['gold_neg']:4d} {s['gold_unc']:4d}")
    print("speed ms/message (median of runs):", {k: round(v, 3) for k, v in speed.items()})

    # flags for information
    flag_counts = Counter()
    for key, (cdef, clay) in ctx_details.items():
        for k, v in clay.flags.items():
            flag_counts[k] += v
    print("ConText (lay) flag counts over scored mentions:", dict(flag_counts))

    disagreements = []
    for key in preds["a_handwritten"]:
        file, line, g = key
        ex = ex_by_key[(file, line)]
        a, b, c = (preds[s][key] for s in ("a_handwritten", "b_context_default", "c_context_lay"))
        if len({a, b, c}) > 1:
            disagreements.append({
                "file": file, "line": line, "split": ex.split, "text": ex.text,
                "mention": ex.text[g.start:g.end], "entity": g.entity, "gold": fmt_role(g.role),
                "a": fmt_role(a), "b": fmt_role(b), "c": fmt_role(c),
                "d1": fmt_role(preds["d1_hand_neg+ctx_unc"][key]),
                "b_mods": ctx_details[key][0].modifiers, "c_mods": ctx_details[key][1].modifiers})

    if args.errors != "none":
        print(f"\n--- errors of {args.system} on {args.errors} ---")
        for key, p in preds[args.system].items():
            file, line, g = key
            ex = ex_by_key[(file, line)]
            if args.errors != "all" and ex.split != args.errors:
                continue
            if p != g.role:
                mods = ctx_details[key][0 if args.system.startswith("b") else 1].modifiers \
                    if not args.system.startswith(("a", "d")) else []
                print(f"{file}:{line} [{ex.text[g.start:g.end]}]({g.entity}) gold={fmt_role(g.role)} "
                      f"pred={fmt_role(p)} {mods}\n    {ex.text}")

    args.json.write_text(json.dumps({
        "versions": {"spacy": spacy.__version__, "medspacy": medspacy.__version__},
        "pipeline": pipe_names,
        "logging_check": {"captured_records": len(captured), "stdout_chars": len(out_buf.getvalue()),
                          "stderr_chars": len(err_buf.getvalue()), "with_message_text": len(leaked_text)},
        "table": [{"system": k[0], "file": k[1], "split": k[2], **v} for k, v in table.items()],
        "speed_ms_per_message": speed,
        "context_lay_flag_counts": dict(flag_counts),
        "disagreements": disagreements,
    }, indent=1))


if __name__ == "__main__":
    main()
