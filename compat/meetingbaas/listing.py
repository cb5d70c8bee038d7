"""`GET /bots/bots_with_metadata`: the dialect's bots, newest first, with the vendor's filters and an
opaque cursor. The filters are the native list's (bots.selectors.bot_list); `filter_by_extra` is its
metadata filter and `sort_by_extra` orders by one key of `extra`."""

import base64
import binascii
import json

from django.db.models import F
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from rest_framework.response import Response

from bots import selectors
from common.errors import ValidationError
from compat.meetingbaas import outputs
from compat.meetingbaas.inputs import BotsQuery
from compat.meetingbaas.views import MeetingBaasView
from compat.times import iso_ms_z


def _cursor_encode(offset: int, query: dict) -> str:
    # The filters travel in the cursor: a next page read with other filters would skip or repeat bots.
    state = {"o": offset, "q": _fingerprint(query)}
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


def _fingerprint(query: dict) -> str:
    return json.dumps({k: str(v) for k, v in sorted(query.items()) if k not in ("cursor", "limit")})


def _cursor_decode(cursor: str, query: dict) -> int:
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset, fingerprint = int(state["o"]), state["q"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ValidationError("cursor: not a cursor this API gave.", fields={"cursor": ["not a cursor"]}) from None
    if fingerprint != _fingerprint(query) or offset < 0:
        message = "the cursor belongs to a listing with other filters"
        raise ValidationError(f"cursor: {message}.", fields={"cursor": [message]})
    return offset


class BotsWithMetadataView(MeetingBaasView):
    query_params = {"get": BotsQuery}

    def get(self, request):
        query = self.query
        filters = {
            name: query[name]
            for name in ("bot_name", "meeting_url", "speaker_name", "created_after", "created_before", "ended_after")
            if name in query
        }
        if "filter_by_extra" in query:
            filters["metadata"] = query["filter_by_extra"]
        bots = selectors.bot_list(organization=request.user.organization, filters=filters).filter(dialect="meetingbaas")
        if "sort_by_extra" in query:
            key, descending = query["sort_by_extra"]
            value = KeyTextTransform(key, "metadata")
            bots = bots.alias(sort_value=value).order_by(
                F("sort_value").desc(nulls_last=True) if descending else F("sort_value").asc(nulls_last=True), "-pk"
            )
        else:
            bots = bots.order_by("-created_at", "-pk")
        offset = _cursor_decode(query["cursor"], query) if "cursor" in query else 0
        limit = query["limit"]
        page = list(bots.select_related("meeting", "organization")[offset : offset + limit + 1])
        more = len(page) > limit
        return Response(
            {
                "bots": [outputs.listed(bot) for bot in page[:limit]],
                "next_cursor": _cursor_encode(offset + limit, query) if more else None,
                "last_updated": iso_ms_z(timezone.now()),
            }
        )
