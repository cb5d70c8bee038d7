"""What differs between the simulated clients besides their templates: how a toggle shows its state,
the tab titles, the host label, and whether leaving asks for confirmation. See docs/simulator.md for
where each attribute and text comes from."""

from simulator.i18n import page_texts

COMMON = {
    # The page asks the server for the meeting's state this often; in the call, where what changes is
    # mostly scheduled (the server says when: next_change_s), less often, which costs the server a
    # quarter of the requests a page made before.
    "poll_ms": 250,
    "call_poll_ms": 1000,
    "caption_linger_ms": 4000,
    # A camera frame with a colour spread (standard deviation over the frame) above this is a picture.
    "camera_image_min_stddev": 12.0,
    "camera_pattern_max_stddev": 40.0,
    "initial": {"mic": True, "camera": True},  # real clients start with both on; bots turn them off
    "captions_default": False,
    "confirm_leave": False,
    "host_label": "@host_label",
}


def _pair(on: dict, off: dict) -> dict:
    return {"on": on, "off": off}


PLATFORMS = {
    "google_meet": {
        "toggles": {
            "mic": _pair(
                {"aria-label": "@mic_on_label", "data-is-muted": "false"},
                {"aria-label": "@mic_off_label", "data-is-muted": "true"},
            ),
            "camera": _pair(
                {"aria-label": "@camera_on_label", "data-is-muted": "false"},
                {"aria-label": "@camera_off_label", "data-is-muted": "true"},
            ),
            "captions": _pair(
                {"aria-label": "@captions_on_label", "aria-pressed": "true"},
                {"aria-label": "@captions_off_label", "aria-pressed": "false"},
            ),
        },
        "titles": {"prejoin": "Meet", "call": "Meet - {code}"},
    },
    "teams": {
        "toggles": {
            "mic": _pair(
                {"aria-checked": "true", "title": "@mic_on_label"}, {"aria-checked": "false", "title": "@mic_off_label"}
            ),
            "camera": _pair(
                {"aria-checked": "true", "title": "@camera_on_label"},
                {"aria-checked": "false", "title": "@camera_off_label"},
            ),
            "captions": _pair(
                {"aria-label": "@captions_on_label", "aria-pressed": "true"},
                {"aria-label": "@captions_off_label", "aria-pressed": "false"},
            ),
        },
        "titles": {"prejoin": "Join conversation | Microsoft Teams", "call": "Meeting | Microsoft Teams"},
        "host_label": "@host_label",
    },
    "zoom": {
        "toggles": {
            "mic": _pair({"aria-label": "@mute", "text": "@mute"}, {"aria-label": "@unmute", "text": "@unmute"}),
            "camera": _pair(
                {"aria-label": "@stop_video", "text": "@stop_video"},
                {"aria-label": "@start_video", "text": "@start_video"},
            ),
            "captions": _pair(
                {"aria-label": "@hide_captions", "text": "@hide_captions"},
                {"aria-label": "@show_captions", "text": "@show_captions"},
            ),
        },
        "titles": {"prejoin": "Zoom", "call": "Zoom Meeting"},
        "confirm_leave": True,
        "host_label": "@host_label",
    },
    "webex": {
        "toggles": {
            "mic": _pair({"aria-label": "@mute", "text": "@mute"}, {"aria-label": "@unmute", "text": "@unmute"}),
            "camera": _pair(
                {"aria-label": "@stop_video", "text": "@stop_video"},
                {"aria-label": "@start_video", "text": "@start_video"},
            ),
            "captions": _pair(
                {"aria-label": "@hide_captions", "aria-pressed": "true"},
                {"aria-label": "@show_captions", "aria-pressed": "false"},
            ),
        },
        "titles": {"prejoin": "Webex", "lobby": "Webex | In lobby", "call": "Webex | In meeting"},
        "host_label": "@host_label",
    },
}


def _in_language(value, texts: dict[str, str]):
    """Strings "@key" become that text of the page's language (simulator/texts/<platform>.json)."""
    if isinstance(value, dict):
        return {k: _in_language(v, texts) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("@"):
        return texts[value[1:]]
    return value


def page_config(*, platform: str, code: str, base: str, language: str = "en") -> dict:
    """The engine's configuration for one platform page, in the page's language."""
    cfg = _in_language({**COMMON, **PLATFORMS[platform]}, page_texts(platform, language))
    cfg.update(platform=platform, base=base, language=language)
    cfg["titles"] = {screen: title.replace("{code}", code) for screen, title in cfg["titles"].items()}
    return cfg
