"""``python -m hipguide.language.build_spacy``: build HipGuide's own spaCy pipeline.

There is no pretrained English model for spaCy 3.4 on PyPI, and nothing may be fetched
from a model hub, so the pipeline is assembled here: a blank English tokenizer, the
lookup lemmatizer from ``spacy-lookups-data``, and an entity ruler whose patterns are
generated from the knowledge data. Each pattern's ``id`` is the canonical value.
The output folder carries a fingerprint so it is rebuilt only when its inputs change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any, Dict, List

from hipguide.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, KnowledgeError, load_knowledge
from hipguide.language.vocabulary import SurfaceForm, surface_forms

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "spacy" / "hipguide_en"
FINGERPRINT_FILE = "hipguide_fingerprint.txt"
PIPELINE_VERSION = "2"  # bump when the assembly below changes
SPANS_KEY = "hipguide"
OVERLAPPING_ENTITIES = {"treatment", "condition"}


def _blank_pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    return nlp


def patterns_for(forms: List[SurfaceForm], nlp: Any) -> List[Dict[str, Any]]:
    """Token patterns matching each phrase by lower-case form or by lemma."""
    patterns: List[Dict[str, Any]] = []
    seen = set()
    for form in forms:
        doc = nlp(form.text)
        token_pattern = [
            {"LOWER": {"IN": sorted({tok.lower_, tok.lemma_.lower()})}}
            if tok.lemma_.lower() == tok.lower_
            else {"LEMMA": {"IN": sorted({tok.lemma_.lower(), tok.lower_})}}
            for tok in doc
        ]
        key = (json.dumps(token_pattern, sort_keys=True), form.entity, form.value)
        if key in seen:
            continue
        seen.add(key)
        patterns.append({"label": form.entity, "id": form.value, "pattern": token_pattern})
        # the exact lower-case wording too (lemmas of unusual words can drift)
        exact = [{"LOWER": tok.lower_} for tok in doc]
        exact_key = (json.dumps(exact, sort_keys=True), form.entity, form.value)
        if exact_key not in seen:
            seen.add(exact_key)
            patterns.append({"label": form.entity, "id": form.value, "pattern": exact})
    return patterns


def inputs_fingerprint(forms: List[SurfaceForm]) -> str:
    import spacy

    digest = hashlib.sha256(f"{PIPELINE_VERSION}|{spacy.__version__}".encode())
    for form in forms:
        digest.update(f"{form.text}|{form.entity}|{form.value}\n".encode())
    return digest.hexdigest()


def build(output: Path = DEFAULT_OUTPUT, knowledge: Path = DEFAULT_KNOWLEDGE_DIR,
          force: bool = False) -> bool:
    """Build the pipeline into ``output``; returns False when it was already current."""
    forms = surface_forms(load_knowledge(knowledge))
    fingerprint = inputs_fingerprint(forms)
    marker = output / FINGERPRINT_FILE
    if not force and marker.exists() and marker.read_text().strip() == fingerprint:
        return False
    nlp = _blank_pipeline()
    # Patterns are made before the rulers exist (tokens and lemmas only). Findings go to
    # doc.ents (no overlaps: the longest match wins). Treatments and conditions go to
    # doc.spans[SPANS_KEY] so that "outer hip pain" can be both the finding mentions and a
    # lay name of a condition; the extractor picks one by the message's intent.
    findings = [f for f in forms if f.entity not in OVERLAPPING_ENTITIES]
    others = [f for f in forms if f.entity in OVERLAPPING_ENTITIES]
    finding_patterns, other_patterns = patterns_for(findings, nlp), patterns_for(others, nlp)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "validate": True})
    ruler.add_patterns(finding_patterns)
    span_ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "validate": True})
    span_ruler.add_patterns(other_patterns)
    nlp.meta["name"] = "hipguide_en"
    nlp.meta["version"] = "0.1.0"
    nlp.meta["description"] = "HipGuide tokenizer, lookup lemmatizer and knowledge entity ruler"
    output.parent.mkdir(parents=True, exist_ok=True)
    scratch = output.with_name(output.name + ".building")
    shutil.rmtree(scratch, ignore_errors=True)
    nlp.to_disk(scratch)
    (scratch / FINGERPRINT_FILE).write_text(fingerprint + "\n")
    shutil.rmtree(output, ignore_errors=True)
    scratch.rename(output)
    return True


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    try:
        built = build(args.output, force=args.force)
    except KnowledgeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(("built" if built else "up to date:") + f" spaCy pipeline at {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
