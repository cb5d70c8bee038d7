"""A local server speaking Google's OAuth 2 token endpoint and Calendar API v3 as documented
(developers.google.com/identity/protocols/oauth2/web-server, developers.google.com/calendar/api/v3),
for tests (NOTULA_GOOGLE_TOKEN_URL and NOTULA_GOOGLE_CALENDAR_API_URL point at it).

- `GET /o/oauth2/v2/auth`: the consent screen, accepted by `consenting`: a 302 back to redirect_uri.
- `POST /token`: `grant_type=authorization_code` (code, redirect_uri) or `refresh_token`, with client_id and
  client_secret in the form; `{access_token, expires_in, token_type, scope}` (+ `refresh_token` for a
  code), or 400 `{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}`.
- `GET /calendar/v3/users/me/calendarList`; `GET /calendar/v3/calendars/{id}/events` with `singleEvents`,
  `timeMin`/`timeMax`, `maxResults`/`pageToken`, or `syncToken` (changes since, cancelled included);
  `410` with reason `fullSyncRequired` for an expired sync token; `429` with `Retry-After` when throttled;
  `401` UNAUTHENTICATED for a bad access token.
- `POST /calendar/v3/calendars/{id}/events/watch` (a web_hook channel) and `POST /calendar/v3/channels/stop`;
  `notify()` sends what Google sends: a bodiless POST with the X-Goog-Channel-* and X-Goog-Resource-* headers.
- `/_control/...`: what happens at Google and what the server saw, for the tests (tests/control_api.py); run as
  its own process, `python -m tests.google_calendar_server --port N`.
Series are stored as Google returns them with singleEvents=true: instances `<series>_<UTC start>` with
`recurringEventId` and `originalStartTime`, expanded in the series' time zone.
"""

import http.server
import json
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import requests

from tests.control_api import answer_control, is_control, serve
from tests.google_events_list import API, EventPages


def _google_time(moment: datetime) -> dict:
    return {"dateTime": moment.isoformat(), "timeZone": str(moment.tzinfo)}


class GoogleCalendarServer(EventPages):
    control_operations = (
        "grant",
        "revoke",
        "add_event",
        "add_series",
        "move",
        "cancel",
        "event_ids",
        "expire_sync_tokens",
        "throttle",
        "deny_consent",
        "channel_ids",
        "copy_channel",
        "notify",
        "log",
    )

    def __init__(self, client_id: str = "google-client", client_secret: str = "google-secret", port: int = 0) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.codes: dict[str, tuple[str, str]] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.access_tokens: dict[str, tuple[str, float]] = {}
        self.events: dict[str, dict] = {}  # id -> item (with "_seq")
        self.seq = 0
        self.valid_sync_tokens: set[str] = set()
        self.throttled: list[float] = []  # Retry-After seconds of the next answers to throttle
        self.channels: dict[str, dict] = {}
        # Google may answer fewer items than maxResults asks for ("even if there are more"); a small
        # page here makes every read page.
        self.page_size = 2
        self.consenting: str | None = "ada@acme.example"  # who accepts the consent screen (None: denies)
        self.seen: list[str] = []  # "METHOD path" of every provider request, in order
        self.lock = threading.RLock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), self._handler())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    # --- what the tests read ----------------------------------------------------------------------------
    def log(self) -> list[str]:
        return self.seen

    def event_ids(self) -> list[str]:
        return list(self.events)

    def channel_ids(self) -> list[str]:
        return list(self.channels)

    # --- what the user does at Google ---------------------------------------------------------------
    def authorize(self, email: str, redirect_uri: str) -> str:
        code = "4/" + secrets.token_urlsafe(10)
        self.codes[code] = (email, redirect_uri)
        return code

    def grant(self, email: str) -> str:
        """A refresh token for `email`, as the integrator's own consent flow got it."""
        token = "1//" + secrets.token_urlsafe(16)
        self.refresh_tokens[token] = email
        return token

    def revoke(self) -> None:
        with self.lock:
            self.refresh_tokens.clear()
            self.access_tokens.clear()

    def _change(self, item: dict) -> None:
        self.seq += 1
        item["_seq"] = self.seq
        item["updated"] = datetime.now(UTC).isoformat()
        self.events[item["id"]] = item

    def add_event(self, event_id: str, start: datetime, minutes: int = 30, **fields) -> dict:
        item = {
            "kind": "calendar#event",
            "id": event_id,
            "status": "confirmed",
            "summary": fields.pop("summary", "Meeting"),
            "start": _google_time(start),
            "end": _google_time(start + timedelta(minutes=minutes)),
            "organizer": fields.pop("organizer", {"email": "ada@acme.example", "self": True}),
            "attendees": fields.pop(
                "attendees", [{"email": "ada@acme.example", "self": True, "responseStatus": "accepted"}]
            ),
            **fields,
        }
        with self.lock:
            self._change(item)
        return item

    def add_series(self, series_id: str, first: datetime, weeks: int, **fields) -> list[dict]:
        """A weekly series as its instances: the same wall-clock time in its zone every week."""
        items = []
        for n in range(weeks):
            start = first + timedelta(weeks=n)  # aware arithmetic on a ZoneInfo time keeps the wall clock
            instance_id = f"{series_id}_{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"
            items.append(
                self.add_event(
                    instance_id,
                    start,
                    recurringEventId=series_id,
                    originalStartTime=_google_time(start),
                    **dict(fields),
                )
            )
        return items

    def move(self, event_id: str, start: datetime, minutes: int = 30) -> None:
        with self.lock:
            item = dict(self.events[event_id])
            item["start"], item["end"] = _google_time(start), _google_time(start + timedelta(minutes=minutes))
            self._change(item)

    def cancel(self, event_id: str) -> None:
        with self.lock:
            item = dict(self.events[event_id])
            item["status"] = "cancelled"
            self._change(item)

    def expire_sync_tokens(self) -> None:
        self.valid_sync_tokens.clear()

    def throttle(self, retry_after_s: float) -> None:
        """The next events read is answered 429 with this Retry-After."""
        self.throttled.append(retry_after_s)

    def deny_consent(self) -> None:
        self.consenting = None

    def copy_channel(self, channel_id: str, new_id: str, token: str) -> None:
        """A channel Notula did not open (another app's, or one it forgot), pushing to the same address."""
        self.channels[new_id] = {**self.channels[channel_id], "id": new_id, "token": token}

    def notify(self, state: str = "exists") -> list[int]:
        """Google's push: one POST per open channel, no body, the channel in the headers."""
        answers = []
        for channel in list(self.channels.values()):
            channel["number"] += 1
            headers = {
                "X-Goog-Channel-ID": channel["id"],
                "X-Goog-Channel-Expiration": time.strftime(
                    "%a, %d %b %Y %H:%M:%S GMT", time.gmtime(channel["expiration"] / 1000)
                ),
                "X-Goog-Resource-ID": channel["resourceId"],
                "X-Goog-Resource-URI": channel["resourceUri"],
                "X-Goog-Resource-State": state,
                "X-Goog-Message-Number": str(channel["number"]),
            }
            if channel.get("token"):
                headers["X-Goog-Channel-Token"] = channel["token"]
            answers.append(requests.post(channel["address"], headers=headers, timeout=10).status_code)
        return answers

    # --- the protocol ----------------------------------------------------------------------------------
    def _issue(self, email: str, with_refresh: bool) -> dict:
        access = "ya29." + secrets.token_urlsafe(16)
        self.access_tokens[access] = (email, time.time() + 3599)
        body = {
            "access_token": access,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": "https://www.googleapis.com/auth/calendar.readonly",
        }
        if with_refresh:
            body["refresh_token"] = self.grant(email)
        return body

    def token(self, form: dict) -> tuple[int, dict]:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
        with self.lock:
            if form.get("grant_type") == "authorization_code":
                email, redirect_uri = self.codes.pop(form.get("code", ""), (None, None))
                if email and redirect_uri == form.get("redirect_uri"):
                    return 200, self._issue(email, with_refresh=True)
            elif form.get("grant_type") == "refresh_token":
                email = self.refresh_tokens.get(form.get("refresh_token", ""))
                if email:
                    return 200, self._issue(email, with_refresh=False)
        return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}

    def _error(self, code: int, reason: str, message: str) -> tuple[int, dict]:
        return code, {
            "error": {
                "code": code,
                "message": message,
                "errors": [{"domain": "global", "reason": reason, "message": message}],
            }
        }

    def api(self, method: str, path: str, query: dict, body: dict, authorization: str) -> tuple[int, dict, dict]:
        email, expires = self.access_tokens.get(authorization.removeprefix("Bearer "), (None, 0.0))
        if email is None or expires < time.time():
            code, error = self._error(401, "authError", "Request had invalid authentication credentials.")
            return code, error, {}
        if path == f"{API}/users/me/calendarList":
            items = [
                {
                    "kind": "calendar#calendarListEntry",
                    "id": email,
                    "summary": email,
                    "primary": True,
                    "accessRole": "owner",
                }
            ]
            return 200, {"kind": "calendar#calendarList", "items": items}, {}
        if path == f"{API}/channels/stop" and method == "POST":
            self.channels.pop(body.get("id", ""), None)
            return 204, {}, {}
        parts = path.removeprefix(f"{API}/calendars/").split("/")
        if len(parts) >= 2 and parts[1] == "events":
            if self.throttled:
                retry_after = self.throttled.pop(0)
                code, error = self._error(429, "rateLimitExceeded", "Rate Limit Exceeded")
                return code, error, {"Retry-After": str(int(retry_after))}
            if len(parts) == 3 and parts[2] == "watch" and method == "POST":
                return 200, self._watch(unquote(parts[0]), body), {}
            return self._list(query)
        code, error = self._error(404, "notFound", "Not Found")
        return code, error, {}

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict, headers: dict | None = None) -> None:
                raw = json.dumps(body).encode() if status != 204 else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _consent(self, query: dict) -> None:
                """The consent screen, answered by `consenting` (the user at the keyboard): back to the
                app's redirect_uri with a code and the app's state, or `error=access_denied`."""
                if query.get("client_id") != server.client_id or query.get("response_type") != "code":
                    return self._answer(400, {"error": "invalid_request"})
                if server.consenting is None:
                    target = {"error": "access_denied", "state": query.get("state", "")}
                else:
                    code = server.authorize(server.consenting, query["redirect_uri"])
                    target = {"code": code, "state": query.get("state", ""), "scope": query.get("scope", "")}
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{urlencode(target)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _read(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_POST(self):
                if is_control(self):
                    return answer_control(self, server)
                parts = urlsplit(self.path)
                raw = self._read()
                if parts.path == "/token":
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    server.seen.append(f"POST /token {form.get('grant_type', '')}")
                    return self._answer(*server.token(form))
                server.seen.append(f"POST {parts.path}")
                body = json.loads(raw or b"{}")
                return self._answer(*server.api("POST", parts.path, {}, body, self.headers.get("Authorization", "")))

            def do_GET(self):
                if is_control(self):
                    return answer_control(self, server)
                parts = urlsplit(self.path)
                server.seen.append(f"GET {self.path}")
                if parts.path == "/o/oauth2/v2/auth":
                    return self._consent({k: v[0] for k, v in parse_qs(parts.query).items()})
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                return self._answer(*server.api("GET", parts.path, query, {}, self.headers.get("Authorization", "")))

        return Handler


if __name__ == "__main__":
    serve(GoogleCalendarServer)
