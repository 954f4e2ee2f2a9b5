"""``python -m hipguide_tools.review_check``: check test stories and reviewed NLU examples.

Run by `make validate`. Every problem names the file, the story or example, and what to do;
nothing is changed. Checked:

- test stories (tests/test_stories.yml, review/stories/*.yml): valid Rasa test-story YAML,
  unique story names, and every intent, entity, action, form and slot known to domain.yml;
- reviewed NLU examples (review/nlu/*.yml): valid Rasa NLU YAML, every intent in domain.yml
  (``nlu_fallback`` must have been corrected), no example that the training data has under
  another intent, no copy of a held-out test message;
- all review files: no e-mail address or phone number (conversations come from real people).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Set

import yaml

from hipguide.paths import PROJECT_ROOT

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w/])\+?\d[\d ()-]{6,}\d(?!\w)")
DIGITS_NEEDED = 8


@dataclass(frozen=True)
class Problem:
    path: Path
    where: str
    message: str

    def __str__(self) -> str:
        try:
            shown = self.path.relative_to(PROJECT_ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}: {self.where}: {self.message}"


def plain(text: str) -> str:
    """Text without entity annotations, lower case, single spaces."""
    return " ".join(ANNOTATION.sub(r"\1", text).lower().split())


def personal_data(text: str) -> str | None:
    if EMAIL.search(text):
        return "an e-mail address"
    for match in PHONE.finditer(text):
        if sum(ch.isdigit() for ch in match.group()) >= DIGITS_NEEDED:
            return "what looks like a phone number"
    return None


class Checker:
    def __init__(self, root: Path = PROJECT_ROOT) -> None:
        from rasa.shared.core.domain import Domain

        self.root = root
        self.domain = Domain.load(str(root / "domain.yml"))
        self.intents: Set[str] = set(self.domain.intents)
        self.entities: Set[str] = set(self.domain.entities)
        self.actions: Set[str] = set(self.domain.action_names_or_texts)
        self.forms: Set[str] = set(self.domain.form_names)
        self.slots: Set[str] = {slot.name for slot in self.domain.slots}
        self.problems: List[Problem] = []

    def problem(self, path: Path, where: str, message: str) -> None:
        self.problems.append(Problem(path, where, message))

    # --- stories -------------------------------------------------------------------------
    def stories(self, paths: Iterable[Path]) -> int:
        seen: Dict[str, Path] = {}
        count = 0
        for path in paths:
            document = self._yaml(path)
            if document is None:
                continue
            stories = document.get("stories")
            if not isinstance(stories, list) or not stories:
                self.problem(path, "file", "has no 'stories:' list")
                continue
            for index, story in enumerate(stories, start=1):
                name = story.get("story") if isinstance(story, dict) else None
                where = f"story '{name}'" if name else f"story {index}"
                if not name:
                    self.problem(path, where, "has no name ('- story: ...')")
                elif name in seen:
                    self.problem(path, where, f"the name is used twice (also in {seen[name].name}): rename one")
                else:
                    seen[name] = path
                steps = story.get("steps") if isinstance(story, dict) else None
                if not isinstance(steps, list) or not steps:
                    self.problem(path, where, "has no steps")
                    continue
                self._steps(path, where, steps)
                count += 1
            self._rasa_reads(path)
        return count

    def _steps(self, path: Path, where: str, steps: List[Any]) -> None:
        for number, step in enumerate(steps, start=1):
            at = f"{where}, step {number}"
            if not isinstance(step, dict):
                self.problem(path, at, "is not a 'key: value' step")
                continue
            if "intent" in step and step["intent"] not in self.intents:
                self.problem(path, at, f"intent '{step['intent']}' is not in domain.yml: "
                                       "use one of its intents (a fallback message belongs under the intent meant)")
            if "intent" in step and "user" not in step and not str(step["intent"]).startswith("/"):
                self.problem(path, at, "a test story step needs the person's words ('user: ...')")
            for entity in step.get("entities") or []:
                name = next(iter(entity)) if isinstance(entity, dict) else entity
                if name not in self.entities:
                    self.problem(path, at, f"entity '{name}' is not in domain.yml")
            for entity in re.findall(r'"entity":\s*"([^"]+)"|\]\(([a-z_]+)[:)]', str(step.get("user", ""))):
                name = entity[0] or entity[1]
                if name and name not in self.entities:
                    self.problem(path, at, f"entity '{name}' is not in domain.yml")
            if "action" in step and step["action"] not in self.actions:
                self.problem(path, at, f"action '{step['action']}' is not in domain.yml")
            if "active_loop" in step and step["active_loop"] not in (None, *self.forms):
                self.problem(path, at, f"form '{step['active_loop']}' is not in domain.yml")
            for slot in step.get("slot_was_set") or []:
                name = next(iter(slot)) if isinstance(slot, dict) else slot
                if name not in self.slots:
                    self.problem(path, at, f"slot '{name}' is not in domain.yml")
            if "user" in step and (kind := personal_data(str(step["user"]))):
                self.problem(path, at, f"the message contains {kind}: remove it before committing")

    def _rasa_reads(self, path: Path) -> None:
        """Rasa's own reader accepts the file as test stories (catches format mistakes)."""
        from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
        from rasa.shared.exceptions import RasaException

        try:
            YAMLStoryReader(self.domain).read_from_file(path)
        except (RasaException, ValueError, KeyError, TypeError) as error:
            self.problem(path, "file", f"Rasa cannot read it as stories: {error}")

    # --- NLU -----------------------------------------------------------------------------
    def nlu(self, paths: Iterable[Path]) -> int:
        from rasa.shared.exceptions import RasaException
        from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

        paths = list(paths)
        if not paths:
            return 0
        trained = self._trained_labels()
        heldout = self._heldout()
        seen: Dict[str, str] = {}
        count = 0
        for path in paths:
            if self._yaml(path) is None:
                continue
            try:
                data = RasaYAMLReader().read(str(path))
            except (RasaException, ValueError, KeyError, TypeError) as error:
                self.problem(path, "file", f"Rasa cannot read it as NLU data: {error}")
                continue
            for example in data.intent_examples:
                text, intent = example.get("text"), example.get("intent")
                where = f"example '{text}'"
                key = plain(text)
                if intent not in self.intents or intent == "nlu_fallback":
                    self.problem(path, where, f"intent '{intent}' is not one of domain.yml's intents: "
                                              "move the example under the intent the person meant")
                if key in trained and trained[key] != intent:
                    self.problem(path, where, f"is under '{intent}' here but under '{trained[key]}' in data/nlu: "
                                              "decide which is right and keep one")
                if key in heldout:
                    self.problem(path, where, "is a held-out test message (tests/nlu): delete it here")
                if key in seen and seen[key] != intent:
                    self.problem(path, where, f"appears under '{seen[key]}' and '{intent}' in review/nlu")
                seen[key] = intent
                if kind := personal_data(text):
                    self.problem(path, where, f"contains {kind}: remove it before committing")
                count += 1
        return count

    def _trained_labels(self) -> Dict[str, str]:
        from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

        labels: Dict[str, str] = {}
        for path in sorted((self.root / "data" / "nlu").rglob("*.yml")):
            for example in RasaYAMLReader().read(str(path)).intent_examples:
                labels[plain(example.get("text"))] = example.get("intent")
        return labels

    def _heldout(self) -> Set[str]:
        from hipguide_tools.eval_nlu import load_heldout

        return {plain(example.text) for example in load_heldout(self.root / "tests" / "nlu")}

    def _yaml(self, path: Path) -> Dict[str, Any] | None:
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "file"
            self.problem(path, where, f"is not valid YAML: {getattr(error, 'problem', error)}")
            return None
        except UnicodeDecodeError:
            self.problem(path, "file", "is not UTF-8 text")
            return None
        if not isinstance(document, dict):
            self.problem(path, "file", "is empty or not a YAML mapping")
            return None
        return document


def check(root: Path = PROJECT_ROOT) -> tuple:
    checker = Checker(root)
    review = root / "review"
    stories = checker.stories([root / "tests" / "test_stories.yml", *sorted((review / "stories").glob("*.yml"))])
    examples = checker.nlu(sorted((review / "nlu").glob("*.yml")))
    return checker.problems, stories, examples


def main(argv: List[str] | None = None) -> int:
    import logging
    import warnings

    logging.disable(logging.WARNING)  # Rasa's readers warn through logging and warnings; every
    warnings.simplefilter("ignore")  # problem this check finds is printed below instead
    problems, stories, examples = check()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in test stories or review files; nothing was changed", file=sys.stderr)
        return 1
    print(f"test stories and review files: {stories} stories, {examples} reviewed NLU examples, no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
