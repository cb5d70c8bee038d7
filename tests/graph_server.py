"""A local server speaking the Microsoft identity platform v2 token endpoint and Microsoft Graph's
calendar resources as documented (learn.microsoft.com: "OAuth 2.0 authorization code flow", "event:
delta", "Get change notifications", "subscription"), for tests (NOTULA_MICROSOFT_LOGIN_URL and
NOTULA_MICROSOFT_GRAPH_URL point at it).

- `GET /oauth2/v2.0/authorize`: the consent, accepted by `consenting`: a 302 to redirect_uri with a code.
- `POST /oauth2/v2.0/token`: authorization_code or refresh_token (with scope); every answer carries a new
  refresh token and the used one stops working (rotation); 400 `invalid_grant` with an AADSTS code.
- `GET /v1.0/me`; `GET /v1.0/me/calendarView/delta?startDateTime&endDateTime` with `Prefer:
  odata.maxpagesize`: occurrences and exceptions of series expanded (seriesMasterId, type), pages by
  `@odata.nextLink`, rounds end with `@odata.deltaLink`; following it gives changes, deleted ones as
  `@removed`; 410 when the delta state expired; 429 with Retry-After when throttled.
- `POST /v1.0/subscriptions` validates the notificationUrl first (POST `?validationToken=`, 200 text/plain
  with the token within 10 s, else 400), `PATCH` / `DELETE /v1.0/subscriptions/{id}`; `notify()` sends
  change notifications and `lifecycle()` lifecycle notifications, as Graph does.
- `/_control/...`: what happens at Microsoft and what the server saw, for the tests (tests/control_api.py); run
  as its own process, `python -m tests.graph_server --port N`.
"""

import http.server
import json
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.control_api import answer_control, is_control, serve
from tests.graph_delta import V1, DeltaPages, graph_time
from tests.graph_subscriptions import Subscriptions


class GraphServer(DeltaPages, Subscriptions):
    control_operations = (
        "grant",
        "revoke",
        "live_refresh_tokens",
        "expire_access_tokens",
        "add_event",
        "add_series",
        "move",
        "delete",
        "replace_start",
        "expire_delta",
        "throttle",
        "subscription_list",
        "forge_client_state",
        "notify",
        "lifecycle",
        "log",
    )

    def __init__(self, client_id: str = "ms-client", client_secret: str = "ms-secret", port: int = 0) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.codes: dict[str, tuple[str, str]] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.access_tokens: dict[str, tuple[str, float]] = {}
        self.events: dict[str, dict] = {}
        self.seq = 0
        self.valid_delta: set[str] = set()
        self.throttled: list[float] = []
        self.subscriptions: dict[str, dict] = {}
        self.page_size = 2  # Graph may page below odata.maxpagesize
        self.consenting: str | None = "ada@acme.example"
        self.seen: list[str] = []  # "METHOD path" of every provider request, in order
        self.lock = threading.RLock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), self._handler())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    # --- what the tests read ----------------------------------------------------------------------------
    def log(self) -> list[str]:
        return self.seen

    def live_refresh_tokens(self) -> list[str]:
        return list(self.refresh_tokens)

    def subscription_list(self) -> list[dict]:
        return list(self.subscriptions.values())

    # --- what happens at Microsoft ------------------------------------------------------------------
    def grant(self, email: str) -> str:
        token = "M.R3_" + secrets.token_urlsafe(16)
        self.refresh_tokens[token] = email
        return token

    def revoke(self) -> None:
        with self.lock:
            self.refresh_tokens.clear()
            self.access_tokens.clear()

    def _change(self, item: dict) -> None:
        self.seq += 1
        item["_seq"] = self.seq
        item["lastModifiedDateTime"] = datetime.now(UTC).isoformat()
        self.events[item["id"]] = item

    def add_event(self, event_id: str, start: datetime, minutes: int = 30, **fields) -> dict:
        item = {
            "@odata.etag": 'W/"' + secrets.token_hex(4) + '"',
            "id": event_id,
            "subject": fields.pop("subject", "Meeting"),
            "type": fields.pop("type", "singleInstance"),
            "start": graph_time(start),
            "end": graph_time(start + timedelta(minutes=minutes)),
            "originalStartTimeZone": str(start.tzinfo),
            "isCancelled": False,
            "responseStatus": fields.pop("responseStatus", {"response": "organizer", "time": "0001-01-01T00:00:00Z"}),
            "organizer": {"emailAddress": {"name": "Ada", "address": "ada@acme.example"}},
            "attendees": fields.pop("attendees", []),
            "location": fields.pop("location", {"displayName": ""}),
            "body": fields.pop("body", {"contentType": "html", "content": ""}),
            "isOnlineMeeting": "onlineMeeting" in fields,
            **fields,
        }
        with self.lock:
            self._change(item)
        return item

    def add_series(self, master_id: str, first: datetime, weeks: int, **fields) -> list[dict]:
        """A weekly series as calendarView gives it: its occurrences, the same wall-clock time each week."""
        return [
            self.add_event(
                f"{master_id}_OCC{n}",
                first + timedelta(weeks=n),
                type="occurrence",
                seriesMasterId=master_id,
                originalStart=(first + timedelta(weeks=n)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                **dict(fields),
            )
            for n in range(weeks)
        ]

    def move(self, event_id: str, start: datetime, minutes: int = 30) -> None:
        with self.lock:
            item = dict(self.events[event_id])
            item["start"], item["end"] = graph_time(start), graph_time(start + timedelta(minutes=minutes))
            if item["type"] == "occurrence":
                item["type"] = "exception"
            self._change(item)

    def delete(self, event_id: str) -> None:
        with self.lock:
            item = dict(self.events[event_id])
            item["_deleted"] = True
            self._change(item)

    def expire_delta(self) -> None:
        self.valid_delta.clear()

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens.clear()

    def throttle(self, retry_after_s: float) -> None:
        """The next API call is answered 429 with this Retry-After."""
        self.throttled.append(retry_after_s)

    def replace_start(self, event_id: str, start: dict, as_change: bool = True) -> None:
        """The event's `start` as given (even one that is no time at all); a change the next delta reports,
        or (`as_change=False`) one only a whole read sees."""
        with self.lock:
            self.events[event_id]["start"] = start
            if as_change:
                self.seq += 1
                self.events[event_id]["_seq"] = self.seq

    def forge_client_state(self, subscription_id: str, client_state: str) -> None:
        """Notifications of this subscription carry another clientState than the one it was created with."""
        self.subscriptions[subscription_id]["clientState"] = client_state

    # --- the protocol ----------------------------------------------------------------------------------
    def token(self, form: dict) -> tuple[int, dict]:
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided.",
            }
        with self.lock:
            email = None
            if form.get("grant_type") == "authorization_code":
                email, redirect_uri = self.codes.pop(form.get("code", ""), (None, None))
                email = email if redirect_uri == form.get("redirect_uri") else None
            elif form.get("grant_type") == "refresh_token":
                email = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if email is None:
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "AADSTS70008: The provided authorization code or refresh token has "
                    "expired or been revoked.",
                    "error_codes": [70008],
                }
            access = "eyJ0." + secrets.token_urlsafe(16)
            self.access_tokens[access] = (email, time.time() + 3599)
            return 200, {
                "token_type": "Bearer",
                "scope": "Calendars.Read User.Read",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": access,
                "refresh_token": self.grant(email),
            }

    def _error(self, status: int, code: str, message: str, headers: dict | None = None):
        return status, {"error": {"code": code, "message": message}}, headers or {}

    def api(self, method: str, path: str, query: dict, body: dict, headers) -> tuple[int, dict, dict]:
        email, expires = self.access_tokens.get(headers.get("Authorization", "").removeprefix("Bearer "), (None, 0.0))
        if email is None or expires < time.time():
            return self._error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
        if self.throttled:
            return self._error(
                429, "TooManyRequests", "Too many requests.", {"Retry-After": str(int(self.throttled.pop(0)))}
            )
        if path == f"{V1}/me":
            return (
                200,
                {"id": "u-" + email, "displayName": "Ada Lovelace", "mail": email, "userPrincipalName": email},
                {},
            )
        if path == f"{V1}/me/calendarView/delta":
            return self._delta(query, headers)
        if path == f"{V1}/subscriptions" and method == "POST":
            return self._subscribe(body)
        if path.startswith(f"{V1}/subscriptions/"):
            sub_id = path.rsplit("/", 1)[1]
            if sub_id not in self.subscriptions:
                return self._error(404, "ResourceNotFound", "The object was not found.")
            if method == "DELETE":
                del self.subscriptions[sub_id]
                return 204, {}, {}
            self.subscriptions[sub_id]["expirationDateTime"] = body["expirationDateTime"]
            return 200, self._public(self.subscriptions[sub_id]), {}
        return self._error(404, "ResourceNotFound", "Resource not found for the segment.")

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict, headers: dict | None = None) -> None:
                raw = json.dumps(body).encode() if status != 204 else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _api(self, method: str) -> None:
                if is_control(self):
                    return answer_control(self, server)
                parts = urlsplit(self.path)
                server.seen.append(f"{method} {self.path}")
                raw = self._body() if method in ("POST", "PATCH") else b""
                if parts.path == "/oauth2/v2.0/token":
                    form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                    return self._answer(*server.token(form))
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/oauth2/v2.0/authorize":
                    return self._consent(query)
                return self._answer(*server.api(method, parts.path, query, json.loads(raw or b"{}"), self.headers))

            def _consent(self, query: dict) -> None:
                if query.get("client_id") != server.client_id or query.get("response_type") != "code":
                    return self._answer(400, {"error": "invalid_request"})
                if server.consenting is None:
                    target = {
                        "error": "access_denied",
                        "error_description": "AADSTS65004: User declined to consent.",
                        "state": query.get("state", ""),
                    }
                else:
                    code = "0.A" + secrets.token_urlsafe(12)
                    server.codes[code] = (server.consenting, query["redirect_uri"])
                    target = {"code": code, "state": query.get("state", "")}
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{urlencode(target)}")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                self._api("GET")

            def do_POST(self):
                self._api("POST")

            def do_PATCH(self):
                self._api("PATCH")

            def do_DELETE(self):
                self._api("DELETE")

        return Handler


if __name__ == "__main__":
    serve(GraphServer)
