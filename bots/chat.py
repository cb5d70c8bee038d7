"""The meeting chat as the bot's page shows it: each message not seen before becomes a stored row and a
`chat.message` event (meetings/chat.py); the bot's own messages included, marked `from_bot`.

The four clients keep their chat list in the page while the panel is closed, so the panel is opened
only when no list is there at all. A message element is marked once read (`data-notula-seen`): a
list that re-renders or drops old messages loses nothing and repeats nothing.
"""

import json
import logging
import time
from datetime import datetime, timedelta

from django.utils import timezone
from selenium.webdriver.support.select import Select

from bots.models import Bot
from meetings.chat import chat_message_record

log = logging.getLogger(__name__)

# Seconds between two reads of the chat list: messages come at human speed.
READ_EVERY_S = 1.0

READ_JS = r"""
const ui = __UI__;
const framed = arguments[0] ? document.querySelector(arguments[0]) : null;
const doc = (framed && framed.contentDocument) || document;
const items = doc.querySelectorAll(ui.s.chat_message);
if (!items.length && !doc.querySelector(ui.s.chat_input)) return null;
const read = (item, sel) => { const el = item.querySelector(sel); return el ? el.textContent.trim() : ""; };
const fresh = [];
for (const item of items) {
  if (item.dataset.notulaSeen) continue;
  item.dataset.notulaSeen = "1";
  const text = read(item, ui.s.chat_text);
  // A private message names its recipient (Zoom, Webex); "" for a message to everyone.
  const to = ui.s.chat_recipient ? read(item, ui.s.chat_recipient) : "";
  if (text) fresh.push([read(item, ui.s.chat_sender), text, to]);
}
return fresh;
"""


class ChatWatcher:
    """Reads the chat list of an admitted bot's page, about once a second (`poll` every tick)."""

    def __init__(self, bot: Bot, adapter, *, admitted_at: float) -> None:
        self.bot = bot
        self.adapter = adapter
        self.admitted_at = admitted_at  # time.monotonic() at admission: messages' offset_ms
        self._next_read = 0.0
        self._opened = False
        # An adapter without the platform's page data (a client with no chat list) reads nothing.
        ui = getattr(adapter, "ui", None)
        css = ui.script_data()["s"] if ui is not None else {}
        selectors = {name: css.get(name) for name in ("chat_message", "chat_sender", "chat_text", "chat_input")}
        self.readable = all(selectors.values())
        selectors["chat_recipient"] = css.get("chat_recipient")
        self._script = READ_JS.replace("__UI__", json.dumps({"s": selectors}))

    def poll(self, *, force: bool = False) -> int:
        """Store what arrived since the last read; returns how many messages did. Best effort: a
        failed read is tried again at the next one."""
        now = time.monotonic()
        if not self.readable or (now < self._next_read and not force):
            return 0
        self._next_read = now + READ_EVERY_S
        try:
            fresh = self.adapter.driver.execute_script(self._script, getattr(self.adapter, "FRAME", ""))
        except Exception:
            log.info("Bot %s: the chat list could not be read", self.bot.id, exc_info=True)
            return 0
        if fresh is None:
            self._open_panel()
            return 0
        at = timezone.now()
        for index, (sender, text, to) in enumerate(fresh):
            # Read together, dated a microsecond apart: the list's order stays the messages' order.
            self._record(sender, text, to or None, at + timedelta(microseconds=index), now)
        return len(fresh)

    def _record(self, sender: str, text: str, to: str | None, at: datetime, now: float) -> None:
        try:
            chat_message_record(
                meeting=self.bot.meeting,
                sender=sender or "Unknown",
                text=text,
                sent_at=at,
                offset_ms=int((now - self.admitted_at) * 1000),
                from_bot=sender == self.bot.bot_name,
                to=to,
                to_bot=to == self.bot.bot_name,
                bot_id=self.bot.id,
            )
        except Exception:
            log.warning("Bot %s: a chat message could not be stored", self.bot.id, exc_info=True)

    def _open_panel(self) -> None:
        if self._opened:
            return
        self._opened = True
        control = self.adapter._find("chat_open")
        if control is not None:
            self.adapter._click(control)


def chat_recipient_choose(adapter, to: str | None) -> None:
    """Pick the recipient in the chat's own chooser (ui.json `chat_to`: Zoom's "Send to", Webex's "To:")
    before a message is sent: the participant whose name is `to`, or Everyone (the first choice), since
    the chooser keeps the last pick. A platform without one has no private messages."""
    ui = getattr(adapter, "ui", None)
    if ui is None or "chat_to" not in ui.elements:
        if to is not None:
            raise ValueError("This meeting's chat has no private messages.")
        return
    chooser = adapter._find("chat_to")
    if chooser is None:  # the chooser is in the chat panel: open it
        adapter._click(adapter._require("chat_open", 5))
        chooser = adapter._require("chat_to", 5)
    if to is None:
        Select(chooser).select_by_index(0)
    else:
        Select(chooser).select_by_visible_text(to)
