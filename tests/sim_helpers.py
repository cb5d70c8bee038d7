"""Helpers shared by the simulator's browser tests."""

import time

from accounts.services import organization_get_or_create
from simulator import services
from simulator.models import SimMeeting


def sim_meeting_factory(live_server):
    """make(platform, scenario) -> (meeting, its link on the live server)."""
    organization = organization_get_or_create(name="Simulator tests")

    def make(platform: str, scenario: dict) -> tuple[SimMeeting, str]:
        meeting = services.sim_meeting_create(organization=organization, platform=platform, scenario=scenario)
        return meeting, f"{live_server.url}/simulator/{platform}/{meeting.pk}"

    return make


def wait_for(check, timeout: float = 10.0, step: float = 0.15):
    """The first truthy value of check() within timeout, else its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def fresh(meeting: SimMeeting) -> SimMeeting:
    return SimMeeting.objects.get(pk=meeting.pk)
