"""Webex web app (guest join). Sources: docs/simulator.md (Webex).

The real client renders the meeting inside `iframe#unified-webclient-iframe`; when that frame is
there the adapter reads and clicks inside it, so the same selectors serve the real page and the
simulator's (which has no frame).
"""

from bots.platforms.web import WebAdapter

GUEST_EMAIL = "notula-bot@example.com"

SNAPSHOT_JS = r"""
const checks = [
  ["not_found", ["Meeting not found", "The meeting number or link is invalid"]],
  ["login_required", ["Sign in to join this meeting", "This meeting requires you to sign in"]],
  ["blocked", ["You can't join this meeting", "The meeting is locked"]],
  ["denied", ["denied your request to join", "You've been denied entry"]],
  ["removed", ["You've been removed from the meeting", "The host removed you from the meeting"]],
  ["ended", ["Meeting has ended", "The host ended the meeting", "You've left the meeting"]],
];
const IN_MEETING = ['[data-test="grid-layout"]', '[data-test="participants-toggle-button"]',
                    '[data-test="in-meeting-chat-toggle-button"]'].join(", ");
let hit = firstState(checks);
if (!hit) {
  const lobby = found(["Waiting for the host to let you in", "The host will let you into the meeting soon"]);
  if (lobby || one('[data-test="call_lobby_content"]')) hit = ["waiting_room", lobby];
  else if (one(IN_MEETING)) hit = ["in_call", ""];
  else hit = ["joining", ""];
}
const roster = [];
const captions = [];
if (hit[0] === "in_call") {
  const hosts = new Set(Array.from(doc.querySelectorAll('[data-test="participant-item"]'))
    .filter((row) => /\bHost\b/.test(row.textContent))
    .map((row) => (row.querySelector('[data-test="participant-name"]') || row).textContent.trim()));
  const seen = new Set();
  for (const pane of doc.querySelectorAll('[data-test$="-video-pane-container"]')) {
    if (pane.getAttribute("data-test") === "local-video-pane-container") continue;
    const label = pane.querySelector('[data-test="video-pane-name"]');
    const name = label ? label.textContent.trim() : "";
    if (!name || seen.has(name) || name === botName) continue;
    seen.add(name);
    const speaking = !!pane.querySelector('[data-active-speaker="true"]');
    roster.push({ id: name, name, host: hosts.has(name), speaking });
  }
  const box = one('[data-test="closed-captions-container"]');
  if (box) {
    for (const item of box.querySelectorAll('[data-test="caption-item"]')) {
      const said = text(item.querySelector('[data-test="caption-text"]'));
      if (said) captions.push({ speaker: text(item.querySelector('[data-test="caption-speaker"]')), text: said });
    }
  }
}
return { state: hit[0], message: hit[1], roster, captions };
"""


class Adapter(WebAdapter):
    platform = "webex"
    NAME_INPUT = 'input[data-test="Name (required)"]'
    EMAIL_INPUT = 'input[data-test="Email (required)"]'
    JOIN_BUTTON = 'button[data-test="join-button"]'
    TOGGLES = {
        "mic": ('[data-test="mute-button"][aria-label="Mute"]', '[data-test="mute-button"][aria-label="Unmute"]'),
        "camera": (
            '[data-test="video-button"][aria-label="Stop video"]',
            '[data-test="video-button"][aria-label="Start video"]',
        ),
    }
    CAPTIONS_ON = 'button[data-test="closed-captions-button"][aria-label="Show closed captions"]'
    CHAT_OPEN = '[data-test="in-meeting-chat-toggle-button"]'
    CHAT_INPUT = 'textarea[data-test="chat-input"]'
    CHAT_SEND = 'button[data-test="chat-send-button"]'
    LEAVE = 'button[data-test="call-control-leave-button"]'
    LOBBY_CANCEL = 'button[data-test="lobby-leave-button"]'
    SNAPSHOT_JS = SNAPSHOT_JS

    FRAME = "iframe#unified-webclient-iframe"

    def join(self) -> None:
        email = self._wait_visible(self.EMAIL_INPUT, 1)
        if email is not None and not email.get_attribute("value"):
            email.send_keys(GUEST_EMAIL)
        super().join()
