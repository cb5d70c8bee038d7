"""What the four web-client adapters share: finding visible elements, toggles, the snapshot call.

A platform's adapter (bots/platforms/<platform>/adapter.py) subclasses WebAdapter and supplies its
selectors, texts and one snapshot script; nothing here knows a platform.
"""

import time
from typing import Any

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from bots.platforms.base import (
    CallState,
    Caption,
    JoinBlocked,
    LoginRequired,
    MeetingNotFound,
    RosterEntry,
    Snapshot,
    UiError,
)

# Helpers every snapshot script starts with. `innerText` holds only rendered text, so a screen that
# is in the DOM but hidden does not count.
SNAPSHOT_PRELUDE = r"""
const botName = arguments[0];
// A client that renders the meeting in a same-origin frame is read through that frame's document.
const framed = arguments[1] ? document.querySelector(arguments[1]) : null;
const doc = (framed && framed.contentDocument) || document;
const vis = (el) => !!el && el.getClientRects().length > 0;
const all = (sel, root) => Array.from((root || doc).querySelectorAll(sel)).filter(vis);
const one = (sel, root) => all(sel, root)[0] || null;
const text = (el) => (el ? (el.innerText || el.textContent || "").trim() : "");
const pageText = doc.body ? doc.body.innerText : "";
const found = (texts) => texts.find((t) => pageText.includes(t)) || "";
const firstState = (checks) => {
  for (const [state, texts] of checks) {
    const hit = found(texts);
    if (hit) return [state, hit];
  }
  return null;
};
"""

VISIBLE_JS = """
const els = Array.from(document.querySelectorAll(arguments[0]));
return els.find((el) => el.getClientRects().length > 0 && !el.disabled) || null;
"""

ERRORS = {
    CallState.NOT_FOUND: MeetingNotFound,
    CallState.BLOCKED: JoinBlocked,
    CallState.LOGIN_REQUIRED: LoginRequired,
}


class WebAdapter:
    """Base of the web-client adapters. Subclasses set the class attributes below."""

    platform = ""
    NAME_INPUT = ""  # CSS
    JOIN_BUTTON = ""  # CSS, or XPath when it starts with "//"
    # kind -> (selector of the control while the device is on, selector while it is off)
    TOGGLES: dict[str, tuple[str, str]] = {}
    CAPTIONS_ON = ""  # the control that turns captions on
    CHAT_OPEN = ""  # the control that opens the chat panel
    CHAT_INPUT = ""
    CHAT_SEND = ""
    LEAVE = ""  # the in-call leave control
    LEAVE_CONFIRM = ""  # a confirmation button some clients ask for ("" when none)
    LOBBY_CANCEL = ""  # leaving while still in the lobby
    SNAPSHOT_JS = ""  # after SNAPSHOT_PRELUDE (which defines doc, all, one, found...); returns
    # {state, message, roster: [{id, name, host, speaking}], captions: [{speaker, text}]}
    FRAME = ""  # CSS of an iframe the client renders the meeting in ("" when none)

    def __init__(self, driver: WebDriver, *, bot_name: str, camera_on: bool = False) -> None:
        self.driver = driver
        self.bot_name = bot_name
        self.camera_on = camera_on

    # --- elements ---------------------------------------------------------------------------------------
    def _visible(self, selector: str) -> WebElement | None:
        if selector.startswith("//"):
            elements = [e for e in self.driver.find_elements(By.XPATH, selector) if e.is_displayed()]
            return elements[0] if elements else None
        return self.driver.execute_script(VISIBLE_JS, selector)

    def _wait_visible(self, selector: str, timeout: float) -> WebElement | None:
        deadline = time.monotonic() + timeout
        while True:
            element = self._visible(selector)
            if element is not None or time.monotonic() > deadline:
                return element
            time.sleep(0.1)

    def _click(self, element: WebElement) -> None:
        try:
            element.click()
        except WebDriverException:
            # Covered by an overlay or animating: a script click reaches the handler all the same.
            self.driver.execute_script("arguments[0].click();", element)

    def _set_device(self, kind: str, want_on: bool) -> None:
        on_selector, off_selector = self.TOGGLES[kind]
        control = self._visible(on_selector if not want_on else off_selector)
        if control is None:
            return  # already as wanted (or the client shows no such control)
        self._click(control)
        if self._wait_visible(off_selector if not want_on else on_selector, 5) is None:
            raise UiError(f"The {kind} did not turn {'on' if want_on else 'off'}.")

    def _raise_for_error_screen(self, snapshot: Snapshot) -> None:
        error = ERRORS.get(snapshot.state)
        if error is not None:
            raise error(snapshot.message or snapshot.state.value)

    # --- the protocol -----------------------------------------------------------------------------------
    def _enter_frame(self) -> None:
        """Work inside the client's frame once it is there (element lookups and clicks need it)."""
        if not self.FRAME:
            return
        self.driver.switch_to.default_content()
        frames = self.driver.find_elements(By.CSS_SELECTOR, self.FRAME)
        if frames:
            self.driver.switch_to.frame(frames[0])

    def open(self, url: str) -> None:
        self.driver.get(url)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self._enter_frame()
            # A reopened page can already be past the pre-join screen (lobby, call, an end screen).
            if self._visible(self.NAME_INPUT) is not None or self.snapshot().state != CallState.JOINING:
                return
            time.sleep(0.2)
        raise UiError("The pre-join screen did not appear.")

    def join(self) -> None:
        snapshot = self.snapshot()
        self._raise_for_error_screen(snapshot)
        if snapshot.state != CallState.JOINING:
            return  # past the pre-join screen already (a reopened page, a meeting that ended): snapshot() says where
        name_input = self._wait_visible(self.NAME_INPUT, 10)
        if name_input is None:
            raise UiError("No name field on the pre-join screen.")
        name_input.send_keys(Keys.CONTROL, "a")
        name_input.send_keys(Keys.DELETE)
        name_input.send_keys(self.bot_name)
        self._set_device("mic", False)
        self._set_device("camera", self.camera_on)
        button = self._wait_visible(self.JOIN_BUTTON, 10)
        if button is None:
            raise UiError("No join button on the pre-join screen.")
        self._click(button)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            snapshot = self.snapshot()
            self._raise_for_error_screen(snapshot)
            if snapshot.state != CallState.JOINING:
                return
            time.sleep(0.2)
        raise UiError("Clicking the join button had no effect.")

    def snapshot(self) -> Snapshot:
        raw = self.driver.execute_script(SNAPSHOT_PRELUDE + self.SNAPSHOT_JS, self.bot_name, self.FRAME) or {}
        return self._snapshot_from(raw)

    def snapshot_with(self, expression: str) -> tuple[Snapshot | None, Any]:
        # One script call instead of two a tick: each costs the browser and chromedriver about 5 ms
        # of CPU (measured: a drain and a snapshot 5 times a second took 0.05 of a core per bot).
        script = (
            "let snap;\ntry { snap = (() => {\n" + SNAPSHOT_PRELUDE + self.SNAPSHOT_JS + "\n})(); }\n"
            "catch (error) { snap = null; }\nreturn [snap, " + expression + "];"
        )
        raw, value = self.driver.execute_script(script, self.bot_name, self.FRAME)
        return (self._snapshot_from(raw) if raw is not None else None), value

    @staticmethod
    def _snapshot_from(raw: dict) -> Snapshot:
        return Snapshot(
            state=CallState(raw.get("state", CallState.JOINING)),
            roster=[
                RosterEntry(
                    id=str(p["id"]), name=p["name"], is_host=bool(p.get("host")), is_speaking=bool(p.get("speaking"))
                )
                for p in raw.get("roster", [])
            ],
            captions=[Caption(speaker=c["speaker"], text=c["text"]) for c in raw.get("captions", [])],
            message=raw.get("message", ""),
        )

    def enable_captions(self) -> None:
        control = self._visible(self.CAPTIONS_ON)
        if control is not None:
            self._click(control)

    def send_chat(self, text: str) -> None:
        box = self._visible(self.CHAT_INPUT)
        if box is None:
            opener = self._wait_visible(self.CHAT_OPEN, 5)
            if opener is None:
                raise UiError("No chat control in the call.")
            self._click(opener)
            box = self._wait_visible(self.CHAT_INPUT, 5)
        if box is None:
            raise UiError("The chat panel did not open.")
        box.click()
        box.send_keys(text)
        send = self._visible(self.CHAT_SEND)
        if send is not None:
            self._click(send)
        else:
            box.send_keys(Keys.ENTER)

    def leave(self) -> None:
        control = self._visible(self.LEAVE) or (self._visible(self.LOBBY_CANCEL) if self.LOBBY_CANCEL else None)
        if control is None:
            raise UiError("No leave control on the page.")
        self._click(control)
        if self.LEAVE_CONFIRM:
            confirm = self._wait_visible(self.LEAVE_CONFIRM, 2)
            if confirm is not None:
                self._click(confirm)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and self.snapshot().state in (CallState.IN_CALL, CallState.WAITING_ROOM):
            time.sleep(0.1)
