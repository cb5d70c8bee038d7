"""What differs between the simulated clients besides their templates: how a toggle shows its state,
the tab titles, the host label, and whether leaving asks for confirmation. See docs/simulator.md for
where each attribute and text comes from."""

COMMON = {
    "poll_ms": 250,
    "caption_linger_ms": 4000,
    # A camera frame with a colour spread (standard deviation over the frame) above this is a picture.
    "camera_image_min_stddev": 12.0,
    "camera_pattern_max_stddev": 40.0,
    "initial": {"mic": True, "camera": True},  # real clients start with both on; bots turn them off
    "captions_default": False,
    "confirm_leave": False,
    "host_label": "Meeting host",
}


def _pair(on: dict, off: dict) -> dict:
    return {"on": on, "off": off}


PLATFORMS = {
    "google_meet": {
        "toggles": {
            "mic": _pair(
                {"aria-label": "Turn off microphone", "data-is-muted": "false"},
                {"aria-label": "Turn on microphone", "data-is-muted": "true"},
            ),
            "camera": _pair(
                {"aria-label": "Turn off camera", "data-is-muted": "false"},
                {"aria-label": "Turn on camera", "data-is-muted": "true"},
            ),
            "captions": _pair(
                {"aria-label": "Turn off captions", "aria-pressed": "true"},
                {"aria-label": "Turn on captions", "aria-pressed": "false"},
            ),
        },
        "titles": {"prejoin": "Meet", "call": "Meet - {code}"},
    },
    "teams": {
        "toggles": {
            "mic": _pair(
                {"aria-checked": "true", "title": "Mute mic"}, {"aria-checked": "false", "title": "Unmute mic"}
            ),
            "camera": _pair(
                {"aria-checked": "true", "title": "Turn camera off"},
                {"aria-checked": "false", "title": "Turn camera on"},
            ),
            "captions": _pair(
                {"aria-label": "Turn off live captions", "aria-pressed": "true"},
                {"aria-label": "Turn on live captions", "aria-pressed": "false"},
            ),
        },
        "titles": {"prejoin": "Join conversation | Microsoft Teams", "call": "Meeting | Microsoft Teams"},
        "host_label": "Organizer",
    },
    "zoom": {
        "toggles": {
            "mic": _pair({"aria-label": "Mute", "text": "Mute"}, {"aria-label": "Unmute", "text": "Unmute"}),
            "camera": _pair(
                {"aria-label": "Stop Video", "text": "Stop Video"}, {"aria-label": "Start Video", "text": "Start Video"}
            ),
            "captions": _pair(
                {"aria-label": "Hide Captions", "text": "Hide Captions"},
                {"aria-label": "Show Captions", "text": "Show Captions"},
            ),
        },
        "titles": {"prejoin": "Zoom", "call": "Zoom Meeting"},
        "confirm_leave": True,
        "host_label": "(Host)",
    },
    "webex": {
        "toggles": {
            "mic": _pair({"aria-label": "Mute", "text": "Mute"}, {"aria-label": "Unmute", "text": "Unmute"}),
            "camera": _pair(
                {"aria-label": "Stop video", "text": "Stop video"}, {"aria-label": "Start video", "text": "Start video"}
            ),
            "captions": _pair(
                {"aria-label": "Hide closed captions", "aria-pressed": "true"},
                {"aria-label": "Show closed captions", "aria-pressed": "false"},
            ),
        },
        "titles": {"prejoin": "Webex", "lobby": "Webex | In lobby", "call": "Webex | In meeting"},
        "host_label": "Host",
    },
}


def page_config(*, platform: str, code: str, base: str, language: str = "en") -> dict:
    """The engine's configuration for one platform page."""
    cfg = {**COMMON, **PLATFORMS[platform], "platform": platform, "base": base, "language": language}
    cfg["titles"] = {screen: title.replace("{code}", code) for screen, title in cfg["titles"].items()}
    return cfg
