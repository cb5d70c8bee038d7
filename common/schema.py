"""The OpenAPI schema's shared parts: the one error shape, declared on every operation it can answer."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every 4xx and 5xx answer of the API.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable, e.g. validation_error, duplicate_bot"},
                "message": {"type": "string", "description": "what is wrong, for people"},
                "fields": {
                    "type": "object",
                    "description": "the offending request fields (nested for nested objects), each with messages",
                    "additionalProperties": {},
                },
            },
            # Some errors name more, e.g. existing_bot_id on a duplicate bot, status on a refused change.
            "additionalProperties": True,
        }
    },
}
DESCRIPTIONS = {
    "400": "Bad input; `error.fields` names each offending field.",
    "401": "Missing, wrong or revoked API key.",
    "404": "No such object in your organization.",
    "409": "A duplicate, or a change the object's state does not allow.",
    "413": "The body is over its size limit (`request_too_large`, `upload_too_large`).",
    "415": "The body is not JSON (or, for the one upload, multipart).",
    "422": "The Idempotency-Key was used for a different request (`idempotency_key_reused`).",
    "429": "Rate limit reached; retry after `Retry-After` seconds.",
    "500": "Internal error (logged).",
}


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Send the same value again (a retry) to get the first successful answer back instead of "
    "doing the request twice; kept 24 h (NOTULA_IDEMPOTENCY_TTL_S) per API key.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}


def error_response(status: int | str) -> OpenApiResponse:
    """For @extend_schema(responses={409: error_response(409)}) where a view answers a code of its own."""
    return OpenApiResponse(response=ERROR_REF, description=DESCRIPTIONS.get(str(status), "Error"))


def _error(status: str) -> dict:
    response = {"description": DESCRIPTIONS[status], "content": {"application/json": {"schema": ERROR_REF}}}
    if status == "429":
        response["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait", "required": True}
        }
    return response


class NotulaAutoSchema(AutoSchema):
    """Adds the error answers every operation can give: 401, 429 and 500 always, 400 where it takes
    input, 404 where it names an object."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None or not self.path.startswith(("/api/", "/simulator/api/")):
            return operation
        parameters = operation.get("parameters", [])
        if self.method == "POST" and self.path.startswith("/api/v1/"):
            parameters = operation["parameters"] = [*parameters, IDEMPOTENCY_KEY]
        codes = ["401", "429", "500"]
        if "requestBody" in operation or any(p.get("in") in ("query", "header") for p in parameters):
            codes.append("400")
        if any(p.get("in") == "path" for p in parameters):
            codes.append("404")
        if "requestBody" in operation:
            codes += ["413", "415"]
        if any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in parameters):
            codes.append("422")
        responses = operation["responses"]
        for code in codes:
            responses.setdefault(code, _error(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation


def add_error_component(result, generator, request, public):
    """drf-spectacular postprocessing hook: registers the Error schema the operations refer to."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    return result


def nullable_as_type_list(result, generator, request, public):
    """drf-spectacular postprocessing hook: OpenAPI 3.1 has no `nullable`; DRF's paginators still
    declare it (`next`, `previous`), so it becomes the 3.1 spelling, `type: [..., "null"]`."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("nullable") is True and isinstance(node.get("type"), str):
                del node["nullable"]
                node["type"] = [node["type"], "null"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result


def close_request_objects(result, generator, request, public):
    """drf-spectacular postprocessing hook: request bodies take only the fields they name.

    Every input serializer refuses unknown fields (common.inputs.StrictFieldsMixin); the schema says so,
    so that a client (or a fuzzer) knows an extra field is an error, not something ignored."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component.setdefault("additionalProperties", False)
    return result


NO_NUL = "^[^\\x00]*$"


def _forbid_nul(schema: dict) -> None:
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(schema):
        schema["pattern"] = NO_NUL
    for key in ("properties",):
        for child in schema.get(key, {}).values():
            _forbid_nul(child)
    for key in ("items", "additionalProperties"):
        _forbid_nul(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for child in schema.get(key, []):
            _forbid_nul(child)


def state_input_rules(result, generator, request, public):
    """drf-spectacular postprocessing hook: rules every input follows that serializers do not declare.

    Text never holds a NUL character (DRF refuses one; PostgreSQL could not store it), and a body whose
    schema requires fields is itself required."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, component in schemas.items():
        if name.endswith("Request"):
            _forbid_nul(component)
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("query", "path"):
                    _forbid_nul(parameter.get("schema"))
            body = operation.get("requestBody")
            if body:
                for media in body.get("content", {}).values():
                    ref = media.get("schema", {}).get("$ref", "")
                    if schemas.get(ref.rsplit("/", 1)[-1], {}).get("required"):
                        body["required"] = True
    return result


# What a created (or listed) object leads to: OpenAPI links, for clients that follow them and for
# stateful testing (create a bot, then read, change, delete it).
LINKS = {
    ("bots_create", "201"): {
        "bot_id": ("$response.body#/id", ["bots_retrieve", "bots_update", "bots_destroy", "bots_leave"]),
        "meeting_id": ("$response.body#/meeting_id", ["meetings_retrieve", "meetings_events", "meetings_recording"]),
    },
    ("meetings_import", "201"): {
        "meeting_id": (
            "$response.body#/id",
            ["meetings_retrieve", "meetings_transcript", "meetings_participants", "meetings_retranscribe"],
        ),
    },
    ("webhooks_create", "201"): {
        "endpoint_id": (
            "$response.body#/id",
            ["webhooks_retrieve", "webhooks_update", "webhooks_destroy", "webhooks_deliveries", "webhooks_test"],
        ),
    },
    ("webhooks_deliveries", "200"): {
        "delivery_id": ("$response.body#/results/0/id", ["webhooks_redeliver"]),
    },
    ("simulator_meetings_create", "201"): {
        "meeting_id": (
            "$response.body#/id",
            [
                "simulator_meetings_retrieve",
                "simulator_meetings_control",
                "simulator_meetings_say",
                "simulator_participants_add",
            ],
        ),
    },
}


def add_links(result, generator, request, public):
    """drf-spectacular postprocessing hook: the OpenAPI links of LINKS."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for (operation_id, status), parameters in LINKS.items():
                if operation.get("operationId") != operation_id or status not in operation.get("responses", {}):
                    continue
                links = operation["responses"][status].setdefault("links", {})
                for name, (expression, targets) in parameters.items():
                    for target in targets:
                        links[f"{target}_by_{name}"] = {"operationId": target, "parameters": {name: expression}}
    return result
