"""A Rasa entity extractor over HipGuide's own spaCy pipeline.

The entity ruler (patterns generated from data/knowledge) finds mentions and gives each
its canonical value; :mod:`hipguide.language.negation` marks negated or uncertain ones
with a role; ages and durations are found by :mod:`hipguide.reasoning.findings`.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from hipguide.language.build_spacy import DESCRIBED_KEY, PLACES_KEY, SIDE_WORDS, SPANS_KEY
from hipguide.language.fuzzy import Speller
from hipguide.language.negation import Assertion, Mention, role_for
from hipguide.language.questions import looks_like_a_question
from hipguide.language.senses import not_a_finding, treatment_rather_than_finding
from hipguide.reasoning.findings import find_age, find_duration, find_severity


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP"
)
class FindingEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Knowledge-based entities with canonical values and a `negated`/`uncertain` role."""

    @classmethod
    def required_components(cls) -> List[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"extract_age": True, "extract_duration": True, "extract_severity": True,
                "correct_typos": True}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._config = config
        self._spellers: Dict[int, Speller] = {}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> FindingEntityExtractor:
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get("intent") or {}).get("name")
            parsed = message.get(SPACY_DOCS[TEXT])  # SpacyNLP's doc of the same lower-cased text
            extracted = self.add_extractor_name(self.extract(text, model, intent, parsed))
            message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages

    def extract(self, text: str, model: SpacyModel, intent: str | None = None,
                parsed: Doc | None = None) -> List[Dict[str, Any]]:
        """Entities of ``text``; ``intent`` decides between overlapping names and findings.
        ``parsed``: the pipeline's doc of the lower-cased text when SpacyNLP already made it."""
        lowered = text.lower()
        if len(lowered) != len(text):  # keep character offsets valid
            lowered = text
        # "sore hip-flexors", "my sit-bone": a hyphen between letters reads as a space (the
        # same length, so offsets stay valid)
        lowered = _LETTER_HYPHEN.sub(" ", lowered)
        typed = parsed if parsed is not None and parsed.text == lowered else model.model(lowered)
        doc = self._spelled(typed, model)  # the same tokens, single typos corrected
        tokens = [t.text for t in doc]
        ents = [e for e in doc.ents if not not_a_finding(tokens, e.start, e.end)]
        ents += self._described(ents, list(doc.spans.get(DESCRIBED_KEY, [])))
        # a name is preferred only when something is asked: "yoga stretches make it worse",
        # even if the classifier took it for a treatment question, tells what brings it on
        asking = intent if looks_like_a_question(text) else None
        chosen = self._resolve(ents, list(doc.spans.get(SPANS_KEY, [])), asking, tokens)
        mentions = [Mention(e.start, e.end) for e in chosen]
        entities: List[Dict[str, Any]] = []
        roles: Dict[Tuple[int, int], str | None] = {}
        for ent, mention in zip(chosen, mentions, strict=True):
            role = role_for(ent.label_, tokens, mention, mentions)
            roles[(ent.start, ent.end)] = role.value if role else None
            entities.append(_entity(typed, ent.start, ent.end, ent.label_, ent.id_ or ent.text,
                                    roles[(ent.start, ent.end)]))
        # "a lump in my groin": the place inside another finding's words, when that finding is
        # affirmed ("no lump in my groin" denies the lump, not the groin)
        for place in _places_inside(chosen, list(doc.spans.get(PLACES_KEY, [])), tokens):
            container = next(s for s in chosen if s.start <= place.start and place.end <= s.end)
            # (unsure of a "groin strain", not of the groin)
            if roles[(container.start, container.end)] in (None, Assertion.uncertain.value):
                entities.append(_entity(typed, place.start, place.end, "body_location", place.id_, None))
        for place, token in _sides_inside(chosen):  # "the front of my right hip"
            entities.append(_entity(typed, token.i, token.i + 1, "side", SIDE_WORDS[token.lower_],
                                    roles[(place.start, place.end)]))
        entities.extend(self._quantities(text))
        return entities

    def _spelled(self, doc: Any, model: SpacyModel) -> Any:
        """``doc`` again with single typos corrected ("grion" -> "groin"), or ``doc`` itself."""
        if self._config.get("correct_typos") is False:
            return doc
        speller = self._speller(model)
        words = [t.text for t in doc]
        corrected = speller.correct_all(words)
        if corrected == words:
            return doc
        fixed = Doc(model.model.vocab, words=corrected, spaces=[bool(t.whitespace_) for t in doc])
        for _, component in model.model.pipeline:
            fixed = component(fixed)
        return fixed

    def _speller(self, model: SpacyModel) -> Speller:
        """One speller per spaCy pipeline: the vocabulary is every word of its patterns."""
        key = id(model.model)
        if self._spellers.get(key) is None:
            nlp = model.model
            words = set()
            for name in ("entity_ruler", "span_ruler", "described_ruler"):
                if name in nlp.pipe_names:
                    for pattern in nlp.get_pipe(name).patterns:
                        words |= _pattern_words(pattern["pattern"])
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
            lemmas = set(table.values())
            self._spellers = {key: Speller(words, lambda w: w in table or w in lemmas)}
        return self._spellers[key]

    @staticmethod
    def _described(named: List[Any], described: List[Any]) -> List[Any]:
        """Findings described rather than named, when no named finding says the same there.

        Of overlapping descriptions the longest is kept; they may overlap named findings
        (a place inside "the side of my hip is red and hot" is a finding of its own)."""
        new = [s for s in described if not any(n.id_ == s.id_ and _overlaps(s, n) for n in named)]
        return _longest_first(new)

    @staticmethod
    def _resolve(findings: List[Any], others: List[Any], intent: str | None,
                 tokens: List[str] | None = None) -> List[Any]:
        """Choose between finding mentions and overlapping treatment or condition names.

        When the person asks about a treatment or a condition, the name wins ("does
        stretching help?", "what is sciatica?"); otherwise the findings win ("outer hip
        pain keeps me up", "yoga stretches make it worse"), except for a treatment that the
        words around show was done for the pain ("PT stretches did nothing"). Spans that
        overlap nothing are always kept; of overlapping names the longest is kept.
        """
        kept_others = _longest_first(others)
        preferred = {"ask_treatment": "treatment", "ask_condition_info": "condition"}.get(intent or "")
        result = []
        for span in kept_others:
            clashing = [f for f in findings if _overlaps(f, span)]
            if not clashing or span.label_ == preferred or (
                    span.label_ == "treatment" and tokens is not None
                    and treatment_rather_than_finding(tokens, span.start, span.end, span.id_)) or (
                    # "my groin strain": the condition; the place inside it is added back
                    span.label_ == "condition" and all(f.label_ in _PLACE_LABELS and span.start <= f.start
                                                       and f.end <= span.end for f in clashing)):
                result.append(span)
                findings = [f for f in findings if f not in clashing]
        return sorted([*findings, *result], key=lambda s: s.start)

    def _quantities(self, text: str) -> List[Dict[str, Any]]:
        found: List[Dict[str, Any]] = []
        age = find_age(text) if self._config["extract_age"] else None
        if age is not None:
            found.append(self._entity("age", age.start, age.end, str(int(age.value))))
        duration = find_duration(text) if self._config["extract_duration"] else None
        if duration is not None:
            found.append(self._entity("duration", duration.start, duration.end, duration.text))
        severity = find_severity(text) if self._config["extract_severity"] else None
        if severity is not None:
            found.append(self._entity("severity", severity.start, severity.end, severity.text))
        return found

    @staticmethod
    def _entity(name: str, start: int, end: int, value: Any) -> Dict[str, Any]:
        return {"entity": name, "start": start, "end": end, "value": value,
                "confidence_entity": 1.0}


def _places_inside(chosen: List[Any], places: List[Any], tokens: List[str]) -> List[Any]:
    """Places named inside another finding's words ("a lump in my groin", "my calf is
    swollen"), when no place mention says so already."""
    named = [s for s in chosen if s.label_ == "body_location"]
    inside = [p for p in places
              if any(s.label_ != "body_location" and s.start <= p.start and p.end <= s.end for s in chosen)
              and not any(_overlaps(p, n) or p.id_ == n.id_ for n in named)
              and not not_a_finding(tokens, p.start, p.end)]
    return _longest_first(inside)


def _sides_inside(chosen: List[Any]) -> List[Tuple[Any, Any]]:
    """(place, side word) for side words inside a place mention, when no side mention of its
    own says so."""
    if any(span.label_ == "side" for span in chosen):
        return []
    return [(span, tok) for span in chosen if span.label_ == "body_location" for tok in span
            if tok.lower_ in SIDE_WORDS]


def _entity(typed: Any, start: int, end: int, label: str, value: Any, role: str | None) -> Dict[str, Any]:
    """An entity over tokens [start, end), with offsets in the text as typed."""
    entity: Dict[str, Any] = {"entity": label, "start": typed[start].idx,
                              "end": typed[end - 1].idx + len(typed[end - 1].text),
                              "value": value, "confidence_entity": 1.0}
    if role is not None:
        entity["role"] = role
    return entity


_PLACE_LABELS = {"body_location", "side"}
_LETTER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


def _overlaps(a: Any, b: Any) -> bool:
    return bool(a.start < b.end and b.start < a.end)


def _longest_first(spans: List[Any]) -> List[Any]:
    """Of overlapping spans the longest (then the first) is kept."""
    kept: List[Any] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(_overlaps(span, k) for k in kept):
            kept.append(span)
    return kept


def _pattern_words(pattern: Any) -> set:
    """The literal words of an entity-ruler token pattern."""
    words: set = set()
    for token in pattern if isinstance(pattern, list) else []:
        for key in ("LOWER", "LEMMA"):
            value = token.get(key)
            if isinstance(value, str):
                words.add(value)
            elif isinstance(value, dict):
                words |= {w for w in value.get("IN", []) if isinstance(w, str)}
    return {w for word in words for w in word.split()}
