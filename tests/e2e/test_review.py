"""The review tool on a real tracker store, filled by conversations with the running assistant."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from hipguide_rasa.channels.common import conversation_id
from hipguide_rasa.review.__main__ import main
from hipguide_rasa.review.export import conversation_label
from hipguide_tools.replay_stories import replay
from hipguide_tools.review_check import Checker, plain
from hipguide_tools.train import train

pytestmark = pytest.mark.servers
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"
FALLBACK_CANDIDATES = ("what", "thing", "yes no", "the")


def fell_back(tracker: dict) -> bool:
    """Rasa's own record of a fallback: the nlu_fallback intent or a fallback action."""
    return any((e["event"] == "user" and e["parse_data"]["intent"]["name"] == "nlu_fallback")
               or (e["event"] == "action" and e["name"] in ("utter_default", "action_default_fallback"))
               for e in tracker["events"])


def label(sender: str) -> str:
    """The review tool's name for the REST conversation of ``sender``."""
    return conversation_label(conversation_id("rest", sender))


def texts(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture(scope="module")
def talked(assistant) -> Dict[str, str]:  # type: ignore[no-untyped-def]
    """Four people, each a different reason to review a conversation."""
    senders = {kind: f"review-{kind}-{uuid.uuid4().hex[:8]}" for kind in ("flag", "fallback", "left", "done", "xss")}
    assistant.say(senders["xss"], "<script>document.title='pwned'</script> my hip <b>hurts</b>")
    assistant.say(senders["flag"], "my lower back and buttock hurt")
    assert "emergency department now" in texts(assistant.say(senders["flag"], "I feel numb when I wipe"))
    for vague in FALLBACK_CANDIDATES:  # messages the NLU is not sure about
        assistant.say(senders["fallback"], vague)
    assistant.say(senders["left"], "my hip hurts")
    assistant.say(senders["left"], "bye")
    done = senders["done"]
    assistant.say(done, "my hip hurts after running")
    assistant.say(done, '/describe_symptoms{"body_location": "outer_hip"}')
    assistant.say(done, "the right one")
    assistant.say(done, "it came on gradually over a few weeks")
    replies = assistant.say(done, "I'm 47")
    for _ in range(10):
        if "This is not a diagnosis" in texts(replies):
            break
        replies = assistant.say(done, "no")
    assert "This is not a diagnosis" in texts(replies)
    return senders


def run(capsys: pytest.CaptureFixture, db: Path, *args: str) -> str:
    code = main(["--db", f"sqlite:///{db}", *args])
    output = capsys.readouterr()
    assert code == 0, output.err
    return output.out


def listed(capsys: pytest.CaptureFixture, db: Path, *filters: str) -> set:
    return {line.split()[0] for line in run(capsys, db, "list", "--limit", "1000", *filters).splitlines()[1:]}


def test_filters_pick_the_right_conversations(assistant, talked, capsys) -> None:  # type: ignore[no-untyped-def]
    db = assistant.tracker_db
    names = {kind: label(sender) for kind, sender in talked.items()}
    everyone = listed(capsys, db)
    assert set(names.values()) <= everyone
    assert names["flag"] in listed(capsys, db, "--red-flag")
    assert not {names["fallback"], names["left"], names["done"]} & listed(capsys, db, "--red-flag")
    assert fell_back(assistant.tracker(talked["fallback"])), f"none of {FALLBACK_CANDIDATES} fell back any more"
    fallbacks = listed(capsys, db, "--fallback")
    for kind, sender in talked.items():
        assert (names[kind] in fallbacks) == fell_back(assistant.tracker(sender)), kind
    gave_up = listed(capsys, db, "--gave-up")
    assert names["left"] in gave_up and not {names["flag"], names["done"]} & gave_up
    assert names["fallback"] not in gave_up  # no question was open
    assert names["fallback"] in listed(capsys, db, "--since", "1h", "--until", "2999-01-01")
    assert not listed(capsys, db, "--since", "2999-01-01") and not listed(capsys, db, "--until", "2000-01-01")


def test_low_confidence_matches_the_trackers_own_confidences(assistant, talked, capsys) -> None:  # type: ignore[no-untyped-def]
    threshold = 0.9
    low = listed(capsys, assistant.tracker_db, "--low-confidence", str(threshold))
    for sender in talked.values():
        typed = [e["parse_data"]["intent"]["confidence"] for e in assistant.tracker(sender)["events"]
                 if e["event"] == "user" and not e["text"].startswith("/")]
        assert (label(sender) in low) == (min(typed) < threshold), sender


def test_show_annotates_intents_confidence_entities_slots_and_actions(assistant, talked, capsys) -> None:  # type: ignore[no-untyped-def]
    shown = run(capsys, assistant.tracker_db, "show", label(talked["flag"]))
    assert "flags: red flag RF4" in shown
    assert "person: I feel numb when I wipe" in shown
    assert "intent: describe_symptoms" in shown and "symptom=saddle_numbness" in shown
    assert "slots: " in shown and "triage_level=emergency" in shown
    assert "actions: " in shown and "emergency department now" in shown
    assert talked["flag"] not in shown  # the sender id is not printed
    fallback = run(capsys, assistant.tracker_db, "show", label(talked["fallback"]))
    assert "intent: nlu_fallback" in fallback and "<< LOW" in fallback


def test_a_stored_conversation_becomes_a_passing_test_story(assistant, talked, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name = label(talked["done"])
    out = run(capsys, assistant.tracker_db, "story", name, "--out", str(tmp_path))
    written = tmp_path / out.split()[1].rstrip(":").split("/")[-1]
    story = yaml.safe_load(written.read_text())["stories"][0]
    assert story["story"].startswith("review ") and name in story["story"]
    steps = story["steps"]
    assert steps[0]["intent"] == "describe_symptoms" and plain(steps[0]["user"]) == "my hip hurts after running"
    assert any(s.get("action") == "action_assess" for s in steps)
    assert talked["done"] not in written.read_text()
    checker = Checker(PROJECT_ROOT)
    assert checker.stories([written]) == 1 and checker.problems == []
    completed = replay(train(), tmp_path / "results", files=[written])
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    # a second export never overwrites what a trainer may have edited
    assert main(["--db", f"sqlite:///{assistant.tracker_db}", "story", name, "--out", str(tmp_path)]) == 1


def test_nlu_export_keeps_the_predicted_labels_for_correction(assistant, talked, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, assistant.tracker_db, "nlu", label(talked["fallback"]), "--out", str(tmp_path))
    (exported,) = tmp_path.glob("*.yml")
    document = yaml.safe_load(exported.read_text())
    intents = {group["intent"]: [e["text"] for e in group["examples"]] for group in document["nlu"]}
    assert sorted(text for texts in intents.values() for text in texts) == sorted(FALLBACK_CANDIDATES)
    assert "nlu_fallback" in intents
    checker = Checker(PROJECT_ROOT)
    checker.nlu([exported])
    assert any("nlu_fallback" in str(p) for p in checker.problems)  # a trainer must correct it first
    exported.write_text(exported.read_text().replace("intent: nlu_fallback", "intent: unsure"))
    corrected = Checker(PROJECT_ROOT)
    assert corrected.nlu([exported]) == len(FALLBACK_CANDIDATES), [str(p) for p in corrected.problems]
    assert [p for p in corrected.problems if "nlu_fallback" in str(p)] == []


def test_unknown_conversation_and_missing_store_are_clear_errors(assistant, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", f"sqlite:///{assistant.tracker_db}", "show", "0000000000"]) == 1
    assert "no conversation named '0000000000'" in capsys.readouterr().err
    assert main(["--db", f"sqlite:///{tmp_path / 'none.db'}", "list"]) == 1
    assert "none.db does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()  # reviewing changes nothing
    (tmp_path / "empty.db").touch()
    assert main(["--db", f"sqlite:///{tmp_path / 'empty.db'}", "list"]) == 1
    assert "has no 'events' table" in capsys.readouterr().err


@pytest.fixture()
def review_page(assistant, tmp_path):  # type: ignore[no-untyped-def]
    from hipguide_rasa.review.store import ConversationStore
    from hipguide_rasa.review.web import serve

    server = serve(ConversationStore(f"sqlite:///{assistant.tracker_db}"), 0, out=tmp_path / "exports")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_review_page_in_a_browser(browser, review_page, talked, tmp_path) -> None:  # type: ignore[no-untyped-def]
    names = {kind: label(sender) for kind, sender in talked.items()}
    page = browser.new_page()
    try:
        response = page.goto(review_page + "/")
        assert "script-src" not in response.headers["content-security-policy"]  # no script may run at all
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert page.locator(f"a:text('{names['flag']}')").count() == 1
        page.check("input[name=red_flag]")
        page.click("button:text('Show')")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "review-list-desktop.png"), full_page=True)
        listed = page.locator("tbody tr td:first-child a").all_inner_texts()
        assert names["flag"] in listed and names["done"] not in listed and names["fallback"] not in listed
        assert "red flag RF4" in page.inner_text("tbody")
        page.click(f"a:text('{names['flag']}')")
        text = page.inner_text("body")
        assert "person: I feel numb when I wipe" in text and "symptom=saddle_numbness" in text
        assert "triage_level='emergency'" in text and "emergency department now" in text
        assert talked["flag"] not in page.content()
        page.click("button:text('Export as a test story')")
        assert "Wrote" in page.inner_text(".notice")
        (exported,) = (tmp_path / "exports").glob("*.yml")
        assert names["flag"] in exported.name and yaml.safe_load(exported.read_text())["stories"]
        page.go_back()
        page.click("button:text('Export as a test story')")  # never overwrites a trainer's edits
        assert "exists already" in page.inner_text(".error")
        # a message from the public is shown as text, never run or parsed as HTML
        page.goto(f"{review_page}/c/{names['xss']}")
        assert "<script>document.title='pwned'</script> my hip <b>hurts</b>" in page.inner_text("body")
        assert page.title() != "pwned" and page.locator("b:text('hurts')").count() == 0
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
        page.screenshot(path=str(SCREENSHOTS / "review-conversation-mobile.png"), full_page=True)
    finally:
        page.close()


def test_the_review_page_refuses_bad_requests(review_page, talked) -> None:  # type: ignore[no-untyped-def]
    def status(url: str, data: bytes | None = None, headers: Dict[str, str] | None = None) -> int:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}),
                                        timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code

    name = label(talked["done"])
    assert status(f"{review_page}/?since=yesterday-ish") == 400
    assert status(f"{review_page}/?low_confidence=high") == 400
    assert status(f"{review_page}/c/0000000000") == 404
    assert status(f"{review_page}/etc/passwd") == 404
    assert status(f"{review_page}/c/{name}/export", b"kind=story&token=forged") == 403  # another site's form
    assert status(f"{review_page}/c/{name}/export", b"x" * 20_000) == 404
    # DNS rebinding: a browser on evil.example whose name now points at 127.0.0.1
    assert status(f"{review_page}/", headers={"Host": "evil.example"}) == 421
    assert status(f"{review_page}/c/{name}", headers={"Host": "evil.example:8080"}) == 421
    assert status(f"{review_page}/", headers={"Host": "localhost"}) == 200
