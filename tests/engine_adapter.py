"""A platform adapter for tests/pages/meeting.html: lets engine tests drive a whole session in a real
Chromium without any platform page."""

from selenium.webdriver.common.by import By

from bots.platforms.base import CallState, RosterEntry, Snapshot

STATES = {s.value: s for s in CallState}


class Adapter:
    platform = "google_meet"

    def __init__(self, driver, *, bot_name, camera_on=False):
        self.driver = driver
        self.bot_name = bot_name
        self.camera_on = camera_on

    def open(self, url):
        self.driver.get(url)

    def join(self):
        self.driver.find_element(By.ID, "name").send_keys(self.bot_name)
        self.driver.find_element(By.ID, "join").click()

    def snapshot(self):
        m = self.driver.execute_script("return window.meeting")
        if m["state"] == "crash":
            raise RuntimeError("the page broke")
        roster = [RosterEntry(id=name, name=name, is_speaking=talking) for name, talking in m["roster"].items()]
        return Snapshot(state=STATES.get(m["state"], CallState.JOINING), roster=roster, message=m["message"])

    def snapshot_with(self, expression):
        return self.snapshot(), self.driver.execute_script(f"return {expression};")

    def enable_captions(self):
        pass

    def send_chat(self, text):
        self.driver.execute_script("window.sendChat(arguments[0])", text)

    def leave(self):
        self.driver.find_element(By.ID, "leave").click()
