"""Meeting BaaS's prefix is a setting (NOTULA_COMPAT_PREFIX_MEETINGBAAS), and over real HTTP (Daphne)
its paths answer JSON exactly where `@meeting-baas/sdk` sends them: the SDK's slashes and no others,
never a redirect."""

import requests

from tests.conftest import make_client
from tests.live_server import daphne


def test_the_prefix_is_a_setting_and_nothing_redirects(transactional_db, tmp_path):
    headers = {"x-meeting-baas-api-key": make_client("Prefixes").issued.key}
    with daphne(tmp_path, NOTULA_COMPAT_PREFIX_MEETINGBAAS="/mbaas/") as base:
        listed = requests.get(f"{base}/mbaas/bots/bots_with_metadata", headers=headers, timeout=10)
        assert listed.status_code == 200 and listed.json()["bots"] == []
        assert requests.get(f"{base}/mbaas/calendars/", headers=headers, timeout=10).json() == []
        moved = requests.get(f"{base}/compat/meetingbaas/bots/bots_with_metadata", headers=headers, timeout=10)
        assert moved.status_code == 404
        for method, path in (
            ("POST", "/mbaas/bots"),
            ("GET", "/mbaas/bots/meeting_data/"),
            ("GET", "/mbaas/bots/bots_with_metadata/"),
            ("GET", "/mbaas/calendars"),
            ("GET", "/mbaas/calendar_events"),
            ("GET", "/mbaas/zoom_oauth_connections"),
        ):
            answer = requests.request(method, base + path, headers=headers, json={}, allow_redirects=False, timeout=10)
            assert answer.status_code == 404 and answer.headers["Content-Type"] == "application/json", path
            assert isinstance(answer.json()["error"], str)
