"""The test-control side of the local provider servers, apart from the providers' own API: under
`/_control/` a test says what happens at the provider (an event moved, a grant revoked, a push sent) and
reads what the server saw (its request log, channels, subscriptions). `POST /_control/<operation>` with
`{"args": [...], "kwargs": {...}}` calls one of the server's `control_operations` and answers its result
as JSON; `GET /_control/health` answers 200 once the server listens. Times travel as
`{"$datetime": ISO 8601, "$zone": IANA name}` so a series keeps its time zone.

`serve()` runs a server as its own process: `python -m tests.<server> --port N`."""

import argparse
import http.server
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

CONTROL = "/_control/"


def encode(value: Any) -> Any:
    if isinstance(value, datetime):
        zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None
        return {"$datetime": value.isoformat(), "$zone": zone}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict) and "$datetime" in value:
        moment = datetime.fromisoformat(value["$datetime"])
        return moment.astimezone(ZoneInfo(value["$zone"])) if value["$zone"] else moment
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def is_control(handler: http.server.BaseHTTPRequestHandler) -> bool:
    return handler.path.startswith(CONTROL)


def answer_control(handler: http.server.BaseHTTPRequestHandler, server: Any) -> None:
    """One control request: the operation named in the path, called with the body's arguments."""
    operation = handler.path.removeprefix(CONTROL).split("?")[0]
    raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
    if operation == "health":
        status, result = 200, "ok"
    elif operation in server.control_operations:
        call = decode(json.loads(raw or b"{}"))
        status, result = 200, getattr(server, operation)(*call.get("args", []), **call.get("kwargs", {}))
    else:
        status, result = 404, f"no control operation {operation!r}"
    body = json.dumps(encode(result)).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def serve(make_server) -> None:
    """The process's entry point: the server on 127.0.0.1:--port until it is terminated."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", default=None)
    parser.add_argument("--client-secret", default=None)
    options = parser.parse_args()
    credentials = {k: v for k, v in (("client_id", options.client_id), ("client_secret", options.client_secret)) if v}
    server = make_server(port=options.port, **credentials)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
