"""Language names some servers return (`"english"`) mapped to the codes Notula stores (`"en"`)."""

NAMES = {
    "english": "en",
    "german": "de",
    "spanish": "es",
    "french": "fr",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "polish": "pl",
    "russian": "ru",
    "ukrainian": "uk",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "arabic": "ar",
    "hindi": "hi",
    "turkish": "tr",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "finnish": "fi",
    "czech": "cs",
    "greek": "el",
    "hebrew": "he",
    "romanian": "ro",
    "hungarian": "hu",
}


def language_code(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip().lower()
    return NAMES.get(value, value)


def language_option(value: str | None) -> str | None:
    """The setting as a backend wants it: a code, or None to detect."""
    if not value or value.strip().lower() in ("auto", "detect"):
        return None
    return language_code(value)
