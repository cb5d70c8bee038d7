"""The language a simulated page speaks, and its texts.

Real clients follow the browser's language; the simulator does too: `?hl=<language>` first (Google's
parameter, which the simulator honours on every platform), then the Accept-Language header, then
English. Each platform's texts are in simulator/texts/<platform>.json, key -> {language: text}, in
English, German, French and Spanish; these are the platform's words, kept apart from the adapters'
copy (bots/platforms/<platform>/ui.json) so that a test of one against the other means something.
"""

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "de", "fr", "es")
TEXTS = Path(__file__).resolve().parent / "texts"


def page_language(request) -> str:
    """The page's language for this request: ?hl=, then Accept-Language, then English."""
    asked = (request.GET.get("hl") or "").split("-")[0].lower()
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("Accept-Language", "").split(","):
        language = part.split(";")[0].strip().split("-")[0].lower()
        if language in LANGUAGES:
            return language
    return "en"


@lru_cache(maxsize=16)
def _texts(platform: str) -> dict[str, dict[str, str]]:
    path = TEXTS / f"{platform}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def page_texts(platform: str, language: str) -> dict[str, str]:
    """Every text of the platform's pages in `language` (English where a text has no translation)."""
    return {key: by_language.get(language) or by_language["en"] for key, by_language in _texts(platform).items()}
