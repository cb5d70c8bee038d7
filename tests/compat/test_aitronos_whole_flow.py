"""An integrator of Aitronos Meeting Buddy changes only the base URL and the token: its session joins a
simulated Google Meet meeting where three people each say one line, its status streams as SSE, its
transcripts fill, and it stops. Plain HTTP as seed 002's docs show; Daphne, Celery, Chromium and
Whisper as in production."""

import json
import threading

import pytest
import requests

from tests.compat.stack import lines_covered, whole_stack
from tests.conftest import make_client
from tests.sim_helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow]


class SseReader:
    """Reads a text/event-stream to its end, as an EventSource does: (event, data) per message."""

    def __init__(self, url: str, headers: dict):
        self.response = requests.get(url, headers=headers, stream=True, timeout=(10, 60))
        self.messages: list[tuple[str, dict]] = []
        self.comments = 0
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        event, data = "message", []
        for line in self.response.iter_lines(decode_unicode=True):
            if line == "":
                if data:
                    self.messages.append((event, json.loads("\n".join(data))))
                event, data = "message", []
            elif line.startswith(":"):
                self.comments += 1
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())

    def statuses(self) -> list[str]:
        return [data["status"] for event, data in self.messages if event == "status" and "event" not in data]


def test_an_aitronos_client_runs_a_whole_session(transactional_db, media, tmp_path):
    issued = make_client("Dialect integrators").issued
    with whole_stack(tmp_path) as (base, meeting_link, _):
        api = f"{base}/compat/aitronos/v1/meeting-buddy"
        headers = {"Authorization": f"Bearer {issued.key}"}

        def get(path: str):
            answer = requests.get(f"{api}{path}", headers=headers, timeout=10)
            assert answer.status_code == 200, answer.text
            return answer.json()

        created = requests.post(f"{api}/sessions", json={"meeting_link": meeting_link}, headers=headers, timeout=10)
        assert created.status_code == 201
        session = created.json()
        session_id = session["session_id"]
        assert session_id.startswith("mbsess_") and session["status"] == "initializing"
        assert (session["platform"], session["bot_name"], session["transcription_language"]) == (
            "google_meet",
            "Meeting Buddy",
            "en",
        )

        stream = SseReader(f"{api}/sessions/{session_id}/stream", headers)
        assert stream.response.status_code == 200
        assert stream.response.headers["Content-Type"].startswith("text/event-stream")

        assert wait_for(lambda: get(f"/sessions/{session_id}")["status"] in ("active", "recording"), timeout=120)
        [active] = [a for a in get("/analytics/active") if a["session_id"] == session_id]
        assert active["platform"] == "meet" and active["status"] in ("active", "recording")
        assert set(active) == {
            "session_id", "meeting_link", "platform", "status", "bot_name", "join_timestamp",
            "current_participants", "duration_so_far_seconds",
        }  # fmt: skip

        def heard_enough() -> bool:  # two of the three lines, by two people, before the session is stopped
            texts = get(f"/sessions/{session_id}/transcripts")
            return lines_covered([t["text"] for t in texts]) >= 2 and len({t["speaker"] for t in texts}) >= 2

        assert wait_for(heard_enough, timeout=90)
        live = get(f"/sessions/{session_id}/transcripts")
        keys = {
            "transcript_id",
            "text",
            "confidence",
            "start_time",
            "end_time",
            "speaker",
            "language_code",
            "created_at",
        }
        assert all(set(t) == keys and t["transcript_id"].startswith("mbtrans_") for t in live)
        during = get(f"/sessions/{session_id}")
        names = {p["name"] for p in during["current_participants"].values()}
        assert len(names & {"Alice Smith", "Bob Jones", "Carol White"}) >= 2
        assert len({h["participant_name"] for h in during["participant_history"]}) >= 2

        stopped = requests.delete(f"{api}/sessions/{session_id}", headers=headers, timeout=10)
        assert stopped.status_code == 200 and stopped.json()["status"] in ("leaving", "completed")
        assert wait_for(lambda: get(f"/sessions/{session_id}")["status"] == "completed", timeout=120)
        again = requests.post(f"{api}/sessions/{session_id}/stop", headers=headers, timeout=10)
        assert again.status_code == 200 and again.json()["status"] == "completed"

        final = again.json()
        assert final["join_timestamp"] and final["leave_timestamp"] and final["total_duration_seconds"] > 0
        assert final["audio_file_count"] >= 1 and final["total_size_bytes"] > 0
        transcripts = get(f"/sessions/{session_id}/transcripts")
        assert [t["start_time"] for t in transcripts] == sorted(t["start_time"] for t in transcripts)
        assert lines_covered([t["text"] for t in transcripts]) >= 2
        assert len({t["speaker"] for t in transcripts}) >= 2
        assert session_id not in [a["session_id"] for a in get("/analytics/active")]

        stream.thread.join(30)
    assert not stream.thread.is_alive(), "the stream ends once the session has"
    statuses = stream.statuses()
    assert statuses[0] == "initializing" or statuses[0] == "joining"
    assert "active" in statuses and statuses[-1] == "completed"
    assert statuses.index("active") < statuses.index("completed")
    participants = [d for e, d in stream.messages if e == "status" and d.get("event") == "joined"]
    assert len({d["participant_name"] for d in participants}) >= 2
    assert stream.messages[-1] == ("close", {"reason": "session_ended"})
    assert all(d["session_id"] == session_id for e, d in stream.messages if e == "status")
