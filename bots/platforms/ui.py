"""A platform's page, as data: the selectors and texts an adapter looks for, in every language it reads.

Each adapter keeps them in `bots/platforms/<platform>/ui.json` (format: docs/bots.md, "When a platform
changes its page"), so a changed page is mostly a changed data file:

- `texts`: key -> {language: [texts]}, in English, German, French and Spanish at least. A page follows
  the browser's locale (NOTULA_BOT_LOCALE), but a page that did not (a Zoom launcher in English for a
  German browser) is read all the same: the bot's language comes first, then every other.
- `elements`: name -> {step, label, find: [spec, fallback spec, ...]}. A spec is CSS, with `{text_key}`
  standing for each of that key's texts (`[aria-label="{leave_call}"]`), or `text:<key>`: a visible
  button or link whose text or aria-label is one of the key's texts. The first spec that finds a visible
  element wins; the others are the documented fallbacks. When none finds one, the bot ends saying
  "<step>: <label> not found".
- `doors`: what stands between a pasted link and the pre-join screen (cookie banners, launcher pages,
  dialogs), each {name, label, when: [specs], click: [specs], reveal: [specs]}: while one of `when`
  shows, the first of `click` that shows is clicked; `reveal` are clicked first when `click` shows
  nothing yet (Zoom shows "Join from your browser" only after "Launch Meeting").
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

LANGUAGES = ("en", "de", "fr", "es")
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Element:
    name: str
    step: str  # where the bot is when it looks for it: "pre-join screen", "launcher page", "in the call"
    label: str  # what it is, in words: "name field"
    specs: tuple[dict, ...]  # for FIND_JS: {"css": ...} or {"texts": [...]}


@dataclass(frozen=True)
class Door:
    name: str
    label: str
    when: tuple[dict, ...]
    click: tuple[dict, ...]
    reveal: tuple[dict, ...]


def bot_language(locale: str | None = None) -> str:
    """The language part of a locale ("de-DE" -> "de"), English when Notula reads no such language."""
    language = (locale or settings.BOT_LOCALE or "en").split("-")[0].split("_")[0].lower()
    return language if language in LANGUAGES else "en"


@lru_cache(maxsize=32)
def _raw(platform: str) -> dict:
    return json.loads((HERE / platform / "ui.json").read_text())


class PlatformUi:
    """One platform's ui.json, read for one bot language."""

    def __init__(self, platform: str, language: str = "en") -> None:
        self.platform = platform
        self.language = language
        raw = _raw(platform)
        self._texts: dict[str, dict[str, list[str]]] = raw.get("texts", {})
        self.elements = {name: self._element(name, spec) for name, spec in raw.get("elements", {}).items()}
        self.doors = [
            Door(
                name=door["name"],
                label=door["label"],
                when=self._specs(door.get("when") or door["click"]),
                click=self._specs(door["click"]),
                reveal=self._specs(door.get("reveal", [])),
            )
            for door in raw.get("doors", [])
        ]

    def texts(self, key: str) -> list[str]:
        """The key's texts, the bot's language first; KeyError for a key the file lacks."""
        by_language = self._texts[key]
        ordered = [self.language, "en"] + [lang for lang in by_language if lang not in (self.language, "en")]
        seen: list[str] = []
        for lang in ordered:
            for text in by_language.get(lang, []):
                if text not in seen:
                    seen.append(text)
        return seen

    def css(self, pattern: str) -> str:
        """A CSS pattern with each `{key}` replaced by every text of that key (a selector list)."""
        variants = [pattern]
        for key in self._texts:
            token = "{" + key + "}"
            if any(token in v for v in variants):
                variants = [v.replace(token, text.replace('"', '\\"')) for v in variants for text in self.texts(key)]
        return ", ".join(variants)

    def _specs(self, specs: list[str]) -> tuple[dict, ...]:
        return tuple({"texts": self.texts(s[5:])} if s.startswith("text:") else {"css": self.css(s)} for s in specs)

    def _element(self, name: str, spec: dict) -> Element:
        return Element(name=name, step=spec["step"], label=spec["label"], specs=self._specs(spec["find"]))

    def script_data(self) -> dict:
        """What a snapshot script reads as `ui`: `ui.t.<key>` (texts) and `ui.s.<element>` (the CSS of
        each element whose first spec is CSS)."""
        css = {name: el.specs[0]["css"] for name, el in self.elements.items() if "css" in el.specs[0]}
        return {"t": {key: self.texts(key) for key in self._texts}, "s": css}


@lru_cache(maxsize=32)
def platform_ui(platform: str, language: str) -> PlatformUi:
    return PlatformUi(platform, language)


# Finds the first visible element of a list of specs; in the document Selenium is in (a frame's, once
# the adapter entered it). Disabled controls do not count: a join button enables once a name is typed.
FIND_JS = r"""
const specs = arguments[0];
const norm = (s) => (s || "").replace(/\s+/g, " ").trim().toLowerCase();
const usable = (el) => el.getClientRects().length > 0 && !el.disabled && el.getAttribute("aria-disabled") !== "true";
const CLICKABLE = 'button, a, [role="button"], [role="link"], input[type="submit"], input[type="button"]';
for (const spec of specs) {
  let found = [];
  if (spec.css) {
    found = Array.from(document.querySelectorAll(spec.css));
  } else {
    const wanted = spec.texts.map(norm);
    found = Array.from(document.querySelectorAll(CLICKABLE)).filter((el) => {
      const shown = norm(el.innerText || el.value);
      const label = norm(el.getAttribute("aria-label"));
      return wanted.some((w) => shown === w || label === w || (shown.length < 80 && shown.includes(w)));
    });
  }
  const hit = found.find(usable);
  if (hit) return hit;
}
return null;
"""
