"""``hipguide-review`` (or ``python -m hipguide_rasa.review``): review stored conversations.

    hipguide-review list [--since 2026-11-01] [--until 2026-11-30] [--fallback] [--red-flag]
                         [--low-confidence [0.6]] [--gave-up] [--repeated]
    hipguide-review show <conversation>      annotated transcript
    hipguide-review story <conversation>     write review/stories/<date>-<conversation>.yml
    hipguide-review nlu <conversation>       write review/nlu/<date>-<conversation>.yml
    hipguide-review serve [--port 5077]      the same as a web page on 127.0.0.1

<conversation> is the 10-character name `list` prints (or the start of a sender id). The
tracker store is TRACKER_STORE_URL, or var/tracker.db, or --db.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, List, Sequence

from hipguide_rasa.review.dates import moment, until_moment
from hipguide_rasa.review.export import PROJECT_ROOT, conversation_label, nlu_yaml, shown, story_yaml, write_export
from hipguide_rasa.review.store import ConversationStore, StoreError
from hipguide_rasa.review.summary import (
    DEFAULT_IDLE,
    DEFAULT_LOW_CONFIDENCE,
    Filters,
    Review,
    entity_text,
    review,
    turn_changes,
)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="hipguide-review", description=__doc__.split("\n\n")[0].split(": ", 1)[1],
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--db", help="SQLAlchemy URL of the tracker store (default: TRACKER_STORE_URL or var/tracker.db)")
    commands = root.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="conversations, most recent first, with their flags")
    listing.add_argument("--since", type=moment, help="only conversations active since (2026-11-01, 7d, 12h)")
    listing.add_argument("--until", type=until_moment,
                         help="only conversations started until (a date includes the day)")
    listing.add_argument("--fallback", action="store_true", help="HipGuide did not understand a message")
    listing.add_argument("--red-flag", action="store_true", help="a red flag was raised")
    listing.add_argument("--low-confidence", type=float, nargs="?", const=DEFAULT_LOW_CONFIDENCE, metavar="BELOW",
                         help=f"an intent was predicted with confidence below BELOW (default {DEFAULT_LOW_CONFIDENCE})")
    listing.add_argument("--gave-up", action="store_true",
                         help="the person left before an assessment (said goodbye, or stopped answering)")
    listing.add_argument("--repeated", action="store_true",
                         help="HipGuide asked the same question again right after the person answered")
    listing.add_argument("--idle-minutes", type=float, default=DEFAULT_IDLE.total_seconds() / 60,
                         help="silence after which an unanswered question counts as giving up (default 30)")
    listing.add_argument("--limit", type=int, default=50, help="show at most this many (default 50)")
    serving = commands.add_parser("serve", help="the same as a small web page on 127.0.0.1 (Ctrl-C stops it)")
    serving.add_argument("--port", type=int, default=5077)
    serving.add_argument("--out", type=Path, help="folder for exports (default review/stories and review/nlu)")
    for name, text in (("show", "an annotated transcript: intents, confidence, entities, slots, actions"),
                       ("story", "export as a test story into review/stories/"),
                       ("nlu", "export the messages as NLU examples with the predicted intents into review/nlu/")):
        command = commands.add_parser(name, help=text)
        command.add_argument("conversation", help="the name `list` prints, or the start of a sender id")
        command.add_argument("--low-confidence", type=float, default=DEFAULT_LOW_CONFIDENCE, help=argparse.SUPPRESS)
        if name in ("story", "nlu"):
            command.add_argument("--out", type=Path, help="folder to write to (default review/stories or review/nlu)")
            command.add_argument("--stdout", action="store_true", help="print instead of writing a file")
    return root


def format_row(item: Review, threshold: float) -> str:
    messages = len(item.turns)
    return (f"{conversation_label(item.sender_id)}  {item.started:%Y-%m-%d %H:%M}  {messages:>3} msg  "
            f"{item.triage_level or '-':<9}  {'; '.join(item.flags(threshold)) or '-'}")


def _value(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def slot_lines(turn_slots: List[tuple], known: Dict[str, Any]) -> List[str]:
    """The transcript lines for what a turn changed (see summary.turn_changes)."""
    changes = turn_changes(turn_slots, known)
    lines = []
    if changes.findings:
        lines.append("findings: " + ", ".join(changes.findings))
    if changes.slots:
        lines.append("slots: " + ", ".join(f"{name}={_value(value)}" for name, value in changes.slots))
    if changes.asks:
        lines.append(f"asks: {changes.asks}")
    return lines


def transcript(item: Review, threshold: float) -> List[str]:
    lines = [f"conversation {conversation_label(item.sender_id)}  {item.started:%Y-%m-%d %H:%M} to "
             f"{item.last:%H:%M} UTC  {len(item.turns)} messages",
             f"flags: {'; '.join(item.flags(threshold)) or 'none'}"]
    if item.gave_up_reason:
        lines.append(f"gave up: {item.gave_up_reason}")
    if item.repeated_question:
        lines.append(f"asked again ({item.repeats}x): {item.repeated_question}")
    lines.append("")
    for reply in item.opening_replies:
        lines.append(f"           hipguide: {reply}")
    known: Dict[str, Any] = {}
    for number, turn in enumerate(item.turns, start=1):
        lines.append(f"[{number:>2}] {turn.time:%H:%M:%S} person: {turn.text}")
        confidence = f"{turn.confidence:.2f}" if turn.confidence is not None else "?"
        warn = "  << LOW" if turn.low(threshold) else ""
        form = f"  (during {turn.active_form})" if turn.active_form else ""
        lines.append(f"       intent: {turn.intent} {confidence}{warn}{form}")
        if turn.entities:
            lines.append(f"       entities: {', '.join(entity_text(e) for e in turn.entities)}")
        lines.extend(f"       {line}" for line in slot_lines(turn.slots, known))
        if turn.actions:
            lines.append("       actions: " + ", ".join(turn.actions))
        lines.extend(f"       hipguide: {reply}" for reply in turn.replies)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        store = ConversationStore(args.db)
        if args.command == "serve":
            from hipguide_rasa.review.web import serve

            server = serve(store, args.port, args.out)
            print(f"review page: http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C stops it)", flush=True)
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            finally:
                server.server_close()
            return 0
        if args.command == "list":
            filters = Filters(args.since, args.until, args.fallback, args.red_flag, args.low_confidence, args.gave_up,
                              args.repeated)
            threshold = args.low_confidence or DEFAULT_LOW_CONFIDENCE
            idle = timedelta(minutes=args.idle_minutes)
            listed = 0
            print("name        started           msgs  triage     flags")
            for conversation in store.conversations(since=args.since):
                item = review(conversation.sender_id, conversation.events, idle=idle)
                if filters.match(item):
                    print(format_row(item, threshold))
                    listed += 1
                    if listed >= args.limit:
                        print(f"(first {args.limit}: use --limit or a filter to see others)")
                        break
            print(f"{listed} conversation(s)", file=sys.stderr)
            return 0
        conversation = store.named(args.conversation)
        item = review(conversation.sender_id, conversation.events)
        if args.command == "show":
            print("\n".join(transcript(item, args.low_confidence)))
            return 0
        if args.stdout:
            print(story_yaml(item, conversation.events, PROJECT_ROOT / "domain.yml") if args.command == "story"
                  else nlu_yaml(item), end="")
            return 0
        try:
            path = write_export(args.command, item, conversation.events, args.out)
        except FileExistsError as error:
            print(f"error: {error} exists already (a trainer may have edited it): delete it first", file=sys.stderr)
            return 1
        print(f"wrote {shown(path)}: review it, then `make validate`"
              + (" and `make test-stories`" if args.command == "story" else ""))
        return 0
    except (StoreError, LookupError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
