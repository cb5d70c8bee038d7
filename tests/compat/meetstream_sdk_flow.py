"""Run by the official `meetstream-sdk` 1.0.0's own Python (tests/compat/vendor_venv.py), not by
pytest: an integrator's script, unchanged but for the base URL and the key. It drives one bot through
a meeting with the SDK's calls, receives the callbacks verifying each with the SDK's own
`verify_webhook_signature`, and prints what it saw as JSON for the test to judge.

argv: base URL (…/compat/meetstream/api/v1), API key, signing secret, meeting link, and the WebSocket
URLs the test listens on: live audio, live transcript, control channel."""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from meetstream import MeetStream
from meetstream._errors import ConflictError, NotFoundError, NotReadyError
from meetstream.webhooks import is_terminal, verify_webhook_signature

base_url, api_key, secret, meeting_link, audio_ws, transcript_ws, control_ws = sys.argv[1:8]
callbacks: list[dict] = []


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        callbacks.append(
            {
                "verified": verify_webhook_signature(raw, self.headers.get("X-MeetStream-Signature", ""), secret),
                "timestamp_header": self.headers.get("X-MeetStream-Timestamp"),
                "path": self.path,
                "body": json.loads(raw),
            }
        )
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def until(check, timeout: float, interval: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    return None


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = MeetStream(api_key, base_url=base_url)
seen: dict = {}

params = {
    "meeting_link": meeting_link,
    "bot_name": "Notetaker",
    "callback_url": f"http://127.0.0.1:{server.server_port}/meetstream",
    "custom_attributes": {"deal": "42"},
    "live_transcription_required": {
        "webhook_url": f"http://127.0.0.1:{server.server_port}/live",
        "websocket_url": transcript_ws,
    },
    "live_audio_required": {"websocket_url": audio_ws},
    "socket_connection_url": control_ws,
    "recording_config": {
        "transcript": {"provider": {"deepgram": {"model": "nova-3"}}},
        "realtime_endpoints": [
            {
                "type": "webhook",
                "url": f"http://127.0.0.1:{server.server_port}/people",
                "events": ["participant_events.join", "participant_events.leave"],
            }
        ],
    },
}
created = client.bots.create(params, idempotency_key="flow-1")
seen["created"] = created
seen["replayed"] = client.bots.create(params, idempotency_key="flow-1")
bot_id, transcript_id = created["bot_id"], created["transcript_id"]

seen["in_meeting"] = bool(until(lambda: client.bots.status(bot_id)["status"] == "InMeeting", 120))
joined_at = time.monotonic()
seen["detail"] = client.bots.detail(bot_id)
seen["listed"] = bot_id in [row["bot_id"] for row in client.bots.list()]
seen["participants"] = until(lambda: (p := client.bots.participants(bot_id)) and len(p) >= 2 and p, 60)

client.bots.send_message(bot_id, "Hello from the notetaker")
seen["chats"] = until(lambda: [c for c in client.bots.chats(bot_id) if c["message"] == "Hello from the notetaker"], 30)

# The three lines are said in the first 12 seconds: pause and resume after them.
time.sleep(max(0.0, 18 - (time.monotonic() - joined_at)))
seen["paused"] = client.bots.pause_recording(bot_id)


def resume():
    try:
        return client.bots.resume_recording(bot_id)
    except ConflictError:  # the bot has not paused yet
        return None


seen["resumed"] = until(resume, 20)
seen["timeline"] = client.bots.speaker_timeline(bot_id)

try:
    seen["transcript_while_in_meeting"] = client.transcripts.get(transcript_id)
except NotReadyError:
    seen["transcript_while_in_meeting"] = "not ready"
seen["removed"] = client.bots.remove(bot_id)
seen["stopped"] = bool(until(lambda: client.bots.status(bot_id)["status"] == "Stopped", 120))

not_ready = 0
transcript = None
deadline = time.monotonic() + 240
while transcript is None and time.monotonic() < deadline:
    try:
        transcript = client.transcripts.get(transcript_id)
    except NotReadyError:
        not_ready += 1
        time.sleep(2)
seen["not_ready_answers"] = not_ready
seen["transcript"] = transcript
seen["wait_for"] = client.transcripts.wait_for(transcript_id, timeout=10, interval=1) if transcript else None


def audio():
    try:
        return client.bots.audio(bot_id)
    except NotFoundError as error:  # the recording is stored after the call
        seen["audio_error"] = str(error)
        return None


seen["audio"] = until(audio, 30) or {}
seen["audio_streams"] = client.bots.audio_streams(bot_id)
seen["recording_streams"] = client.bots.recording_streams(bot_id)
seen["transcriptions"] = client.transcripts.list_for_bot(bot_id)
seen["all_chats"] = client.bots.chats(bot_id)
seen["detail_after"] = client.bots.detail(bot_id)

until(lambda: any(is_terminal(c["body"]) for c in callbacks), 30)
until(lambda: any(c["body"].get("event") == "transcription.processed" for c in callbacks), 30)
seen["callbacks"] = callbacks
server.shutdown()
print(json.dumps(seen))
