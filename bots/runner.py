"""`run(bot_id)`: one bot's whole session, from Celery (`bots.tasks.run_bot`) or `manage.py run_bot`.

The claim (queued -> joining) happens before anything else: a run that cannot claim its bot (a broker
redelivery, a second worker, a bot already left) exits without starting a browser.
"""

import logging

from bots import lifecycle
from bots.endings import ending_message
from bots.models import EndReason
from bots.session import BotSession

log = logging.getLogger(__name__)


def run(bot_id: str) -> None:
    bot = lifecycle.bot_claim(bot_id=bot_id, worker=lifecycle.worker_name())
    if bot is None:
        return
    session = BotSession(bot)
    try:
        session.run()
    except Exception as exc:
        log.exception("Bot %s crashed", bot_id)
        session.salvage()
        screenshot, html = session.artefacts
        message = ending_message(EndReason.BOT_CRASHED, f"{type(exc).__name__}: {exc}")
        lifecycle.bot_crash(bot=bot, message=message, screenshot=screenshot, html=html)
