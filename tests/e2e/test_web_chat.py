"""The web chat as a person meets it: Debian's Chromium (headless) driven by Playwright
against the page the running Rasa server serves at /chat/. Screenshots (desktop and phone)
are written to tests/screenshots/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

pytestmark = pytest.mark.servers

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
def bot_texts(page) -> List[str]:  # type: ignore[no-untyped-def]
    return [text for text in page.locator(".message.bot .text").all_inner_texts()]


def wait_for_bot(page, fragment: str, timeout: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    page.locator(".message.bot .text", has_text=fragment).last.wait_for(timeout=timeout)


def click_reply(page, title: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(".message.bot .quick-replies button:not([disabled])", has_text=title).last.click()


def test_a_whole_conversation_with_a_button_a_body_map_click_and_a_reload(assistant, browser) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: List[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(f"{assistant.url}/chat/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    wait_for_bot(page, "Hi, I'm HipGuide")
    assert "not a diagnosis" in page.inner_text("#disclaimer")
    session = page.get_attribute("body", "data-session")
    assert session and len(session) == 32

    page.fill("#message", "my hip hurts after running")
    page.press("#message", "Enter")
    wait_for_bot(page, "Where exactly does it hurt")

    # The body map: outer hip, on the person's right (the figure faces us on the front view).
    page.locator('#map-front .region[data-location="outer_hip"][data-side="right"]').click()
    wait_for_bot(page, "How did it start")
    assert page.locator(".message.user").last.inner_text() == "Outside of hip (right)"

    click_reply(page, "Gradually")  # a quick-reply button
    wait_for_bot(page, "How long has it been going on")

    # Reload: the transcript is back and the same conversation continues on the server.
    before = page.locator(".message").count()
    page.reload()
    wait_for_bot(page, "How long has it been going on")
    assert page.locator(".message").count() == before
    assert page.get_attribute("body", "data-session") == session
    click_reply(page, "1-6 weeks")
    wait_for_bot(page, "How old are you")

    page.fill("#message", "I'm 41")
    page.press("#message", "Enter")
    for _ in range(10):  # answer "No" to the yes/no follow-ups until the assessment
        page.wait_for_function(
            "() => [...document.querySelectorAll('.message.bot .text')].some(e =>"
            " e.innerText.includes('not a diagnosis')) ||"
            " document.querySelectorAll('.quick-replies button:not([disabled])').length > 0", timeout=60_000)
        if any("not a diagnosis" in text for text in bot_texts(page)):
            break
        click_reply(page, "No")
    wait_for_bot(page, "How urgent")
    page.screenshot(path=str(SCREENSHOTS / "web-desktop.png"), full_page=True)

    slots = assistant.tracker(session, "web")["slots"]
    assert (slots["pain_location"], slots["side"], slots["onset"]) == ("outer_hip", "right", "gradual")
    assert slots["likely_conditions"][0] == "gtps"
    assert [url for url in requests if not url.startswith(assistant.url)] == []

    # Nothing outside this origin can be fetched from the page.
    blocked = page.evaluate("""async () => {
        const violations = [];
        document.addEventListener('securitypolicyviolation', e => violations.push(e.violatedDirective));
        try { await fetch('https://example.com/x'); } catch (e) { }
        await new Promise(r => setTimeout(r, 200));
        return violations; }""")
    assert blocked == ["connect-src"]
    context.close()


def test_the_page_fits_a_phone_screen(assistant, browser) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{assistant.url}/chat/")
    wait_for_bot(page, "Hi, I'm HipGuide")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.locator("#bodymap summary").tap()  # the map is folded away on a phone
    page.locator(".view-button[data-view='back']").tap()
    page.locator('#map-back .region[data-location="sit_bone"][data-side="left"]').tap()
    wait_for_bot(page, "How did it start")
    page.screenshot(path=str(SCREENSHOTS / "web-mobile.png"), full_page=True)
    slots = assistant.tracker(page.get_attribute("body", "data-session"), "web")["slots"]
    assert (slots["pain_location"], slots["side"]) == ("sit_bone", "left")
    context.close()
