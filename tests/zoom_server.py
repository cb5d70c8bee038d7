"""A local server speaking Zoom's OAuth and user-token protocol, for tests (NOTULA_ZOOM_OAUTH_URL and
NOTULA_ZOOM_API_URL point at it).

- `POST /oauth/token`, Basic auth with the app's client id and secret: `grant_type=authorization_code`
  (a code issued by `authorize`, single use, with its redirect_uri) or `grant_type=refresh_token` (each
  refresh token works once: Zoom rotates them). Answers `{access_token, token_type, refresh_token,
  expires_in, scope}` or 400 `{"reason": "Invalid Token!", "error": "invalid_grant"}`; 401 without the
  app's credentials.
- `GET /v2/users/me` and `GET /v2/users/me/token?type=zak|onbehalf` with `Authorization: Bearer`:
  the user, or `{"token": ...}`; 401 `{"code": 124, "message": "Invalid access token."}` for an unknown
  or expired access token.
"""

import base64
import http.server
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlsplit


class ZoomServer:
    def __init__(self, client_id: str = "notula-app", client_secret: str = "app-secret") -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.users: dict[str, dict] = {}
        self.codes: dict[str, tuple[str, str]] = {}  # code -> (user id, redirect_uri)
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> user id
        self.access_tokens: dict[str, tuple[str, float]] = {}  # access token -> (user id, expires at)
        self.issued: list[tuple[str, str]] = []  # (type, token) handed out by /v2/users/me/token
        self.log: list[str] = []  # "POST /oauth/token refresh_token", "GET /v2/users/me/token?type=zak"
        self.lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}"

    def start(self) -> "ZoomServer":
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_user(self, user_id: str, email: str) -> None:
        self.users[user_id] = {"id": user_id, "account_id": "acct_" + user_id, "email": email, "type": 2}

    def authorize(self, user_id: str, redirect_uri: str) -> str:
        """What Zoom's consent screen gives the app: an authorization code for this user."""
        code = "code_" + secrets.token_urlsafe(8)
        self.codes[code] = (user_id, redirect_uri)
        return code

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens = {t: (u, 0.0) for t, (u, _) in self.access_tokens.items()}

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self.refresh_tokens.clear()

    # --- the protocol ---------------------------------------------------------------------------------------
    def _issue(self, user_id: str) -> dict:
        access, refresh = "acc_" + secrets.token_urlsafe(12), "ref_" + secrets.token_urlsafe(12)
        self.access_tokens[access] = (user_id, time.time() + 3599)
        self.refresh_tokens[refresh] = user_id
        return {
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": 3599,
            "scope": "user:read:user user:read:token",
        }

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict]:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        with self.lock:
            if form.get("grant_type") == "authorization_code":
                user_id, redirect_uri = self.codes.pop(form.get("code", ""), (None, None))
                if user_id is not None and redirect_uri == form.get("redirect_uri"):
                    return 200, self._issue(user_id)
            elif form.get("grant_type") == "refresh_token":
                user_id = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
                if user_id is not None:
                    return 200, self._issue(user_id)
        return 400, {"reason": "Invalid Token!", "error": "invalid_grant"}

    def api(self, path: str, query: dict, authorization: str) -> tuple[int, dict]:
        user_id, expires = self.access_tokens.get(authorization.removeprefix("Bearer "), (None, 0.0))
        if user_id is None or expires < time.time():
            return 401, {"code": 124, "message": "Invalid access token."}
        if path == "/v2/users/me":
            return 200, self.users[user_id]
        if path == "/v2/users/me/token" and query.get("type") in ("zak", "onbehalf"):
            token = f"{query['type']}.{user_id}.{secrets.token_urlsafe(10)}"
            self.issued.append((query["type"], token))
            return 200, {"token": token}
        return 404, {"code": 404, "message": "Not found"}

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                server.log.append(f"POST {self.path} {form.get('grant_type', '')}")
                if urlsplit(self.path).path != "/oauth/token":
                    return self._answer(404, {"error": "not_found"})
                return self._answer(*server.token(form, self.headers.get("Authorization", "")))

            def do_GET(self):
                parts = urlsplit(self.path)
                server.log.append(f"GET {self.path}")
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                return self._answer(*server.api(parts.path, query, self.headers.get("Authorization", "")))

        return Handler
