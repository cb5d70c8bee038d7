"""Each dialect's prefix is a setting, and over real HTTP (Daphne) its paths answer JSON exactly where
the vendor's clients send them: a slash added or a path unknown is a JSON 404, never a redirect."""

import requests

from tests.conftest import make_client
from tests.live_server import daphne


def test_prefixes_are_settings_and_nothing_redirects(transactional_db, tmp_path):
    key = make_client("Prefixes").issued.key
    sasha, aitronos = {"X-API-Key": key}, {"Authorization": f"Bearer {key}"}
    with daphne(tmp_path, NOTULA_COMPAT_PREFIX_SASHA="/meeting-room/", NOTULA_COMPAT_PREFIX_AITRONOS="/buddy") as base:
        listed = requests.get(f"{base}/meeting-room/api/v1/meetings/status", headers=sasha, timeout=10)
        assert listed.status_code == 200 and listed.json() == {"meetings": []}
        active = requests.get(f"{base}/buddy/v1/meeting-buddy/analytics/active", headers=aitronos, timeout=10)
        assert active.json() == []
        assert requests.get(f"{base}/compat/sasha/api/v1/meetings/status", headers=sasha, timeout=10).status_code == 404

        for method, url, headers in (
            ("POST", f"{base}/meeting-room/api/v1/meetings/start/", sasha),
            ("GET", f"{base}/meeting-room/api/v1/meetings/status/", sasha),
            ("POST", f"{base}/buddy/v1/meeting-buddy/sessions/", aitronos),
            ("GET", f"{base}/buddy/v1/meeting-buddy/nothing", aitronos),
        ):
            answer = requests.request(method, url, headers=headers, json={}, allow_redirects=False, timeout=10)
            assert answer.status_code == 404 and answer.headers["Content-Type"] == "application/json", url
            body = answer.json()
            assert isinstance(body["error"], str) if "meeting-room" in url else body["success"] is False
