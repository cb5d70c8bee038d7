"""Microsoft Teams web client (the guest "light meetings" flow). Sources: docs/simulator.md (Teams)."""

from bots.platforms.web import WebAdapter

SNAPSHOT_JS = r"""
const checks = [
  ["not_found", ["Looks like the meeting URL is incorrect"]],
  ["login_required", ["You need to be signed in to Teams to access this meeting",
                      "Sign in to Teams to join, or contact the meeting organizer",
                      "To join this meeting, sign in again or select another account",
                      "To join, sign in or use Teams on the web",
                      "We need to verify your info before you can join"]],
  ["blocked", ["we couldn't connect you", "Verify you're a real person"]],
  ["denied", ["but you were denied access to the meeting", "Your request to join was declined"]],
  ["removed", ["You've been removed from this meeting", "You have been removed from this meeting",
               "Someone removed you from the meeting"]],
  ["ended", ["The meeting has ended", "This meeting has ended", "You left the meeting"]],
];
let hit = firstState(checks);
if (!hit) {
  const lobby = found(["Someone will let you in soon", "Someone will let you in shortly",
                       "When the meeting starts, we'll let people know you're waiting",
                       "Waiting for someone to let you in"]);
  if (lobby) hit = ["waiting_room", lobby];
  else if (one('#hangup-button, button[data-tid="hangup-main-btn"]')) hit = ["in_call", ""];
  else hit = ["joining", ""];
}
const roster = [];
const captions = [];
if (hit[0] === "in_call") {
  const hosts = new Set(Array.from(doc.querySelectorAll('[data-cid="roster-participant"]'))
    .filter((row) => row.textContent.includes("Organizer")).map((row) => row.getAttribute("aria-label")));
  const seen = new Set();
  for (const tile of doc.querySelectorAll('[data-cid="calling-participant-stream"]')) {
    const nameEl = tile.querySelector('[data-tid="participant-name"]');
    const name = (nameEl ? nameEl.textContent : tile.getAttribute("aria-label") || "").trim();
    if (!name || seen.has(name) || name === botName || tile.textContent.includes("(You)")) continue;
    seen.add(name);
    const speaking = !!tile.querySelector('[data-tid="voice-level-stream-outline"].vdi-frame-occlusion');
    roster.push({ id: tile.getAttribute("data-acc-element-id") || name, name, host: hosts.has(name), speaking });
  }
  // Author and text are siblings; pairing them by index works for both the host's and a guest's view.
  const wrapper = one('[data-tid="closed-caption-renderer-wrapper"]');
  if (wrapper) {
    const authors = wrapper.querySelectorAll('[data-tid="author"]');
    const texts = wrapper.querySelectorAll('[data-tid="closed-caption-text"]');
    texts.forEach((el, i) => {
      if (text(el)) captions.push({ speaker: authors[i] ? text(authors[i]) : "", text: text(el) });
    });
  }
}
return { state: hit[0], message: hit[1], roster, captions };
"""


class Adapter(WebAdapter):
    platform = "teams"
    NAME_INPUT = 'input[data-tid="prejoin-display-name-input"]'
    JOIN_BUTTON = 'button[data-tid="prejoin-join-button"]'
    TOGGLES = {
        "mic": ('[data-tid="toggle-mute"][aria-checked="true"]', '[data-tid="toggle-mute"][aria-checked="false"]'),
        "camera": ('[data-tid="toggle-video"][aria-checked="true"]', '[data-tid="toggle-video"][aria-checked="false"]'),
    }
    CAPTIONS_ON = '#closed-captions-button[aria-label="Turn on live captions"]'
    CHAT_OPEN = "#chat-button"
    CHAT_INPUT = '[data-tid="ckeditor"][contenteditable="true"]'
    CHAT_SEND = 'button[data-tid="newMessageCommands-send"]'
    LEAVE = '#hangup-button, button[data-tid="hangup-main-btn"]'
    LOBBY_CANCEL = 'button[aria-label="Cancel"]'
    SNAPSHOT_JS = SNAPSHOT_JS
