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
import itertools
import json
import shutil
import sys
from pathlib import Path
from typing import Any, Dict, List, Sequence

from hipguide.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, KnowledgeError, load_knowledge
from hipguide.language.vocabulary import Description, SurfaceForm, descriptions, surface_forms
from hipguide.paths import PROJECT_ROOT

DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "spacy" / "hipguide_en"
FINGERPRINT_FILE = "hipguide_fingerprint.txt"
PIPELINE_VERSION = "7"  # bump when the assembly below changes
# Words a side may follow inside a place's name ("the back of my left thigh", "my inner right
# thigh", "the outer left hip").
SIDE_AFTER = frozenset({"my", "his", "her", "their", "the", "your", "our", "inner", "outer", "upper",
                        "lower", "inside", "outside"})
SIDE_WORDS = {"left": "left", "right": "right"}
SPANS_KEY = "hipguide"
PLACES_KEY = "hipguide_places"  # every place named, also inside another finding's words
DESCRIBED_KEY = "hipguide_described"
OVERLAPPING_ENTITIES = {"treatment", "condition"}
# A description's word groups may be this many words apart, never across a clause break
# or a negation (so "calf isn't swollen" is not read as a swollen calf).
DESCRIPTION_GAP = 4
_GAP_BREAKS = sorted({
    ".", "!", "?", ";", "but", "although", "though", "however", "except", "whereas", "because",
    "no", "not", "n't", "nt", "never", "without", "nothing", "cant", "dont", "didnt", "isnt",
    "wasnt", "doesnt", "arent", "havent", "hasnt", "wont",
})


def _blank_pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    return nlp


def _token(tok: Any) -> Dict[str, Any]:
    if tok.lemma_.lower() == tok.lower_:
        return {"LOWER": {"IN": sorted({tok.lower_, tok.lemma_.lower()})}}
    return {"LEMMA": {"IN": sorted({tok.lemma_.lower(), tok.lower_})}}


def _group_alternatives(phrases: Sequence[str], nlp: Any) -> List[List[Dict[str, Any]]]:
    """Token sequences matching any phrase of a group; one-word phrases share one token.

    One-word phrases match as written (list the inflections): by lemma, "upped" would
    match "up" and "dropped" "drop"."""
    single, multi = set(), []
    for phrase in phrases:
        doc = nlp(phrase)
        if len(doc) == 1:
            single.add(doc[0].lower_)
        else:
            multi.append([_token(tok) for tok in doc])
    return ([[{"LOWER": {"IN": sorted(single)}}]] if single else []) + multi


def description_patterns(described: List[Description], nlp: Any) -> List[Dict[str, Any]]:
    """Entity-ruler patterns for finding descriptions: the groups a few words apart."""
    gap = [{"LOWER": {"NOT_IN": _GAP_BREAKS}, "IS_SPACE": False, "OP": "?"}] * DESCRIPTION_GAP
    patterns: List[Dict[str, Any]] = []
    for description in described:
        groups = [_group_alternatives(group, nlp) for group in description.groups]
        for combination in itertools.product(*groups):
            tokens: List[Dict[str, Any]] = []
            for i, alternative in enumerate(combination):
                tokens.extend(([*gap] if i else []) + alternative)
            patterns.append({"label": description.entity, "id": description.value, "pattern": tokens})
    return patterns


def _with_side(entity: str, tokens: List[Dict[str, Any]], words: List[str]) -> List[Dict[str, Any]]:
    """A place's pattern that also matches with a side before it or after "my", "the"...:
    "the front of my right hip" and "my left hip flexor" name the place (the extractor
    reads the side inside it)."""
    if entity != "body_location":
        return tokens
    out: List[Dict[str, Any]] = [{"LOWER": {"IN": sorted(SIDE_WORDS)}, "OP": "?"}]  # "left hip flexor"
    for token, word in zip(tokens, words, strict=True):
        out.append(token)
        if word in SIDE_AFTER:
            out.append({"LOWER": {"IN": sorted(SIDE_WORDS)}, "OP": "?"})
    return out


def patterns_for(forms: List[SurfaceForm], nlp: Any) -> List[Dict[str, Any]]:
    """Token patterns matching each phrase by lower-case form or by lemma."""
    patterns: List[Dict[str, Any]] = []
    seen = set()
    for form in forms:
        doc = nlp(form.text)
        words = [tok.lower_ for tok in doc]
        token_pattern = _with_side(form.entity, [_token(tok) for tok in doc], words)
        key = (json.dumps(token_pattern, sort_keys=True), form.entity, form.value)
        if key in seen:
            continue
        seen.add(key)
        patterns.append({"label": form.entity, "id": form.value, "pattern": token_pattern})
        # the exact lower-case wording too (lemmas of unusual words can drift)
        exact = _with_side(form.entity, [{"LOWER": tok.lower_} for tok in doc], words)
        exact_key = (json.dumps(exact, sort_keys=True), form.entity, form.value)
        if exact_key not in seen:
            seen.add(exact_key)
            patterns.append({"label": form.entity, "id": form.value, "pattern": exact})
    return patterns


def inputs_fingerprint(forms: List[SurfaceForm], described: Sequence[Description] = ()) -> str:
    import spacy

    digest = hashlib.sha256(f"{PIPELINE_VERSION}|{spacy.__version__}|{DESCRIPTION_GAP}".encode())
    for form in forms:
        digest.update(f"{form.text}|{form.entity}|{form.value}\n".encode())
    for description in described:
        digest.update(f"{description.groups}|{description.entity}|{description.value}\n".encode())
    return digest.hexdigest()


def build(output: Path = DEFAULT_OUTPUT, knowledge: Path = DEFAULT_KNOWLEDGE_DIR,
          force: bool = False) -> bool:
    """Build the pipeline into ``output``; returns False when it was already current."""
    kb = load_knowledge(knowledge)
    forms, described = surface_forms(kb), descriptions(kb)
    fingerprint = inputs_fingerprint(forms, described)
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
    # Places again, overlaps allowed: "a lump in my groin" is a lump and a groin.
    place_ruler = nlp.add_pipe("span_ruler", name="place_ruler",
                               config={"spans_key": PLACES_KEY, "validate": True})
    place_ruler.add_patterns([p for p in finding_patterns if p["label"] == "body_location"])
    # Descriptions ("numb ... when I wipe") go to their own span group, so the findings
    # named inside one ("the side of my hip is red and hot") are kept as well.
    described_ruler = nlp.add_pipe("span_ruler", name="described_ruler",
                                   config={"spans_key": DESCRIBED_KEY, "validate": True})
    described_ruler.add_patterns(description_patterns(described, nlp))
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
