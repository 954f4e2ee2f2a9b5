"""``make parse TEXT="..."``: what HipGuide understands in one message, without a conversation.

Loads the current model (about 20 s) and prints the intent with its confidence, the entities
the knowledge-based extractor found (with ``negated``/``uncertain`` roles) and the findings
they become. Use it to check a new synonym or example before and after ``make train``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any, Dict, List


def describe(parse: Dict[str, Any]) -> List[str]:
    from hipguide.reasoning.findings import findings_from_entities

    intent = parse.get("intent") or {}
    lines = [f"intent:   {intent.get('name')} ({float(intent.get('confidence') or 0):.2f})"]
    ranking = [f"{r['name']} {float(r['confidence']):.2f}" for r in (parse.get("intent_ranking") or [])[1:4]]
    if ranking:
        lines.append(f"          next: {', '.join(ranking)}")
    entities = parse.get("entities") or []
    for entity in entities:
        role = f" [{entity['role']}]" if entity.get("role") else ""
        lines.append(f"entity:   {entity.get('entity')}={entity.get('value')}{role}  "
                     f"from '{parse.get('text', '')[entity.get('start', 0):entity.get('end', 0)]}'")
    if not entities:
        lines.append("entity:   none found")
    findings = findings_from_entities(entities)
    if findings:
        lines.append("findings: " + ", ".join(f"{k} {v}" for k, v in sorted(findings.items())))
    return lines


async def parse_all(texts: List[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from hipguide_tools.train import model_path

    configure_structlog(logging.ERROR)  # Rasa logs message text at DEBUG
    model = model_path()
    if not model.exists():
        raise FileNotFoundError(f"no model for the current data at {model}: run `make train` first")
    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="+", help="one or more messages")
    args = parser.parse_args(argv)
    from hipguide_tools.quiet import quiet

    try:
        with quiet():
            results = asyncio.run(parse_all(args.texts))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for text, result in zip(args.texts, results, strict=True):
        print(f"\n{text!r}")
        print("\n".join("  " + line for line in describe(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
