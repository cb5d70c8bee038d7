"""Webex web app (guest join). Selectors and texts: ui.json beside this file; their sources:
docs/simulator.md (Webex).

The real client renders the meeting inside `iframe#unified-webclient-iframe`; when that frame is
there the adapter reads and clicks inside it, so the same selectors serve the real page and the
simulator's.
"""

from bots.platforms.web import WebAdapter

GUEST_EMAIL = "notula-bot@example.com"

PLATFORM_JS = r"""
const platformState = () => null;
const readCall = (roster, captions) => {
  const hosts = new Set(Array.from(doc.querySelectorAll(ui.s.people_row))
    .filter((row) => ui.t.host.some((t) => new RegExp(`\\b${t}\\b`).test(row.textContent)))
    .map((row) => (row.querySelector(ui.s.people_name) || row).textContent.trim()));
  const seen = new Set();
  for (const pane of doc.querySelectorAll(ui.s.tile)) {
    const label = pane.querySelector(ui.s.tile_name);
    const name = label ? label.textContent.trim() : "";
    if (!name || seen.has(name) || name === botName) continue;
    seen.add(name);
    roster.push({ id: name, name, host: hosts.has(name), speaking: !!pane.querySelector(ui.s.tile_speaking) });
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


class Adapter(WebAdapter):
    platform = "webex"
    PLATFORM_JS = PLATFORM_JS
    FRAME = "iframe#unified-webclient-iframe"

    def fill_pre_join(self) -> None:
        email = self._wait_for("email_field", 1)
        if email is not None and not email.get_attribute("value"):
            email.send_keys(GUEST_EMAIL)
