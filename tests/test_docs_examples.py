"""Every curl example of README.md and docs/*.md, pasted as written (with a key and a server), gives
the documented answer; and a typo in any field name, or in a value that has a fixed set of choices, is
a 400 that names the field."""

import json
import re
import shlex
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_client
from tests.images import still_image

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Values with a fixed set of choices: a typo in one must be refused, not stored.
CHOICE_KEYS = {"platform", "format", "policy", "access", "mode", "audio_format", "backend", "language", "status"}
# Where a key is the client's own (free-form), a misspelt key is just another key.
FREE_FORM = {"metadata", "extra"}  # extra: Meeting BaaS's name for it
# Host controls of the simulator answer 409 when the meeting's state does not allow them (docs/simulator.md),
# and so do a bot's actions in the call before its bot is in the call (docs/bots.md).
STATE_DEPENDENT = re.compile(
    r"/simulator/api/meetings/[^/]+/(admit|deny|remove_bot)$|/api/v1/bots/[^/]+/(chat|camera|screenshot|resume_recording)$"
)


def _blocks(path: Path) -> list[str]:
    """The fenced code blocks of a Markdown file (any language: a curl line is a curl line)."""
    blocks, current = [], None
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def _curl_commands(block: str) -> list[str]:
    joined = re.sub(r"\\\n\s*", " ", block)
    commands = []
    lines = joined.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        # A -d '...' body may run over several lines.
        while line.startswith("curl") and line.count("'") % 2 == 1 and i + 1 < len(lines):
            i += 1
            line += "\n" + lines[i]
        if line.startswith("curl"):
            commands.append(line.split("  #")[0])
        i += 1
    return commands


EXAMPLES = [
    pytest.param(block, id=f"{path.name}:{n}")
    for path in DOCS
    for n, block in enumerate(_blocks(path))
    if _curl_commands(block)
]


class Run:
    """Runs a block's curl lines in order against the test client, filling the placeholders from the
    answers before (the bot just created, the simulated meeting, its url)."""

    def __init__(self, client, media, tmp_path, zoom=None):
        self.client, self.media, self.tmp_path, self.zoom = client, media, tmp_path, zoom
        self.last: dict = {}

    def substitute(self, text: str) -> str:
        text = text.replace("$NOTULA_KEY", self.client.issued.key).replace("$KEY", self.client.issued.key)
        text = re.sub(r"\$NOTULA\b|https?://(127\.0\.0\.1:8000|notula\.example\.com)", "http://testserver", text)
        if "<bot_id>" in text and "bot_id" not in self.last:
            self.last["bot_id"] = self._bot_in_call()
        placeholders = (
            ("<bot_id>", "bot_id"),
            ("sim_...", "sim_id"),
            ("<the url above>", "sim_url"),
            # The vendor dialects' ids (docs/compat.md).
            ("<meetingId>", "meetingId"),
            ("<session_id>", "session_id"),
            ("<uuid>", "uuid"),
        )
        for placeholder, key in placeholders:
            if placeholder in text:
                text = text.replace(placeholder, self.last[key])
        if '"authorization_code": "..."' in text and self.zoom is not None:
            # What Zoom's consent screen would have given the integrator's app (tests/zoom_server.py).
            code = self.zoom.authorize("KdYKjnimT4KPd8FFgQt9FQ", "https://app.example/zoom/callback")
            text = text.replace('"authorization_code": "..."', f'"authorization_code": "{code}"')
        if "zoc_..." in text and "zoc_id" in self.last:
            text = text.replace("zoc_...", self.last["zoc_id"])
        if "mtg_6Qm0…" in text:
            text = text.replace("mtg_6Qm0…", self._recording_meeting())
        return text

    def _bot_in_call(self) -> str:
        """For the examples that speak to a bot in a call, one that no earlier line of the block created."""
        from tests.factories import BotFactory

        bot = BotFactory(meeting__organization=self.client.organization, status="in_call", recording_state="recording")
        return bot.id

    def _recording_meeting(self) -> str:
        from tests.factories import BotFactory

        bot = BotFactory(meeting__organization=self.client.organization, status="ended")
        folder = self.media / "recordings" / bot.meeting_id
        folder.mkdir(parents=True)
        (folder / "audio.mp3").write_bytes(b"ID3")
        return bot.meeting_id

    def parse(self, command: str) -> dict:
        words = shlex.split(self.substitute(command))[1:]
        request = {"method": None, "url": None, "headers": {}, "data": None, "form": {}}
        i = 0
        while i < len(words):
            word = words[i]
            if word in ("-X", "-H", "-d", "-F", "-o"):
                value = words[i + 1]
                i += 2
                if word == "-X":
                    request["method"] = value
                elif word == "-H":
                    name, _, header = value.partition(":")
                    request["headers"][name.strip()] = header.strip()
                elif word == "-d":
                    request["data"] = value
                elif word == "-F":
                    name, _, field = value.partition("=")
                    request["form"][name] = field
                continue
            if word.startswith("http"):
                request["url"] = word
            i += 1
        request["method"] = request["method"] or ("POST" if request["data"] or request["form"] else "GET")
        return request

    def send(self, request: dict, *, data=None, url=None):
        url = urlsplit(url or request["url"])
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in request["headers"].items()}
        headers.pop("HTTP_AUTHORIZATION", None)  # the client sends the same key
        headers.pop("HTTP_CONTENT_TYPE", None)
        if data is not None or url is not None:
            headers.pop("HTTP_IDEMPOTENCY_KEY", None)  # a changed request under the same key is a 422 by design
        if request["form"]:
            form = {}
            for name, value in request["form"].items():
                form[name] = self._upload(value[1:]) if value.startswith("@") else value
            return self.client.generic_multipart(path, form, headers)
        body = data if data is not None else request["data"]
        if body is None:
            return self.client.generic(request["method"], path, **headers)
        return self.client.generic(request["method"], path, body, content_type="application/json", **headers)

    def _upload(self, name: str) -> SimpleUploadedFile:
        target = self.tmp_path / name
        if target.suffix in (".png", ".jpg"):  # a picture (the bot's camera), else a recording
            return SimpleUploadedFile(name, still_image(target).read_bytes(), content_type="image/png")
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=1", "-y", str(target)], check=True)
        return SimpleUploadedFile(name, target.read_bytes(), content_type="audio/mpeg")

    def remember(self, response) -> None:
        if "json" not in response.get("Content-Type", "") or not isinstance(response.json(), dict):
            return
        body = response.json()
        if str(body.get("id", "")).startswith("bot_"):
            self.last["bot_id"] = body["id"]
        if str(body.get("id", "")).startswith("zoc_"):
            self.last["zoc_id"] = body["id"]
        if str(body.get("id", "")).startswith("sim_"):
            self.last["sim_id"], self.last["sim_url"] = body["id"], body["url"]
        if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f-]{27}", str(body.get("bot_id", ""))):
            self.last["uuid"] = body["bot_id"]  # Meeting BaaS names bots by UUID
        for vendor_id in ("meetingId", "session_id"):
            if body.get(vendor_id):
                self.last[vendor_id] = body[vendor_id]


class DocsClient:
    def __init__(self, client):
        self.client = client
        self.issued, self.organization = client.issued, client.organization

    def generic(self, method, path, body="", content_type="application/octet-stream", **headers):
        return self.client.generic(method, path, body, content_type=content_type, **headers)

    def generic_multipart(self, path, form, headers):
        return self.client.post(path, form, format="multipart", **headers)


def _typos(body, path=()):
    """(mutated body, the field the error must name) for each key, and each value with fixed choices."""
    if isinstance(body, dict):
        for key, value in body.items():
            if path and path[0] in FREE_FORM:
                continue
            typo = {**{k: v for k, v in body.items() if k != key}, key + "x": value}
            yield typo, key + "x"
            if key in CHOICE_KEYS and isinstance(value, str):
                yield {**body, key: value + "x"}, key
            for inner, field in _typos(value, (*path, key)):
                yield {**body, key: inner}, field
    elif isinstance(body, list):
        for i, item in enumerate(body):
            for inner, field in _typos(item, path):
                yield [*body[:i], inner, *body[i + 1 :]], field


def _names(fields, wanted: str) -> bool:
    return wanted in json.dumps(fields)


def _error_fields(body: dict):
    """Where an error names the fields: Notula's `error.fields`, or a vendor dialect's own (docs/compat.md):
    Sasha's message (`{"error": "..."}`), Aitronos' `error.details`, MeetStream's `fields`."""
    if "detail" in body:
        return body.get("fields") or body["detail"]
    error = body["error"]
    if isinstance(error, str):
        return error
    return error["fields"] if "fields" in error else error["details"]


def _check_typos(run: Run, request: dict, body: dict) -> int:
    checked = 0
    for typo, field in _typos(body):
        refused = run.send(request, data=json.dumps(typo))
        assert refused.status_code == 400, (request["url"], field, refused.content[:300])
        assert _names(_error_fields(refused.json()), field), (field, refused.json())
        checked += 1
    return checked


# Request bodies shown without a curl line: `METHOD /path` on the line before, or a bot's settings.
BODY_EXAMPLES = [
    pytest.param(path, method, url, body, id=f"{path.name}:{url}")
    for path in DOCS
    for block in _blocks(path)
    for method, url, body in re.findall(r"^(POST|PATCH) (/api/v1/\S+)\n(\{.*\})$", block, re.M)
    + [("POST", "/api/v1/bots", b) for b in re.findall(r"^(\{\"meeting_url\".*\})$", block, re.M)]
]


@pytest.mark.parametrize("path,method,url,body", BODY_EXAMPLES)
def test_request_bodies_in_the_docs_are_accepted_and_typos_refused(path, method, url, body, db, settings, tmp_path):
    from meetings.models import Recording
    from tests.factories import MeetingFactory

    client = DocsClient(make_client("Docs"))
    run = Run(client, tmp_path, tmp_path)
    meeting = MeetingFactory(organization=client.organization)
    Recording.objects.create(meeting=meeting, kind="audio", format="flac", file="recordings/x.flac")
    request = {"method": method, "url": "http://testserver" + url.replace("{id}", meeting.id), "headers": {}}
    request.update(data=body, form={})
    response = run.send(request)
    assert response.status_code < 300, (url, body, response.content[:300])
    assert _check_typos(run, request, json.loads(body)) > 0


@pytest.fixture
def zoom(settings):
    """Zoom's OAuth and API, spoken by a local server, for the examples that connect a Zoom user."""
    from tests.zoom_server import ZoomServer

    server = ZoomServer().start()
    server.add_user("KdYKjnimT4KPd8FFgQt9FQ", "alice@acme.com")
    settings.ZOOM_OAUTH_URL = settings.ZOOM_API_URL = server.url
    settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET = server.client_id, server.client_secret
    yield server
    server.stop()


@pytest.mark.parametrize("block", EXAMPLES)
def test_doc_examples_give_their_answer_and_typos_are_refused(block, db, settings, tmp_path, zoom):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = DocsClient(make_client("Docs"))
    run = Run(client, settings.MEDIA_ROOT, tmp_path, zoom)
    for command in _curl_commands(block):
        request = run.parse(command)
        response = run.send(request)
        allowed = {409} if STATE_DEPENDENT.search(urlsplit(request["url"]).path) else set()
        assert response.status_code < 300 or response.status_code in allowed, (command, response.content[:500])
        run.remember(response)

        if request["data"]:
            assert _check_typos(run, request, json.loads(request["data"])) > 0
        query = urlsplit(request["url"]).query
        for name, value in parse_qsl(query):
            if name.startswith("metadata."):
                continue
            for typo_name, typo_value, field in ((name + "x", value, name + "x"), (name, value + "x", name)):
                if typo_value != value and name not in CHOICE_KEYS:
                    continue
                url = request["url"].replace(f"{name}={value}", f"{typo_name}={typo_value}")
                refused = run.send(request, url=url)
                assert refused.status_code == 400, (url, refused.content[:300])
                assert _names(_error_fields(refused.json()), field), (field, refused.json())
