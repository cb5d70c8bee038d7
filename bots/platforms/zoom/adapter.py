"""Zoom web client (app.zoom.us/wc/<id>/join). Sources: docs/simulator.md (Zoom)."""

from bots.platforms.web import WebAdapter

SNAPSHOT_JS = r"""
const checks = [
  ["not_found", ["This meeting link is invalid", "Invalid meeting ID"]],
  ["login_required", ["This meeting is for authorized attendees only", "Sign In to Join"]],
  ["blocked", ["Unable to join this meeting", "This meeting has been locked by the host"]],
  ["denied", ["removed from the waiting room", "denied your request to join"]],
  ["removed", ["You have been removed", "removed you from the meeting"]],
  ["ended", ["This meeting has been ended by host", "The meeting has ended", "You have left the meeting"]],
];
let hit = firstState(checks);
if (!hit) {
  const lobby = found(["Please wait, the meeting host will let you in soon",
                       "Waiting for the host to start this meeting",
                       "Host has joined. We've let them know you're here"]);
  if (lobby) hit = ["waiting_room", lobby];
  else if (one('button.footer-button__button[aria-label="Leave"], .footer button[aria-label="Leave"]')) {
    hit = ["in_call", ""];
  } else hit = ["joining", ""];
}
const roster = [];
const captions = [];
if (hit[0] === "in_call") {
  const hosts = new Set(Array.from(doc.querySelectorAll(".participants-item__item-layout"))
    .filter((row) => row.textContent.includes("(Host)"))
    .map((row) => (row.querySelector(".participants-item__display-name") || row).textContent.trim()));
  const seen = new Set();
  const frames = ".gallery-video-container__video-frame, .speaker-bar-container__video-frame";
  for (const frame of doc.querySelectorAll(frames)) {
    const footer = frame.querySelector(".video-avatar__avatar-footer");
    const name = footer ? footer.textContent.trim() : "";
    if (!name || seen.has(name) || name === botName) continue;
    seen.add(name);
    const speaking = frame.classList.contains("gallery-video-container__video-frame--active");
    roster.push({ id: name, name, host: hosts.has(name), speaking });
  }
  const box = one("#live-transcription-subtitle, .live-transcription-subtitle__box");
  if (box) {
    for (const item of box.querySelectorAll(".live-transcription-subtitle__item")) {
      const said = text(item.querySelector(".live-transcription-subtitle__text"));
      if (said) captions.push({ speaker: text(item.querySelector(".live-transcription-subtitle__name")), text: said });
    }
  }
}
return { state: hit[0], message: hit[1], roster, captions };
"""

# The same control in the preview and in the meeting footer.
MIC = ("#preview-audio-control-button", "button.join-audio-container__btn")
VIDEO = ("#preview-video-control-button", "button.send-video-container__btn")


def _either(controls: tuple[str, str], state: str) -> str:
    return ", ".join(control + state for control in controls)


class Adapter(WebAdapter):
    platform = "zoom"
    NAME_INPUT = "#input-for-name"
    JOIN_BUTTON = "button.preview-join-button"
    TOGGLES = {
        "mic": (_either(MIC, '[aria-label="Mute"]'), _either(MIC, '[aria-label="Unmute"]')),
        "camera": (_either(VIDEO, '[aria-label="Stop Video"]'), _either(VIDEO, '[aria-label="Start Video"]')),
    }
    CAPTIONS_ON = 'button[aria-label="Show Captions"]'
    CHAT_OPEN = 'button[aria-label="open the chat panel"]'
    CHAT_INPUT = '.chat-rtf-box__editor-outer [contenteditable="true"]'
    CHAT_SEND = 'button[aria-label="send"]'
    LEAVE = 'button.footer-button__button[aria-label="Leave"]'
    LEAVE_CONFIRM = "button.leave-meeting-options__btn"
    LOBBY_CANCEL = 'button[aria-label="Leave Waiting Room"]'
    SNAPSHOT_JS = SNAPSHOT_JS
