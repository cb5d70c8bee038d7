"""The meeting page's controls for a bot in the call: say something, pause and resume the recording,
write in the meeting chat, take a screenshot. Each is the API's own service.

Speaking and pausing answer a plain form post (a refusal, such as a bot no longer in the call or a voice
it lacks, is a message). Chat and screenshots are sent with fetch (`Accept: application/json`) and heard
live (the message as a `chat.message` event, the screenshot in its list); a plain form post returns to
the page.
"""

from django.contrib import messages
from django.http import JsonResponse

from bots.pause import bot_pause_recording, bot_resume_recording
from bots.selectors import bot_get
from bots.services.in_call import bot_in_call_request
from bots.speech import TEXT_MAX, bot_speak
from common.errors import NotulaError, ValidationError
from dashboard.views.common import back, dashboard_action

MAX_TEXT = 500


def _page(bot) -> str:
    return f"/dashboard/meetings/{bot.meeting_id}/"


@dashboard_action(fallback="/dashboard/bots/")
def bot_say(request, bot_id: str):
    bot = bot_get(organization=request.organization, bot_id=bot_id)
    text = request.POST.get("text", "").strip()
    if not text or len(text) > TEXT_MAX:
        raise ValidationError(f"Type what the bot should say (at most {TEXT_MAX} characters).")
    answer = bot_speak(bot=bot, text=text, voice=request.POST.get("voice", "").strip())
    messages.success(request, f"{bot.bot_name} will say it ({answer['duration_ms'] / 1000:.1f} s).")
    return back(request, _page(bot))


@dashboard_action(fallback="/dashboard/bots/")
def bot_pause(request, bot_id: str):
    bot = bot_get(organization=request.organization, bot_id=bot_id)
    bot_pause_recording(bot=bot)
    messages.success(request, f"{bot.bot_name} pauses its recording.")
    return back(request, _page(bot))


@dashboard_action(fallback="/dashboard/bots/")
def bot_resume(request, bot_id: str):
    bot = bot_get(organization=request.organization, bot_id=bot_id)
    bot_resume_recording(bot=bot)
    messages.success(request, f"{bot.bot_name} resumes its recording.")
    return back(request, _page(bot))


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
