"""Run by GL Meemo's own SDK's Python (`meemo` 0.0.10, tests/compat/vendor_venv.py), not by pytest: an
integrator's script, unchanged but for the base URL and the credentials. One long-lived MeemoClient
(its token cached as an app's is) registers a webhook, sends a bot into a meeting and follows it (the
meeting's host ends the call, through the simulator, as a person would; Meemo has no "stop bot"),
lists with filters, reads the meeting, its transcript, summary and recording, imports a file with a
speaker count, reads the delivery log, deletes the webhook; it receives the webhooks and checks each
signature the Standard Webhooks way with the webhook's `secret_key` (Meemo's SDK has no verifier),
and prints what it saw as JSON for the test to judge.

argv: base URL (…/compat/meemo), client_id (the key's prefix), client_secret (the key), meeting link,
the URL of an audio file to import."""

import base64
import hashlib
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from meemo import MeemoAuthError, MeemoClient, MeemoNotFoundError, MeemoValidationError

base_url, client_id, client_secret, meeting_link, audio_url = sys.argv[1:6]
received: list[dict] = []
secrets: list[str] = []


def verified(headers, raw: bytes) -> bool:
    """Standard Webhooks: HMAC-SHA256 of `id.timestamp.body` keyed by the base64 after `whsec_`."""
    signed = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + raw
    key = base64.b64decode(secrets[0].removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [part.partition(",")[2] for part in (headers.get("webhook-signature") or "").split()]
    return any(hmac.compare_digest(expected, value) for value in offered)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        received.append({"verified": verified(self.headers, raw), "body": json.loads(raw)})
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


def dump(model) -> dict | None:
    return model.model_dump(mode="json") if model is not None else None


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = MeemoClient(client_id=client_id, client_secret=client_secret, base_url=base_url + "/api/")
seen: dict = {}

organizations = client.webhooks.list_available_organizations()
seen["organizations"] = [dump(o) for o in organizations]
organization_id = organizations[0].id
events = ["meeting.created", "meeting.transcription_completed", "meeting.summarization_completed"]
hooks = client.webhooks.create_webhook(
    f"http://127.0.0.1:{server.server_port}/meemo", events, [organization_id], description="flow"
)
seen["webhooks"] = [dump(h) for h in hooks]
secrets.append(hooks[0].secret_key)
seen["webhook_read"] = dump(client.webhooks.get_webhook(hooks[0].id))
seen["webhooks_listed"] = [h.id for h in client.webhooks.list_webhooks().results]

try:
    client.meetings.create_meeting(organization_id=organization_id, title="x", bot_meeting_url="https://nowhere")
except MeemoValidationError as exc:
    seen["refused_create"] = str(exc)

created = client.meetings.create_meeting(
    organization_id=organization_id, title="Budget sync", bot_meeting_url=meeting_link, speaker_count=3
)
seen["created"] = dump(created)
meeting_id = created.id
# The file is transcribed while the bot is in its call.
imported = client.meetings.create_meeting(
    organization_id=organization_id, title="Imported call", file_url=audio_url, speaker_count=2
)
seen["imported"] = dump(imported)


def recording():
    meeting = client.meetings.get_meeting(meeting_id)
    return meeting.status == "recording" and meeting.recording.status == "in_progress" and dump(meeting)


seen["recording"] = until(recording, 120)
joined_at = time.monotonic()
seen["listed_recording"] = [m.id for m in client.meetings.list_meetings(status="recording").results]
seen["participants"] = dump(
    until(lambda: (p := client.meetings.get_participants(meeting_id)).total_participants >= 2 and p, 120)
)
seen["listed"] = [m.id for m in client.meetings.list_meetings(organization_id=organization_id, title="budget").results]
seen["listed_other_title"] = client.meetings.list_meetings(title="no such title").count


# The three lines are said in the first 12 seconds; then the host ends the call for everyone (the
# simulator's host control), and the meeting ends by itself as far as Meemo's client can tell.
time.sleep(max(0.0, 20 - (time.monotonic() - joined_at)))
httpx.post(meeting_link.replace("/simulator/google_meet/", "/simulator/api/meetings/") + "/end",
           headers={"Authorization": f"Token {client_secret}"}, timeout=30).raise_for_status()  # fmt: skip


def finished():
    meeting = client.meetings.get_meeting(meeting_id)
    return meeting.status == "past" and meeting.transcription.status == "completed" and dump(meeting)


def import_over():
    meeting = client.meetings.get_meeting(imported.id)
    return meeting.transcription.status in ("completed", "failed") and dump(meeting)


seen["imported_done"] = until(import_over, 240, 2)
seen["imported_transcript"] = dump(client.meetings.get_transcript(imported.id))
seen["finished"] = until(finished, 300, 2)
seen["listed_past"] = [m.id for m in client.meetings.list_meetings(status="past", summary_complete=True).results]
seen["transcript"] = dump(client.meetings.get_transcript(meeting_id))
seen["recording_media"] = dump(client.meetings.get_recording(meeting_id))
seen["summary"] = dump(client.meetings.get_summary(meeting_id))

seen["usage"] = [dump(row) for row in client.usage.get_usage(organization_id=organization_id).results]

until(lambda: {"meeting.created", "meeting.transcription_completed"} <= {r["body"]["event"] for r in received}, 60)
time.sleep(2)  # the summary's and the import's events, which follow closely
seen["received"] = received
seen["delivery_log"] = [dump(e) for e in client.webhooks.list_webhook_events(webhook_id=hooks[0].id).results]

try:
    client.meetings.get_meeting(meeting_id + 1)
except MeemoNotFoundError:
    seen["unknown_meeting"] = "not found"
client.webhooks.delete_webhook(hooks[0].id)
try:
    client.webhooks.get_webhook(hooks[0].id)
except MeemoNotFoundError:
    seen["deleted_webhook"] = "not found"
try:
    MeemoClient(client_id=client_id, client_secret="ntl_wrong", base_url=base_url).meetings.list_topics()
except MeemoAuthError:
    seen["wrong_secret"] = "refused"
print(json.dumps(seen))
