"""An integrator's script written with Meeting BaaS's SDK (`@meeting-baas/sdk` 6.0.5 from npm, run with
node, unchanged) drives a bot through a simulated Google Meet meeting where three people each say one
line: join, the status webhooks, the list with filters, leave, the `complete` webhook, the meeting data
with its transcript, screenshots and the deletion of the data, every answer checked with the SDK's own
zod schemas. Daphne, Celery, Chromium and Whisper as in production."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.compat.npm_package import npm_prefix
from tests.compat.stack import lines_covered, whole_stack
from tests.conftest import make_client

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow]
FLOW = Path(__file__).with_name("meetingbaas_sdk_flow.mjs")


def test_the_meeting_baas_sdk_runs_a_whole_meeting(transactional_db, media, tmp_path):
    prefix = npm_prefix("@meeting-baas/sdk", "6.0.5")
    issued = make_client("Dialect integrators").issued
    with whole_stack(tmp_path) as (base, meeting_link, _):
        run = subprocess.run(
            [shutil.which("node") or "node", str(FLOW), str(prefix), f"{base}/compat/meetingbaas", issued.key]
            + [meeting_link],
            capture_output=True, text=True, timeout=560,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr[-4000:]
    seen = json.loads(run.stdout)

    assert seen["schemaErrors"] == {}, "every answer validates against the SDK's exported schema"
    uuid = seen["joined"]["bot_id"]
    assert seen["recording"], [w["body"] for w in seen["webhooks"]]
    assert uuid in [b["uuid"] for b in seen["listedByName"]["bots"]]
    assert seen["left"] == {"ok": True}
    assert seen["completed"], [w["body"]["event"] for w in seen["webhooks"]]

    hooks = seen["webhooks"]
    assert all(w["headers"]["x-meeting-baas-api-key"] == issued.key for w in hooks)
    assert all(w["headers"]["content-type"] == "application/json" for w in hooks)
    assert all(set(w["body"]) == {"event", "data"} for w in hooks)
    codes = [w["body"]["data"]["status"]["code"] for w in hooks if w["body"]["event"] == "bot.status_change"]
    assert codes.index("joining_call") < codes.index("in_call_recording") < codes.index("call_ended"), codes
    [complete] = [w["body"]["data"] for w in hooks if w["body"]["event"] == "complete"]
    assert complete["bot_id"] == uuid and complete["extra"] == {"deal": "42"}
    words = [" ".join(word["word"] for word in part["words"]) for part in complete["transcript"]]
    assert lines_covered(words) >= 2, complete["transcript"]
    assert len(set(complete["speakers"]) & {"Alice Smith", "Bob Jones", "Carol White"}) >= 2
    assert complete["audio"].startswith("http")
    events = [w["body"]["event"] for w in hooks]
    assert events.index("transcription_complete") < events.index("complete"), events

    data = seen["meetingData"]
    transcripts = data["bot_data"]["transcripts"]
    assert lines_covered([" ".join(w["text"] for w in t["words"]) for t in transcripts]) >= 2, transcripts
    assert len({t["speaker"] for t in transcripts}) >= 2
    assert data["audio"].startswith("http") and data["bot_data"]["bot"]["uuid"] == uuid
    assert data["bot_data"]["bot"]["extra"] == {"deal": "42"}
    [listed] = [b for b in seen["listedByUrl"]["bots"] if b["uuid"] == uuid]
    assert listed["ended_at"] and len(set(listed["speakers"]) & {"Alice Smith", "Bob Jones", "Carol White"}) >= 2
    assert isinstance(seen["screenshots"], list)
    assert seen["deleted"] == {"ok": True, "status": "deleted"}
    assert seen["unknownBot"] == {"success": False, "status": 404}
    assert seen["wrongKey"] == {"success": False, "status": 401}
