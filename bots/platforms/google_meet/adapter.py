"""Google Meet web client. Selectors and texts: ui.json beside this file; their sources: docs/simulator.md."""

from bots.platforms.web import WebAdapter

PLATFORM_JS = r"""
const platformState = () => {
  // Meet sends a guest it will not take anonymously to a Google sign-in page.
  const heading = all(ui.s.sign_in_heading).find((h) => ui.t.sign_in.includes(text(h)));
  return heading && found(ui.t.google_account) ? ["login_required", text(heading)] : null;
};
const readCall = (roster, captions) => {
  const hosts = new Set(Array.from(doc.querySelectorAll(ui.s.people_row))
    .filter((row) => ui.t.meeting_host.some((t) => row.textContent.includes(t)))
    .map((row) => row.dataset.participantId));
  // A person appears twice (grid tile, people panel row); the grid comes first and carries the indicator.
  const seen = new Set();
  for (const tile of doc.querySelectorAll(ui.s.tile)) {
    const id = tile.dataset.participantId;
    const nameEl = tile.querySelector(ui.s.tile_name);
    const name = nameEl ? nameEl.textContent.trim() : "";
    if (!name || seen.has(id) || name === botName || tile.querySelector(ui.s.tile_self)) continue;
    seen.add(id);
    roster.push({ id, name, host: hosts.has(id), speaking: !!tile.querySelector(ui.s.tile_speaking) });
  }
  const region = one(ui.s.captions_box);
  if (region) {
    for (const entry of region.querySelectorAll(ui.s.caption_entry)) {
      const said = text(entry.querySelector(ui.s.caption_text));
      if (said) captions.push({ speaker: text(entry.querySelector(ui.s.caption_speaker)), text: said });
    }
  }
};
"""


class Adapter(WebAdapter):
    platform = "google_meet"
    PLATFORM_JS = PLATFORM_JS
