"""An integrator of the Sasha Meeting Room API changes only the base URL and the key: its bot joins a
simulated Google Meet meeting where three people each say one line, streams its transcript by
callbacks, and leaves. Plain HTTP as seed 000 and the reference client send it; Daphne, Celery,
Chromium and Whisper as in production."""

import pytest
import requests

from tests.compat.sasha_receiver import SashaReceiver
from tests.compat.stack import lines_covered, whole_stack
from tests.conftest import make_client
from tests.sim_helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow]


def test_a_sasha_client_runs_a_whole_meeting(transactional_db, media, tmp_path):
    issued = make_client("Dialect integrators").issued
    receiver = SashaReceiver(issued.signing_secret)
    with whole_stack(tmp_path) as (base, meeting_link, _):
        sasha_url = f"{base}/compat/sasha"
        headers = {"X-API-Key": issued.key}

        def get(path: str) -> requests.Response:
            return requests.get(f"{sasha_url}{path}", headers=headers, timeout=10)

        body = {"url": meeting_link, "title": "Budget", "callbackUrl": receiver.url}
        started = requests.post(f"{sasha_url}/api/v1/meetings/start", json=body, headers=headers, timeout=10)
        assert started.status_code == 201 and started.headers["Content-Type"] == "application/json"
        meeting_id = started.json()["meetingId"]
        assert (started.json()["status"], started.json()["platform"]) == ("joining", "google_meet")

        def live_row():
            rows = get("/api/v1/meetings/status").json()["meetings"]
            return next((r for r in rows if r["meetingId"] == meeting_id and r["status"] == "live"), None)

        row = wait_for(live_row, timeout=120)
        assert row, "the meeting never went live"
        assert row["platform"] == "google_meet" and row["title"] == "Budget" and row["startedAt"].endswith("Z")
        assert isinstance(row["participantCount"], int) and isinstance(row["segmentCount"], int)

        def heard_enough() -> bool:  # two of the three lines, by two people, before the meeting is stopped
            finals = [c["body"]["payload"] for c in receiver.of_type("segment_finalized")]
            return lines_covered([p["text"] for p in finals]) >= 2 and len({p["speaker"] for p in finals}) >= 2

        assert wait_for(heard_enough, timeout=90)
        live = get(f"/api/v1/meetings/{meeting_id}/transcript").json()
        assert live["status"] == "live" and live["segments"]
        assert all(isinstance(s[k], str) for s in live["segments"] for k in ("speaker", "text", "timestamp"))

        stopped = requests.post(
            f"{sasha_url}/api/v1/meetings/stop", json={"meetingId": meeting_id}, headers=headers, timeout=10
        )
        assert stopped.status_code == 200 and stopped.json() == {"meetingId": meeting_id, "status": "stopping"}

        def said(status: str) -> bool:
            return any(c["body"]["payload"]["status"] == status for c in receiver.of_type("meeting_status"))

        assert wait_for(lambda: said("ended"), timeout=120), [c["body"] for c in receiver.callbacks]
        assert wait_for(lambda: receiver.of_type("document_saved"), timeout=30)
        assert meeting_id not in [r["meetingId"] for r in get("/api/v1/meetings/status").json()["meetings"]]

        final = get(f"/api/v1/meetings/{meeting_id}/transcript").json()
        assert lines_covered([s["text"] for s in final["segments"]]) >= 2, final
        assert len({s["speaker"] for s in final["segments"]}) >= 2
        document = get(f"/api/v1/meetings/{meeting_id}/document")
        assert document.status_code == 200 and document.headers["Content-Type"].startswith("text/markdown")
        assert "Budget" in document.text

    receiver.close()
    callbacks = receiver.callbacks
    assert callbacks and all(c["hmac"] for c in callbacks), "every callback verifies with the documented check"
    assert all(c["event"] == c["body"]["type"] and c["meeting_header"] == meeting_id for c in callbacks)
    assert all(c["body"]["meetingId"] == meeting_id for c in callbacks)
    assert len({c["delivery_id"] for c in callbacks}) == len(callbacks)
    sequences = [c["body"]["sequence"] for c in callbacks]
    assert all(isinstance(s, int) for s in sequences) and sequences == sorted(sequences)
    statuses = [c["body"]["payload"]["status"] for c in receiver.of_type("meeting_status")]
    assert "joining" in statuses and statuses.index("joining") < statuses.index("live") < statuses.index("ended")
    joined = {c["body"]["payload"]["name"] for c in receiver.of_type("participant_joined")}
    assert len(joined & {"Alice Smith", "Bob Jones", "Carol White"}) >= 2
    assert len(receiver.of_type("segment_finalized")) >= 2
    document = receiver.of_type("document_saved")[0]["body"]["payload"]
    assert document["documentPath"] == started.json()["documentPath"]
    assert document["segmentsWritten"] == document["totalSegments"] == len(final["segments"])
