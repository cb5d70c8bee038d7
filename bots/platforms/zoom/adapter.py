"""Zoom web client (<host>/wc/join/<id>). Selectors and texts: ui.json beside this file; their
sources: docs/simulator.md (Zoom)."""

import re

from bots.platforms.ui import Door
from bots.platforms.web import WebAdapter

PLATFORM_JS = r"""
const platformState = () => null;
const readCall = (roster, captions) => {
  const hosts = new Set(Array.from(doc.querySelectorAll(ui.s.people_row))
    .filter((row) => ui.t.host.some((t) => row.textContent.includes(t)))
    .map((row) => (row.querySelector(ui.s.people_name) || row).textContent.trim()));
  const seen = new Set();
  for (const frame of doc.querySelectorAll(ui.s.tile)) {
    const footer = frame.querySelector(ui.s.tile_name);
    const name = footer ? footer.textContent.trim() : "";
    if (!name || seen.has(name) || name === botName) continue;
    seen.add(name);
    roster.push({ id: name, name, host: hosts.has(name), speaking: frame.matches(ui.s.tile_speaking) });
  }
  const box = one(ui.s.captions_box);
  if (box) {
    for (const item of box.querySelectorAll(ui.s.caption_entry)) {
      const said = text(item.querySelector(ui.s.caption_text));
      if (said) captions.push({ speaker: text(item.querySelector(ui.s.caption_speaker)), text: said });
    }
  }
};
"""
# A launcher's address and the web client's: /j/<id>?pwd=... and /wc/join/<id>?pwd=...
LAUNCHER_PATH = re.compile(r"/(?:j|w|s)/(\d{9,11})(?=[/?#]|$)")


class Adapter(WebAdapter):
    platform = "zoom"
    PLATFORM_JS = PLATFORM_JS

    def door_fallback(self, door: Door) -> bool:
        # The launcher page without its "Join from your browser" link: the web client has a known
        # address (the fallback ScreenApp's bot uses too).
        url = self.driver.current_url
        web_client = LAUNCHER_PATH.sub(lambda m: f"/wc/join/{m.group(1)}", url, count=1)
        if door.name != "launcher page" or web_client == url:
            return False
        self.driver.get(web_client)
        return True

    # --- the host's permission to record (bots/consent.py) ------------------------------------------------
    def recording_permission(self) -> str:
        """ "not_needed", "needed", "pending", "granted" or "denied", as the call's page says."""
        page = self.driver.execute_script("return document.body ? document.body.innerText : '';") or ""
        for answer, key in (("denied", "record_denied"), ("granted", "record_allowed"), ("pending", "record_waiting")):
            if any(text in page for text in self.ui.texts(key)):
                return answer
        return "needed" if self._find("record_ask") is not None else "not_needed"

    def request_recording_permission(self) -> None:
        self._click(self._require("record_ask", 5))
