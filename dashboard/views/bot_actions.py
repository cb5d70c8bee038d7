"""The meeting page's controls for a bot in the call: write in the meeting chat, take a screenshot.

The page sends them with fetch (`Accept: application/json`) and hears the result live (the message
as a `chat.message` event, the screenshot in its list); a plain form post returns to the page.
"""

from django.contrib import messages
from django.http import JsonResponse

from bots.selectors import bot_get
from bots.services.in_call import bot_in_call_request
from common.errors import NotulaError
from dashboard.views.common import back, dashboard_action

MAX_TEXT = 500


def _answer(request, bot, send, done: str):
    wants_json = "json" in request.headers.get("Accept", "")
    try:
        command = send()
    except NotulaError as exc:
        if wants_json:
            return JsonResponse({"error": exc.message}, status=exc.status_code)
        raise
    if wants_json:
        return JsonResponse({"command_id": command.id}, status=202)
    messages.success(request, done)
    return back(request, f"/dashboard/meetings/{bot.meeting_id}/")


@dashboard_action(fallback="/dashboard/bots/")
def bot_chat(request, bot_id: str):
    bot = bot_get(organization=request.organization, bot_id=bot_id)
    text = request.POST.get("text", "").strip()
    if not text or len(text) > MAX_TEXT:
        message = f"Write a message of 1 to {MAX_TEXT} characters."
        if "json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return back(request, f"/dashboard/meetings/{bot.meeting_id}/")
    return _answer(request, bot, lambda: bot_in_call_request(bot=bot, kind="chat", payload={"text": text}), "Sent.")


@dashboard_action(fallback="/dashboard/bots/")
def bot_screenshot(request, bot_id: str):
    bot = bot_get(organization=request.organization, bot_id=bot_id)
    return _answer(request, bot, lambda: bot_in_call_request(bot=bot, kind="screenshot"), "Screenshot requested.")
