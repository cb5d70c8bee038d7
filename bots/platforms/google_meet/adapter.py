"""Google Meet web client. Selectors and texts: see docs/simulator.md (Google Meet) for their sources."""

from bots.platforms.web import WebAdapter

SNAPSHOT_JS = r"""
const checks = [
  ["not_found", ["Check your meeting code", "Invalid video call name", "Your meeting code has expired"]],
  ["blocked", ["You can't join this video call", "There is a problem connecting to this video call"]],
  ["denied", ["denied your request to join", "No one responded to your request to join the call"]],
  ["removed", ["You've been removed from the meeting", "You have been removed from the meeting"]],
  ["ended", ["The host ended the meeting for everyone", "Call ended", "The call has ended", "You left the meeting"]],
];
let hit = firstState(checks);
const signIn = all("h1").find((h) => text(h).includes("Sign in"));
if (!hit && signIn && pageText.includes("Google Account")) hit = ["login_required", "Sign in"];
if (!hit) {
  const lobby = found(["Asking to be let in", "You'll join the call when someone lets you in",
                       "Please wait until a meeting host brings you into the call"]);
  if (lobby) hit = ["waiting_room", lobby];
  else if (one('button[aria-label="Leave call"]')) hit = ["in_call", ""];
  else hit = ["joining", ""];
}
const roster = [];
const captions = [];
if (hit[0] === "in_call") {
  const hosts = new Set(Array.from(doc.querySelectorAll('[role="listitem"][data-participant-id]'))
    .filter((row) => row.textContent.includes("Meeting host")).map((row) => row.dataset.participantId));
  // A person appears twice (grid tile, people panel row); the grid comes first and carries the indicator.
  const seen = new Set();
  for (const tile of doc.querySelectorAll("[data-participant-id]")) {
    const id = tile.dataset.participantId;
    const nameEl = tile.querySelector("span.notranslate, .zWGUib");
    const name = nameEl ? nameEl.textContent.trim() : "";
    if (!name || seen.has(id) || name === botName || tile.querySelector("[data-self-name]")) continue;
    seen.add(id);
    const speaking = !!tile.querySelector(".Oaajhc, .HX2H7, .wEsLMd, .OgVli");
    roster.push({ id, name, host: hosts.has(id), speaking });
  }
  const region = one('[role="region"][aria-label="Captions"]');
  if (region) {
    for (const entry of region.querySelectorAll(".nMcdL")) {
      const speaker = text(entry.querySelector(".NWpY1d"));
      const said = text(entry.querySelector(".ygicle"));
      if (said) captions.push({ speaker, text: said });
    }
  }
}
return { state: hit[0], message: hit[1], roster, captions };
"""


class Adapter(WebAdapter):
    platform = "google_meet"
    NAME_INPUT = 'input[type="text"][aria-label="Your name"]'
    JOIN_BUTTON = '//button[.//span[text()="Ask to join" or text()="Join now" or text()="Join the call now"]]'
    TOGGLES = {
        "mic": ('[aria-label="Turn off microphone"]', '[aria-label="Turn on microphone"]'),
        "camera": ('[aria-label="Turn off camera"]', '[aria-label="Turn on camera"]'),
    }
    CAPTIONS_ON = 'button[aria-label="Turn on captions"]'
    CHAT_OPEN = 'button[aria-label="Chat with everyone"]'
    CHAT_INPUT = 'textarea[aria-label="Send a message"]'
    CHAT_SEND = 'button[aria-label="Send message"]'
    LEAVE = 'button[aria-label="Leave call"]'
    LOBBY_CANCEL = '//button[.//span[text()="Cancel"]]'
    SNAPSHOT_JS = SNAPSHOT_JS
