"""Launch the Debian Chromium for browser tests, with the flags measured in DESIGN.md.

The production launcher (bots/browser.py) replaces this once it is in main; until then the simulator
tests start their browser here, with the same flags a bot uses.
"""

from django.conf import settings
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--window-size=1280,720",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def launch_chromium(*, extra_args: tuple[str, ...] = ()) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = settings.CHROMIUM_BINARY
    for flag in FLAGS + list(extra_args):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(settings.CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver
