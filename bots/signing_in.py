"""A bot that joins as a stored account (`join_as`) signs its browser in before it opens the meeting.

The account's kept session is put back first and renewed after; a sign-in that cannot finish (a second
step, a refused password) marks the account as needing attention and ends the bot with login_required.
"""

from urllib.parse import urlsplit

from django.conf import settings

from accounts.bot_accounts import (
    bot_account_needs_attention,
    bot_account_password,
    bot_account_session,
    bot_account_signed_in,
)
from bots.models import Bot
from bots.platforms.signin import SignIn, SignInFailed
from bots.platforms.ui import bot_language
from meetings.meeting_urls import InvalidMeetingUrl, parse_meeting_url

# The simulator's sign-in pages, on the host of a simulated meeting's link.
SIMULATED_SIGNIN = {"google": "/simulator/google/signin", "microsoft": "/simulator/microsoft/login"}


def sign_in_url(provider: str, meeting_url: str) -> str:
    """Where `provider`'s sign-in page is for this meeting: the real one, or the simulator's."""
    try:
        simulated = parse_meeting_url(meeting_url).simulated
    except InvalidMeetingUrl:
        simulated = False
    if simulated:
        parts = urlsplit(meeting_url)
        return f"{parts.scheme}://{parts.netloc}{SIMULATED_SIGNIN[provider]}"
    return settings.GOOGLE_SIGNIN_URL if provider == "google" else settings.MICROSOFT_SIGNIN_URL


def bot_sign_in(*, bot: Bot, driver) -> bool:
    """Sign the bot's browser in as its `join_as` account; False for a bot that joins as a guest.
    Raises SignInFailed (a LoginRequired) with what to do."""
    account = bot.join_as
    if account is None:
        return False
    url = sign_in_url(account.provider, bot.meeting_url)
    signer = SignIn(driver, provider=account.provider, language=bot_language())
    signer.restore(url, bot_account_session(account=account))
    try:
        signer.sign_in(url=url, email=account.email, password=bot_account_password(account=account))
    except SignInFailed as exc:
        bot_account_needs_attention(account=account, message=str(exc))
        raise
    bot_account_signed_in(account=account, cookies=driver.get_cookies())
    return True
