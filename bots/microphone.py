"""The Python side of the bot's microphone (bots/capture/microphone.js): installed before the page's
scripts and before the capture script (whose own getUserMedia wrapper then marks the microphone's
track as the bot's own, keeping its voice out of the recording)."""

import base64
from pathlib import Path

SCRIPT = (Path(__file__).parent / "capture" / "microphone.js").read_text()


def install(driver) -> str:
    result = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SCRIPT})
    return result.get("identifier", "")


def push(driver, pcm: bytes, rate: int, *, max_queued_ms: float = 0) -> float:
    """Queue 16-bit mono PCM after what the page is playing; how many ms are queued from now.
    `max_queued_ms` (live audio): beyond that much queued, the start of this PCM is dropped."""
    script = "return window.__notulaMic ? window.__notulaMic.push(arguments[0], arguments[1], arguments[2]) : 0;"
    return float(driver.execute_script(script, base64.b64encode(pcm).decode(), rate, max_queued_ms) or 0)


def queued_ms(driver) -> float:
    return float(driver.execute_script("return window.__notulaMic ? window.__notulaMic.queuedMs() : 0;") or 0)


def include_in_recording(driver) -> bool:
    """Mix the bot's own voice into what the capture script records (`recording.include_bot_voice`)."""
    script = "return !!(window.__notulaCapture && window.__notulaCapture.includeOwnVoice());"
    return bool(driver.execute_script(script))


def stop(driver) -> None:
    driver.execute_script("return window.__notulaMic && window.__notulaMic.stop();")
