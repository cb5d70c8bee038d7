"""The calendarView delta of tests/graph_server.py: a round's pages (`@odata.nextLink`, `$skiptoken`) and
its end (`@odata.deltaLink`, `$deltatoken`), changes since a delta token with deleted events as
`@removed`, and 410 for a delta state that expired."""

import secrets
from datetime import UTC, datetime
from urllib.parse import urlencode

V1 = "/v1.0"


def graph_time(moment: datetime) -> dict:
    return {"dateTime": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}


class DeltaPages:
    events: dict[str, dict]
    seq: int
    valid_delta: set[str]
    page_size: int
    lock: object

    @property
    def url(self) -> str:
        raise NotImplementedError

    def _error(self, status: int, code: str, message: str, headers: dict | None = None):
        return status, {"error": {"code": code, "message": message}}, headers or {}

    def _delta(self, query: dict, headers) -> tuple[int, dict, dict]:
        with self.lock:
            prefer = headers.get("Prefer", "")
            asked = int(prefer.split("odata.maxpagesize=")[1].split(",")[0]) if "odata.maxpagesize=" in prefer else 100
            size = min(asked, self.page_size)
            if "$deltatoken" in query:
                if query["$deltatoken"] not in self.valid_delta:
                    return self._error(410, "SyncStateNotFound", "The sync state generation is not found.")
                since, low, high = query["$deltatoken"].split("~")[0:3]
                items = [e for e in self.events.values() if e["_seq"] > int(since)]
                window = (low, high)
            elif "$skiptoken" in query:
                since, low, high, offset = query["$skiptoken"].split("~")
                full = since == "full"
                return self._page(-1 if full else int(since), (low, high), int(offset), size, full=full)
            else:
                return self._page(-1, (query["startDateTime"], query["endDateTime"]), 0, size, full=True)
            return self._page_items(items, window, 0, size, since, full=False)

    def _page(self, since: int, window, offset: int, size: int, full: bool):
        low, high = (datetime.fromisoformat(w.replace("Z", "+00:00")) for w in window)
        if full:
            items = [
                e
                for e in self.events.values()
                if not e.get("_deleted")
                and low <= datetime.fromisoformat(e["start"]["dateTime"][:19]).replace(tzinfo=UTC) < high
            ]
        else:
            items = [e for e in self.events.values() if e["_seq"] > since]
        return self._page_items(items, window, offset, size, "full" if full else str(since), full=full)

    def _page_items(self, items, window, offset, size, since, full):
        items = sorted(items, key=lambda e: (e["start"]["dateTime"], e["id"]))
        page = []
        for e in items[offset : offset + size]:
            if e.get("_deleted"):
                page.append({"@odata.type": "#microsoft.graph.event", "id": e["id"], "@removed": {"reason": "deleted"}})
            else:
                page.append({k: v for k, v in e.items() if not k.startswith("_")})
        answer: dict = {"@odata.context": f"{self.url}{V1}/$metadata#Collection(event)", "value": page}
        base = f"{self.url}{V1}/me/calendarView/delta"
        if offset + size < len(items):
            answer["@odata.nextLink"] = (
                f"{base}?{urlencode({'$skiptoken': f'{since}~{window[0]}~{window[1]}~{offset + size}'})}"
            )
        else:
            token = f"{self.seq}~{window[0]}~{window[1]}~{secrets.token_hex(3)}"
            self.valid_delta.add(token)
            answer["@odata.deltaLink"] = f"{base}?{urlencode({'$deltatoken': token})}"
        return 200, answer, {}
