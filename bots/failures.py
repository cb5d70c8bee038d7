"""A crashed bot's `end_message` in the user's words: what went wrong, as a sentence, not an exception's
repr. The exception itself goes to the worker's log (with its traceback) and its type to the `failed`
event of the bot's history, for whoever debugs it."""

from bots.platforms.base import UiError

GENERIC = "The bot stopped on an unexpected error and left the meeting; the details are in the worker's log."


def _selenium_message(exc: Exception) -> str | None:
    try:
        from selenium.common import exceptions as selenium
    except ImportError:
        return None
    if isinstance(exc, selenium.TimeoutException):
        return "The meeting page took too long to respond, and the bot left the meeting."
    if isinstance(exc, selenium.SessionNotCreatedException):
        return "The bot's browser could not be started on the worker."
    if isinstance(exc, selenium.WebDriverException):
        return "The bot's browser stopped working during the meeting."
    return None


def failure_message(exc: Exception) -> str:
    """One sentence (or two) for a person reading the bot's status."""
    if isinstance(exc, UiError):
        detail = str(exc).strip()
        return f"The meeting page did not behave as the bot expected: {detail}" if detail else GENERIC
    selenium_message = _selenium_message(exc)
    if selenium_message:
        return selenium_message
    if isinstance(exc, MemoryError):
        return "The worker ran out of memory during the meeting."
    if isinstance(exc, OSError):
        return "The worker could not read or write the meeting's files (disk full or a missing program)."
    return GENERIC
