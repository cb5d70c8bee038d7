"""Subscriptions of tests/graph_server.py: created only after Graph's validation handshake (a POST of
`?validationToken=` to the notificationUrl, answered 200 text/plain with the token), and the change and
lifecycle notifications Graph then sends."""

import secrets
from urllib.parse import urlencode

import requests

from tests.graph_delta import V1


class Subscriptions:
    subscriptions: dict[str, dict]

    @property
    def url(self) -> str:
        raise NotImplementedError

    def _error(self, status: int, code: str, message: str, headers: dict | None = None):
        return status, {"error": {"code": code, "message": message}}, headers or {}

    def notify(self, change_type: str = "updated") -> list[int]:
        answers = []
        for sub in list(self.subscriptions.values()):
            note = {
                "subscriptionId": sub["id"],
                "subscriptionExpirationDateTime": sub["expirationDateTime"],
                "changeType": change_type,
                "resource": "Users/ada/Events/AAMk",
                "resourceData": {
                    "@odata.type": "#Microsoft.Graph.Event",
                    "@odata.id": "Users/ada/Events/AAMk",
                    "id": "AAMk",
                },
                "clientState": sub["clientState"],
                "tenantId": "tenant",
            }
            answers.append(requests.post(sub["notificationUrl"], json={"value": [note]}, timeout=10).status_code)
        return answers

    def lifecycle(self, event: str = "reauthorizationRequired") -> list[int]:
        answers = []
        for sub in list(self.subscriptions.values()):
            note = {
                "subscriptionId": sub["id"],
                "subscriptionExpirationDateTime": sub["expirationDateTime"],
                "tenantId": "tenant",
                "clientState": sub["clientState"],
                "lifecycleEvent": event,
            }
            answers.append(
                requests.post(sub["lifecycleNotificationUrl"], json={"value": [note]}, timeout=10).status_code
            )
        return answers

    def _public(self, sub: dict) -> dict:
        return {"@odata.context": f"{self.url}{V1}/$metadata#subscriptions/$entity", **sub}

    def _subscribe(self, body: dict) -> tuple[int, dict, dict]:
        token = secrets.token_urlsafe(12)
        try:
            answer = requests.post(
                f"{body['notificationUrl']}?{urlencode({'validationToken': token})}", data=b"", timeout=10
            )
        except requests.RequestException:
            answer = None
        if (
            answer is None
            or answer.status_code != 200
            or answer.text != token
            or "text/plain" not in answer.headers.get("Content-Type", "")
        ):
            return self._error(
                400,
                "ValidationError",
                "Subscription validation request failed. Response must exactly match validationToken query parameter.",
            )
        sub = {
            "id": secrets.token_hex(16),
            "resource": body["resource"],
            "changeType": body["changeType"],
            "clientState": body.get("clientState"),
            "notificationUrl": body["notificationUrl"],
            "lifecycleNotificationUrl": body.get("lifecycleNotificationUrl") or body["notificationUrl"],
            "expirationDateTime": body["expirationDateTime"],
        }
        self.subscriptions[sub["id"]] = sub
        return 201, self._public(sub), {}
