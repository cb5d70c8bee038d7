"""Microsoft Teams web client (the guest "light meetings" flow). Selectors and texts: ui.json beside
this file; their sources: docs/simulator.md (Teams)."""

from bots.platforms.web import WebAdapter

PLATFORM_JS = r"""
const platformState = () => {
  // A tenant whose policy refuses anonymous guests sends them to Microsoft's sign-in page.
  return one(ui.s.sign_in_form) ? ["login_required", "Microsoft sign-in page"] : null;
};
const readCall = (roster, captions) => {
  const hosts = new Set(Array.from(doc.querySelectorAll(ui.s.roster_row))
    .filter((row) => ui.t.organizer.some((t) => row.textContent.includes(t)))
    .map((row) => row.getAttribute("aria-label")));
  const seen = new Set();
  for (const tile of doc.querySelectorAll(ui.s.tile)) {
    const nameEl = tile.querySelector(ui.s.tile_name);
    const name = (nameEl ? nameEl.textContent : tile.getAttribute("aria-label") || "").trim();
    if (!name || seen.has(name) || name === botName || ui.t.you.some((t) => tile.textContent.includes(t))) continue;
    seen.add(name);
    const speaking = !!tile.querySelector(ui.s.tile_speaking);
    roster.push({ id: tile.getAttribute("data-acc-element-id") || name, name, host: hosts.has(name), speaking });
  }
  // Author and text are siblings; pairing them by index works for both the host's and a guest's view.
  const wrapper = one(ui.s.captions_box);
  if (wrapper) {
    const authors = wrapper.querySelectorAll(ui.s.caption_author);
    wrapper.querySelectorAll(ui.s.caption_text).forEach((el, i) => {
      if (text(el)) captions.push({ speaker: authors[i] ? text(authors[i]) : "", text: text(el) });
    });
  }
};
"""


class Adapter(WebAdapter):
    platform = "teams"
    PLATFORM_JS = PLATFORM_JS
