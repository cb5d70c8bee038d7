"""Signing a bot's browser in to Google or Microsoft, as the account it joins as.

The sign-in pages' selectors and texts are data like a platform's (bots/platforms/google_signin/ui.json,
bots/platforms/microsoft_signin/ui.json). A kept session (the cookies of the last signed-in browser) is
put back first: when it is still good, the sign-in page lets the browser through without a password.
A second step a bot cannot pass (a phone prompt, an authenticator code), a refused password or an
unknown email raise SignInFailed with a sentence that says what to do. Imports no model.
"""

import time
from typing import Any
from urllib.parse import urlsplit

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver

from bots.platforms.base import LoginRequired
from bots.platforms.ui import FIND_JS, platform_ui

PAGE_TEXT_JS = "return document.body ? document.body.innerText : '';"
COOKIE_FIELDS = ("name", "value", "path", "domain", "secure", "httpOnly", "expiry", "sameSite")
PROVIDER_NAME = {"google": "Google", "microsoft": "Microsoft"}


class SignInFailed(LoginRequired):
    """The account could not sign in; the message says why and what to do."""


class SignIn:
    def __init__(self, driver: WebDriver, *, provider: str, language: str = "en") -> None:
        self.driver = driver
        self.provider = provider
        self.ui = platform_ui(f"{provider}_signin", language)

    def _find(self, name: str) -> Any:
        return self.driver.execute_script(FIND_JS, list(self.ui.elements[name].specs))

    def _says(self, page: str, key: str) -> str:
        return next((text for text in self.ui.texts(key) if text in page), "")

    def restore(self, url: str, cookies: list[dict]) -> int:
        """Put a kept session's cookies back in the browser (on the sign-in page's host); how many took."""
        if not cookies:
            return 0
        self.driver.get(url)
        host = urlsplit(self.driver.current_url).hostname or ""
        restored = 0
        for cookie in cookies:
            if host and not host.endswith(cookie.get("domain", host).lstrip(".")):
                continue
            try:
                self.driver.add_cookie({k: v for k, v in cookie.items() if k in COOKIE_FIELDS})
                restored += 1
            except WebDriverException:
                continue  # an expired or foreign cookie: the password sign-in below covers it
        return restored

    def sign_in(self, *, url: str, email: str, password: str, timeout: float = 30.0) -> bool:
        """Sign in at `url` as `email`. Returns whether a password was typed (False: the kept session
        was enough). Raises SignInFailed."""
        who = f"The bot's {PROVIDER_NAME[self.provider]} account {email}"
        self.driver.get(url)
        typed_email = typed_password = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            page = self.driver.execute_script(PAGE_TEXT_JS) or ""
            step = self._says(page, "second_step")
            if step:
                raise SignInFailed(
                    f'{who} asks for a second sign-in step ("{step}") that a bot cannot pass: turn it off for '
                    "this account, or store an account without it (POST /api/v1/bot_accounts)."
                )
            if typed_password and self._says(page, "wrong_password"):
                raise SignInFailed(
                    f"{who} was refused its password: store it again with the right one "
                    "(DELETE /api/v1/bot_accounts/{id}, then POST)."
                )
            if typed_email and self._says(page, "no_account"):
                raise SignInFailed(f"{who} does not exist for {PROVIDER_NAME[self.provider]}: check the email.")
            if self._says(page, "stay_signed_in") and self._find("stay_signed_in_yes") is not None:
                self._find("stay_signed_in_yes").click()
            elif not typed_password and (field := self._find("password_field")) is not None:
                field.send_keys(password)
                self._click_next("password_next")
                typed_password = True
            elif not typed_email and (field := self._find("email_field")) is not None:
                field.send_keys(email)
                self._click_next("email_next")
                typed_email = True
            elif self._find("email_field") is None and self._find("password_field") is None:
                return typed_password  # past the sign-in pages
            time.sleep(0.25)
        raise SignInFailed(f"{who} could not finish signing in within {timeout:g} s; the page is attached.")

    def _click_next(self, name: str) -> None:
        button = self._find(name)
        if button is None:
            spec = self.ui.elements[name]
            raise SignInFailed(f"{spec.step}: {spec.label} not found")
        try:
            button.click()
        except WebDriverException:
            self.driver.execute_script("arguments[0].click();", button)
