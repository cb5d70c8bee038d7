"""The events list and watch of tests/google_calendar_server.py: a whole read of the window or the changes
since a sync token (cancelled ones included), paged (`nextPageToken`), ending with a `nextSyncToken`;
410 `fullSyncRequired` for a token that expired; a `web_hook` channel opened by `events/watch`."""

import secrets
import time
from datetime import datetime

API = "/calendar/v3"


class EventPages:
    events: dict[str, dict]
    seq: int
    valid_sync_tokens: set[str]
    channels: dict[str, dict]
    page_size: int
    lock: object

    @property
    def url(self) -> str:
        raise NotImplementedError

    def _error(self, code: int, reason: str, message: str) -> tuple[int, dict]:
        raise NotImplementedError

    def _watch(self, calendar_id: str, body: dict) -> dict:
        channel = {
            "kind": "api#channel",
            "id": body["id"],
            "resourceId": "res_" + secrets.token_urlsafe(8),
            "resourceUri": f"{self.url}{API}/calendars/{calendar_id}/events?alt=json",
            "token": body.get("token", ""),
            "expiration": int((time.time() + 7 * 86400) * 1000),
            "address": body["address"],
            "number": 0,
        }
        self.channels[channel["id"]] = channel
        return {k: str(v) if k == "expiration" else v for k, v in channel.items() if k not in ("address", "number")}

    def _list(self, query: dict) -> tuple[int, dict, dict]:
        with self.lock:
            if "syncToken" in query:
                if query["syncToken"] not in self.valid_sync_tokens:
                    code, error = self._error(
                        410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required."
                    )
                    return code, error, {}
                since = int(query["syncToken"].split("_")[1])
                items = [e for e in self.events.values() if e["_seq"] > since]
            else:
                low = datetime.fromisoformat(query["timeMin"])
                high = datetime.fromisoformat(query["timeMax"])
                items = [
                    e
                    for e in self.events.values()
                    if e["status"] != "cancelled" and low <= datetime.fromisoformat(e["start"]["dateTime"]) < high
                ]
            items.sort(key=lambda e: (e["start"]["dateTime"], e["id"]))
            offset = int(query.get("pageToken", "0"))
            size = min(int(query.get("maxResults", "250")), self.page_size)
            page = [{k: v for k, v in e.items() if k != "_seq"} for e in items[offset : offset + size]]
            answer = {"kind": "calendar#events", "items": page, "timeZone": "UTC"}
            if offset + size < len(items):
                answer["nextPageToken"] = str(offset + size)
            else:
                token = f"sync_{self.seq}_{secrets.token_hex(4)}"
                self.valid_sync_tokens.add(token)
                answer["nextSyncToken"] = token
            return 200, answer, {}
