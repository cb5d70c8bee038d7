"""The meeting page's controls for a bot in the call: say something, pause and resume the recording.
Each is the API's own service; a refusal (a bot no longer in the call, a voice it lacks) is a message."""

from django.contrib import messages

from bots.pause import bot_pause_recording, bot_resume_recording
from bots.selectors import bot_get
from bots.speech import TEXT_MAX, bot_speak
from common.errors import ValidationError
from dashboard.views.common import back, dashboard_action


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
