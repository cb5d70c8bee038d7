"""Writes on bots: create, update, delete, leave, dispatch. Views and tasks call only these.

settings.py (a bot's settings), checks.py (what creation and changes must pass), writes.py (create,
update, delete), dispatch.py (leave on request, hand to a worker)."""

from bots.services.checks import DISPATCH_LEAD_S
from bots.services.dispatch import bot_request_leave, bots_dispatch_due
from bots.services.settings import DEFAULT_SETTINGS, SETTING_GROUPS, bot_settings_merge
from bots.services.writes import _enqueue_on_commit, bot_create, bot_delete, bot_dispatch, bot_update

__all__ = [
    "DEFAULT_SETTINGS",
    "DISPATCH_LEAD_S",
    "SETTING_GROUPS",
    "_enqueue_on_commit",
    "bot_create",
    "bot_delete",
    "bot_dispatch",
    "bot_request_leave",
    "bot_settings_merge",
    "bots_dispatch_due",
    "bot_update",
]
