"""What the four web-client adapters share: the front doors, finding elements, toggles, the snapshot call.

A platform's adapter (bots/platforms/<platform>/adapter.py) subclasses WebAdapter; its selectors and
texts are data (bots/platforms/<platform>/ui.json, read by bots/platforms/ui.py) and its one snapshot
script reads the roster and captions. Nothing here knows a platform.
"""

import json
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
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
    StepFailed,
    UiError,
    UnrecognizedPage,
)
from bots.platforms.ui import FIND_JS, Door, bot_language, platform_ui

# Helpers every snapshot script starts with. `innerText` holds only rendered text, so a screen that
# is in the DOM but hidden does not count. `ui` is the platform's ui.json for the bot's language.
SNAPSHOT_PRELUDE = r"""
const ui = __UI__;
const botName = arguments[0];
// A client that renders the meeting in a same-origin frame is read through that frame's document.
const framed = arguments[1] ? document.querySelector(arguments[1]) : null;
const doc = (framed && framed.contentDocument) || document;
const vis = (el) => !!el && el.getClientRects().length > 0;
const all = (sel, root) => (sel ? Array.from((root || doc).querySelectorAll(sel)).filter(vis) : []);
const one = (sel, root) => all(sel, root)[0] || null;
const text = (el) => (el ? (el.innerText || el.textContent || "").trim() : "");
const pageText = doc.body ? doc.body.innerText : "";
const found = (texts) => (texts || []).find((t) => pageText.includes(t)) || "";
// The screens a page can show instead of the call, in the order they are looked for.
const ENDINGS = ["not_found", "login_required", "captcha", "blocked", "denied", "removed", "ended"];
const detect = (platformState) => {
  for (const state of ENDINGS) {
    const hit = found(ui.t[state]);
    if (hit) return [state, hit];
  }
  const own = platformState();
  if (own) return own;
  const lobby = found(ui.t.lobby);
  if (lobby || one(ui.s.lobby_marker)) return ["waiting_room", lobby];
  const notStarted = found(ui.t.not_started);
  if (notStarted) return ["not_started", notStarted];
  if (one(ui.s.in_call_marker)) return ["in_call", ""];
  return ["joining", ""];
};
"""
# After the platform's script, which defines platformState() and readCall(roster, captions).
SNAPSHOT_EPILOGUE = r"""
const hit = detect(platformState);
const roster = [];
const captions = [];
if (hit[0] === "in_call") readCall(roster, captions);
return { state: hit[0], message: hit[1], roster, captions };
"""

ERRORS = {
    CallState.NOT_FOUND: MeetingNotFound,
    CallState.BLOCKED: JoinBlocked,
    CallState.CAPTCHA: JoinBlocked,
    CallState.LOGIN_REQUIRED: LoginRequired,
}
# Seconds a door may show without the control that passes it before its fallback is tried.
DOOR_PATIENCE_S = 6


class WebAdapter:
    """Base of the web-client adapters. Subclasses set `platform`, PLATFORM_JS and FRAME."""

    platform = ""
    # Defines platformState() (a screen only this client has, or null) and readCall(roster, captions),
    # which fills [{id, name, host, speaking}] and [{speaker, text}]; runs after SNAPSHOT_PRELUDE.
    PLATFORM_JS = ""
    FRAME = ""  # CSS of an iframe the client renders the meeting in ("" when none)

    def __init__(self, driver: WebDriver, *, bot_name: str, camera_on: bool = False, language: str = "") -> None:
        self.driver = driver
        self.bot_name = bot_name
        self.camera_on = camera_on
        # Signed in to the platform's provider (join_as): the pre-join screen may have no name field.
        self.signed_in = False
        self.ui = platform_ui(self.platform, language or bot_language())
        data = json.dumps(self.ui.script_data())
        self._script = SNAPSHOT_PRELUDE.replace("__UI__", data) + self.PLATFORM_JS + SNAPSHOT_EPILOGUE

    # --- elements ---------------------------------------------------------------------------------------
    def _find_specs(self, specs: Iterable[Any]) -> WebElement | None:
        return self.driver.execute_script(FIND_JS, list(specs))

    def _find(self, name: str) -> WebElement | None:
        """The element `name` of ui.json, by its selector or else its fallbacks; None when none shows."""
        return self._find_specs(self.ui.elements[name].specs)

    def _wait_for(self, name: str, timeout: float) -> WebElement | None:
        deadline = time.monotonic() + timeout
        while True:
            element = self._find(name)
            if element is not None or time.monotonic() > deadline:
                return element
            time.sleep(0.1)

    def _require(self, name: str, timeout: float) -> WebElement:
        element = self._wait_for(name, timeout)
        if element is None:
            spec = self.ui.elements[name]
            raise StepFailed(spec.step, spec.label)
        return element

    def _click(self, element: WebElement) -> None:
        try:
            element.click()
        except WebDriverException:
            # Covered by an overlay or animating: a script click reaches the handler all the same.
            self.driver.execute_script("arguments[0].click();", element)

    def _set_device(self, kind: str, want_on: bool) -> None:
        now, wanted = (f"{kind}_on", f"{kind}_off") if not want_on else (f"{kind}_off", f"{kind}_on")
        control = self._find(now)
        if control is None:
            return  # already as wanted (or the client shows no such control)
        self._click(control)
        if self._wait_for(wanted, 5) is None:
            raise UiError(f"pre-join screen: the {kind} did not turn {'on' if want_on else 'off'}")

    def _raise_for_error_screen(self, snapshot: Snapshot) -> None:
        error = ERRORS.get(snapshot.state)
        if error is not None:
            raise error(snapshot.message or snapshot.state.value, state=snapshot.state)

    # --- front doors -------------------------------------------------------------------------------------
    def _enter_frame(self) -> None:
        """Work inside the client's frame once it is there (element lookups and clicks need it)."""
        if not self.FRAME:
            return
        self.driver.switch_to.default_content()
        frames = self.driver.find_elements(By.CSS_SELECTOR, self.FRAME)
        if frames:
            self.driver.switch_to.frame(frames[0])

    def _door_showing(self) -> Door | None:
        return next((door for door in self.ui.doors if self._find_specs(door.when) is not None), None)

    def _pass_door(self, door: Door, since: float) -> None:
        """Click what passes `door`; reveal it first if need be; its fallback once patience runs out."""
        control = self._find_specs(door.click)
        if control is None and door.reveal:
            control = self._find_specs(door.reveal)
        if control is not None:
            self._click(control)
            return
        if time.monotonic() - since > DOOR_PATIENCE_S and not self.door_fallback(door):
            raise StepFailed(door.name, door.label)

    def door_fallback(self, door: Door) -> bool:
        """A platform's last resort when a door's control never shows (Zoom: open the web client by
        its address). True when it did something."""
        return False

    def _pass_dialogs(self) -> None:
        """Dialogs that cover the pre-join screen ("Got it"): dismissed before the name is typed."""
        for _ in range(3):
            door = self._door_showing()
            if door is None:
                return
            self._pass_door(door, since=time.monotonic())
            time.sleep(0.2)

    # --- the protocol -----------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Open the link and pass what stands before the pre-join screen: cookie banners, launcher pages,
        redirects, dialogs. Returns on the pre-join screen or any screen the snapshot knows."""
        self.driver.get(url)
        timeout = settings.BOT_PAGE_TIMEOUT_S
        deadline = time.monotonic() + timeout
        prejoin = self.ui.elements["name_field"].specs + self.ui.elements["prejoin_marker"].specs
        door_since: dict[str, float] = {}
        while time.monotonic() < deadline:
            self._enter_frame()
            door = self._door_showing()
            if door is not None:
                self._pass_door(door, door_since.setdefault(door.name, time.monotonic()))
            # The pre-join screen, even one whose name field moved (join() then says so), or a reopened
            # page already past it (lobby, call, an end screen).
            elif self._find_specs(prejoin) is not None or self.snapshot().state != CallState.JOINING:
                return
            time.sleep(0.2)
        title = self.driver.title or "no title"
        raise UnrecognizedPage(
            f"the page '{title}' ({self.driver.current_url}) is none the {self.platform} adapter knows: "
            f"no pre-join screen, launcher page or end screen after {timeout:g} s"
        )

    def join(self) -> None:
        snapshot = self.snapshot()
        self._raise_for_error_screen(snapshot)
        if snapshot.state != CallState.JOINING:
            return  # past the pre-join screen already (a reopened page, a meeting that ended): snapshot() says where
        self._pass_dialogs()
        # A signed-in guest joins under the account's name: the client asks for none.
        name_input = self._wait_for("name_field", 2) if self.signed_in else self._require("name_field", 5)
        if name_input is not None:
            name_input.send_keys(Keys.CONTROL, "a")
            name_input.send_keys(Keys.DELETE)
            name_input.send_keys(self.bot_name)
        self.fill_pre_join()
        self._set_device("mic", False)
        self._set_device("camera", self.camera_on)
        self._pass_dialogs()
        self._click(self._require("join_button", 10))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            snapshot = self.snapshot()
            self._raise_for_error_screen(snapshot)
            if snapshot.state != CallState.JOINING:
                return
            time.sleep(0.2)
        raise UiError("pre-join screen: clicking the join button had no effect")

    def fill_pre_join(self) -> None:
        """Fields a client asks for besides the name (Webex's email)."""

    def snapshot(self) -> Snapshot:
        raw = self.driver.execute_script(self._script, self.bot_name, self.FRAME) or {}
        return self._snapshot_from(raw)

    def snapshot_with(self, expression: str) -> tuple[Snapshot | None, Any]:
        # One script call instead of two a tick: each costs the browser and chromedriver about 5 ms
        # of CPU (measured: a drain and a snapshot 5 times a second took 0.05 of a core per bot).
        script = (
            "let snap;\ntry { snap = (() => {\n" + self._script + "\n})(); }\n"
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

    def set_microphone(self, on: bool) -> None:
        self._set_device("mic", on)

    def enable_captions(self) -> None:
        control = self._find("captions_on")
        if control is not None:
            self._click(control)

    def send_chat(self, text: str) -> None:
        box = self._find("chat_input")
        if box is None:
            self._click(self._require("chat_open", 5))
            box = self._require("chat_input", 5)
        box.click()
        box.send_keys(text)
        send = self._find("chat_send")
        if send is not None:
            self._click(send)
        else:
            box.send_keys(Keys.ENTER)

    def leave(self) -> None:
        control = self._find("leave") or self._find("lobby_cancel")
        if control is None:
            raise StepFailed("leaving", "leave button")
        self._click(control)
        if "leave_confirm" in self.ui.elements:
            confirm = self._wait_for("leave_confirm", 2)
            if confirm is not None:
                self._click(confirm)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and self.snapshot().state in (CallState.IN_CALL, CallState.WAITING_ROOM):
            time.sleep(0.1)
