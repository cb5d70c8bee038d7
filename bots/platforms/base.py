"""The protocol every platform adapter implements, and the typed UI errors that drive the runner.

An adapter knows one platform's web client: its selectors, texts and flow. It drives the page through
the Selenium WebDriver it is given and imports no model; the runner turns what it reports into state
changes, participants and events.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from selenium.webdriver.remote.webdriver import WebDriver


class CallState(StrEnum):
    """Where the bot is, as the page shows it."""

    JOINING = "joining"  # pre-join screen, or the click has not taken effect yet
    WAITING_ROOM = "waiting_room"  # asked to join; waiting for the host
    IN_CALL = "in_call"
    DENIED = "denied"  # the host refused the request to join
    REMOVED = "removed"  # removed by the host
    ENDED = "ended"  # the meeting ended for everyone
    NOT_FOUND = "not_found"  # no such meeting / invalid link
    BLOCKED = "blocked"  # "You can't join this call" and other refusals of the platform
    CAPTCHA = "captcha"  # the platform wants proof that the bot is a person
    LOGIN_REQUIRED = "login_required"  # "Sign in to join", or a bounce to the sign-in page
    NOT_STARTED = "not_started"  # asked to join; the meeting has not started (no host yet)


@dataclass(frozen=True)
class RosterEntry:
    """One person in the call other than the bot itself."""

    id: str  # the platform's id for this participant, stable for the call (the name when none)
    name: str
    is_host: bool = False
    is_speaking: bool = False


@dataclass(frozen=True)
class Caption:
    """A caption line as the platform shows it (used by the `captions` transcription backend)."""

    speaker: str
    text: str


@dataclass
class Snapshot:
    """Everything the runner needs from one poll of the page, read in a single script call."""

    state: CallState
    roster: list[RosterEntry] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    message: str = ""  # the text on screen that explains the state (denied, ended, ...)


class UiError(Exception):
    """The page did not behave as the adapter expected (an element missing, a click refused).

    The message says where and what: "pre-join screen: name field not found"."""

    def __init__(self, message: str, *, state: CallState | None = None) -> None:
        super().__init__(message)
        self.state = state


class StepFailed(UiError):
    """A step of the flow could not find its element, nor any of its documented fallbacks."""

    def __init__(self, step: str, label: str) -> None:
        super().__init__(f"{step}: {label} not found")
        self.step = step
        self.label = label


class UnrecognizedPage(UiError):
    """The link led to a page that is no screen the adapter knows."""


class MeetingNotFound(UiError):
    pass


class JoinBlocked(UiError):
    """The platform refused the bot: "You can't join this call", a CAPTCHA (state CAPTCHA)."""


class LoginRequired(UiError):
    pass


class PlatformAdapter(Protocol):
    platform: str

    def __init__(self, driver: WebDriver, *, bot_name: str, camera_on: bool = False, language: str = "") -> None: ...

    def open(self, url: str) -> None:
        """Navigate to the meeting link, pass its launcher page, cookie banner and dialogs, and wait for
        the pre-join screen (or an error screen). Raises UnrecognizedPage when the page is none it
        knows, StepFailed when a launcher's control and its fallbacks are all missing."""

    def join(self) -> None:
        """Enter the bot's name, keep the microphone off (camera off unless camera_on), ask to join.

        Raises MeetingNotFound, JoinBlocked or LoginRequired when the page says so, StepFailed naming
        the step and the element when one is missing, UiError otherwise.
        """

    def snapshot(self) -> Snapshot:
        """The call state, the roster (without the bot) with speaking flags, and visible captions."""

    def snapshot_with(self, expression: str) -> tuple[Snapshot | None, Any]:
        """The snapshot and the value of a JavaScript `expression`, in one call into the page.

        The snapshot is None when the page's script failed; the expression's value comes back all
        the same (the runner drains its audio queue this way, and loses no audio to a bad tick).
        """

    def enable_captions(self) -> None:
        """Turn on the platform's live captions (best effort)."""

    def set_microphone(self, on: bool) -> None:
        """Unmute (on) or mute the bot's microphone in the call; UiError when the control does not answer."""

    def send_chat(self, text: str) -> None:
        """Post a message in the meeting chat."""

    def leave(self) -> None:
        """Leave the call through the page's own leave control."""
