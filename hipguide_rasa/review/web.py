"""``hipguide-review serve``: the review tool as a small web page, for trainers who prefer it.

Read-only over the tracker store, like the command line; the only writes are the exports into
review/ that a trainer asks for with a button. It listens on 127.0.0.1 only, escapes every
message (they come from the public), sends a Content-Security-Policy that allows no script,
and refuses exports without the page's per-process form token.
"""

from __future__ import annotations

import html
import secrets
import string
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Tuple
from urllib.parse import parse_qs, urlsplit

from hipguide_rasa.review.dates import moment, until_moment
from hipguide_rasa.review.export import conversation_label, shown, write_export
from hipguide_rasa.review.store import ConversationStore
from hipguide_rasa.review.summary import DEFAULT_LOW_CONFIDENCE, Filters, Review, entity_text, review, turn_changes

PAGE = string.Template((Path(__file__).parent / "templates" / "page.html").read_text(encoding="utf-8"))
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
LIST_LIMIT = 200
e = html.escape


class BadRequest(ValueError):
    """A filter the page cannot use; shown to the trainer, with status 400."""


@dataclass
class ReviewSite:
    store: ConversationStore
    out: Path | None = None  # default review/stories and review/nlu
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    # --- pages ---------------------------------------------------------------------------
    def list_page(self, query: Dict[str, List[str]]) -> str:
        filters, threshold = self.filters(query)
        rows, matched = [], 0
        for conversation in self.store.conversations(since=filters.since):
            item = review(conversation.sender_id, conversation.events)
            if not filters.match(item):
                continue
            matched += 1
            if matched > LIST_LIMIT:
                break
            label = conversation_label(item.sender_id)
            rows.append(f'<tr><td><a href="/c/{label}">{label}</a></td><td>{item.started:%Y-%m-%d %H:%M}</td>'
                        f"<td>{len(item.turns)}</td><td>{e(item.triage_level or '-')}</td>"
                        f"<td>{self.flag_chips(item, threshold)}</td></tr>")
        checked = {name: " checked" if query.get(name) else "" for name in ("fallback", "red_flag", "gave_up",
                                                                             "repeated")}
        low = e(query.get("low_confidence", [""])[0])
        form = (
            '<form class="filters" method="get" action="/">'
            f'<label>since<input name="since" value="{e(query.get("since", [""])[0])}" placeholder="2026-11-01 or 7d">'
            f'</label><label>until<input name="until" value="{e(query.get("until", [""])[0])}" '
            'placeholder="2026-11-30"></label>'
            f'<label class="check"><input type="checkbox" name="red_flag" value="1"{checked["red_flag"]}>red flag'
            f'</label><label class="check"><input type="checkbox" name="fallback" value="1"{checked["fallback"]}>'
            f'fallback</label><label class="check"><input type="checkbox" name="gave_up" value="1"'
            f'{checked["gave_up"]}>gave up</label><label class="check"><input type="checkbox" name="repeated" '
            f'value="1"{checked["repeated"]}>asked again</label>'
            f'<label>confidence below<input name="low_confidence" value="{low}" placeholder="0.6" size="5"></label>'
            '<button type="submit">Show</button></form>')
        more = f"<p>Only the first {LIST_LIMIT} are shown: narrow the filters.</p>" if matched > LIST_LIMIT else ""
        table = ("<table><thead><tr><th>conversation</th><th>started (UTC)</th><th>messages</th><th>triage</th>"
                 f"<th>flags</th></tr></thead><tbody>{''.join(rows)}</tbody></table>" if rows
                 else "<p>No conversation matches.</p>")
        return PAGE.substitute(title="Conversations", body=form + table + more)

    def conversation_page(self, label: str, notice: str = "", item: Review | None = None) -> str:
        if item is None:
            conversation = self.store.named(label, prefixes=False)
            item = review(conversation.sender_id, conversation.events)
        parts = [notice, f"<h2>Conversation {e(label)}</h2>",
                 f"<p>{item.started:%Y-%m-%d %H:%M} to {item.last:%H:%M} UTC · {len(item.turns)} messages · "
                 f"{self.flag_chips(item, DEFAULT_LOW_CONFIDENCE)}</p>"]
        if item.gave_up_reason:
            parts.append(f'<p class="meta">gave up: {e(item.gave_up_reason)}</p>')
        if item.repeated_question:
            parts.append(f'<p class="meta">asked again ({item.repeats}x): {e(item.repeated_question)}</p>')
        parts.append(
            f'<form method="post" action="/c/{e(label)}/export"><input type="hidden" name="token" value="{self.token}">'
            '<button name="kind" value="story">Export as a test story</button> '
            '<button name="kind" value="nlu">Export the messages as NLU examples</button></form>')
        parts += [f'<div class="bot">{e(reply)}</div>' for reply in item.opening_replies]
        known: Dict[str, Any] = {}
        for number, turn in enumerate(item.turns, start=1):
            confidence = f"{turn.confidence:.2f}" if turn.confidence is not None else "?"
            low = turn.low(DEFAULT_LOW_CONFIDENCE)
            lines = [f'<div class="turn" id="t{number}"><div class="person">{number}. {turn.time:%H:%M:%S} '
                     f"person: {e(turn.text)}</div>",
                     f'<div class="meta"><b>intent</b> {e(str(turn.intent))} '
                     f'<span class="{"low" if low else ""}">{confidence}{" low" if low else ""}</span>'
                     f'{" · during " + e(turn.active_form) if turn.active_form else ""}</div>']
            if turn.entities:
                found = ", ".join(entity_text(x) for x in turn.entities)
                lines.append(f'<div class="meta"><b>entities</b> {e(found)}</div>')
            for text in self.slot_changes(turn.slots, known):
                lines.append(f'<div class="meta">{text}</div>')
            if turn.actions:
                lines.append(f'<div class="meta"><b>actions</b> {e(", ".join(turn.actions))}</div>')
            lines += [f'<div class="bot">{e(reply)}</div>' for reply in turn.replies]
            parts.append("".join(lines) + "</div>")
        return PAGE.substitute(title=f"Conversation {e(label)}", body="".join(parts))

    def export(self, label: str, kind: str, token: str) -> Tuple[HTTPStatus, str]:
        if not secrets.compare_digest(token, self.token):
            return HTTPStatus.FORBIDDEN, self.error_page("This form is out of date: reload the page and try again.")
        if kind not in ("story", "nlu"):
            return HTTPStatus.BAD_REQUEST, self.error_page("Choose 'story' or 'nlu'.")
        conversation = self.store.named(label, prefixes=False)
        item = review(conversation.sender_id, conversation.events)
        try:
            path = write_export(kind, item, conversation.events, self.out)
        except FileExistsError as error:
            notice = f'<p class="error">{e(str(error))} exists already (a trainer may have edited it).</p>'
            return HTTPStatus.CONFLICT, self.conversation_page(label, notice, item)
        notice = (f'<p class="notice">Wrote {e(shown(path))}. Review it in an editor, then run '
                  f"<code>make validate</code>{' and <code>make test-stories</code>' if kind == 'story' else ''}.</p>")
        return HTTPStatus.OK, self.conversation_page(label, notice, item)

    # --- helpers -------------------------------------------------------------------------
    @staticmethod
    def filters(query: Dict[str, List[str]]) -> Tuple[Filters, float]:
        def value(name: str) -> str:
            return query.get(name, [""])[0].strip()

        try:
            since = moment(value("since")) if value("since") else None
            until = until_moment(value("until")) if value("until") else None
        except Exception as error:  # argparse.ArgumentTypeError carries the message
            raise BadRequest(str(error)) from None
        low: float | None = None
        if value("low_confidence"):
            try:
                low = float(value("low_confidence"))
            except ValueError:
                raise BadRequest(f"'{value('low_confidence')}' is not a confidence: use a number like 0.6") from None
        flags = Filters(since, until, bool(value("fallback")), bool(value("red_flag")), low, bool(value("gave_up")),
                        bool(value("repeated")))
        return flags, low or DEFAULT_LOW_CONFIDENCE

    @staticmethod
    def flag_chips(item: Review, threshold: float) -> str:
        chips = []
        for flag in item.flags(threshold):
            kind = "red" if flag.startswith("red flag") else "warn" if flag != "assessed" else ""
            chips.append(f'<span class="flag {kind}">{e(flag)}</span>')
        return "".join(chips) or "-"

    @staticmethod
    def slot_changes(turn_slots: List[tuple], known: Dict[str, Any]) -> List[str]:
        changes = turn_changes(turn_slots, known)
        lines = []
        if changes.findings:
            lines.append(f"<b>findings</b> {e(', '.join(changes.findings))}")
        if changes.slots:
            lines.append(f"<b>slots</b> {e(', '.join(f'{name}={value!r}' for name, value in changes.slots))}")
        if changes.asks:
            lines.append(f"<b>asks</b> {e(changes.asks)}")
        return lines

    @staticmethod
    def error_page(message: str) -> str:
        return PAGE.substitute(title="Error", body=f'<p class="error">{e(message)}</p>')


ALLOWED_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def handler_for(site: ReviewSite) -> type:
    class Handler(BaseHTTPRequestHandler):
        server_version = "hipguide-review"

        def log_message(self, format: str, *args: object) -> None:
            return

        def send_page(self, status: HTTPStatus, body: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def host_allowed(self) -> bool:
            """Only this machine's own names: a page on another site that rebinds its DNS
            name to 127.0.0.1 (DNS rebinding) sends its own name and is refused."""
            host = (self.headers.get("Host") or "").strip().lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name in ALLOWED_HOSTS:
                return True
            self.send_page(HTTPStatus.MISDIRECTED_REQUEST, site.error_page("Open this page as http://127.0.0.1:<port>/."))
            return False

        def do_GET(self) -> None:
            if not self.host_allowed():
                return
            url = urlsplit(self.path)
            try:
                if url.path == "/":
                    self.send_page(HTTPStatus.OK, site.list_page(parse_qs(url.query)))
                elif url.path.startswith("/c/") and url.path.count("/") == 2:
                    self.send_page(HTTPStatus.OK, site.conversation_page(url.path[3:]))
                else:
                    self.send_page(HTTPStatus.NOT_FOUND, site.error_page("There is no such page."))
            except BadRequest as error:
                self.send_page(HTTPStatus.BAD_REQUEST, site.error_page(str(error)))
            except LookupError:
                self.send_page(HTTPStatus.NOT_FOUND, site.error_page("There is no such conversation."))

        def do_POST(self) -> None:
            if not self.host_allowed():
                return
            url = urlsplit(self.path)
            parts = url.path.strip("/").split("/")
            length = int(self.headers.get("Content-Length") or 0)
            if len(parts) != 3 or parts[0] != "c" or parts[2] != "export" or length > 10_000:
                self.send_page(HTTPStatus.NOT_FOUND, site.error_page("There is no such page."))
                return
            form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
            try:
                status, page = site.export(parts[1], form.get("kind", [""])[0], form.get("token", [""])[0])
            except LookupError:
                status, page = HTTPStatus.NOT_FOUND, site.error_page("There is no such conversation.")
            self.send_page(status, page)

    return Handler


def serve(store: ConversationStore, port: int, out: Path | None = None) -> ThreadingHTTPServer:
    """A server on 127.0.0.1:``port`` (0: any free port); call ``serve_forever`` on it."""
    return ThreadingHTTPServer(("127.0.0.1", port), handler_for(ReviewSite(store, out)))

