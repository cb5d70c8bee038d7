"""Strict input: every request body and query string is read by a serializer that refuses what it does not
know, and JSON values of the wrong type, naming the field, instead of accepting and ignoring or coercing them.

DRF is lenient on purpose (a CharField takes 12 and stores "12", a BooleanField takes "yes" and 0, a
DateTimeField takes ""), which lets a client's typo pass unnoticed; the schema says string, boolean,
date-time, and the API holds to it.
"""

import re

from django.core.validators import RegexValidator
from django.http import QueryDict
from rest_framework import serializers

from common.errors import ValidationError


def _json_type_error(field: serializers.Field, value) -> str | None:
    """What is wrong with this JSON value for this field, or None. `None` values are DRF's to judge."""
    if value is None:
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(field, serializers.IntegerField):
        integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return None if integral and not isinstance(value, bool) else "must be an integer"
    if isinstance(field, (serializers.FloatField, serializers.DecimalField)):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "must be a number"
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, serializers.DateTimeField)):
        return None if isinstance(value, str) else "must be a string"
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return "must be a list"
        errors = [_json_type_error(field.child, item) for item in value]
        return next((f"item {i}: {e}" for i, e in enumerate(errors) if e), None)
    if isinstance(field, serializers.DictField):
        if not isinstance(value, dict):
            return "must be an object"
        if _has_nul(value):
            return "text in it must not contain NUL (\\u0000) characters"
        errors = {key: _json_type_error(field.child, item) for key, item in value.items()}
        return next((f"{key}: {e}" for key, e in errors.items() if e), None)
    if isinstance(field, serializers.JSONField) and _has_nul(value):
        return "text in it must not contain NUL (\\u0000) characters"
    return None


def _has_nul(value) -> bool:
    """Whether free-form JSON holds a NUL anywhere (a key or a string): PostgreSQL cannot store one."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class StrictFieldsMixin:
    # Refuses fields the serializer does not know, and values of the wrong JSON type, naming them.
    # Multipart bodies (a QueryDict) carry every value as text; the fields themselves check those.
    # (A comment, not a docstring: the schema would show it as the description of every request body.)

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            # Text is taken as sent: trimming would accept a value longer than the schema's maxLength
            # and refuse one (" ") that its minLength allows.
            if isinstance(field, serializers.CharField):
                field.trim_whitespace = False
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
            if not isinstance(data, QueryDict):
                wrong = {
                    name: error
                    for name, value in data.items()
                    if (error := _json_type_error(self.fields[name], value)) is not None
                }
                if wrong:
                    raise serializers.ValidationError({name: [error] for name, error in wrong.items()})
        return super().to_internal_value(data)


class QueryParams(serializers.Serializer):
    """Base of a view's query-string serializer: an unknown parameter, an empty value or a repeated one
    is a 400 naming it. `extra_prefixes` admits families such as `metadata.<key>`."""

    extra_prefixes: tuple[str, ...] = ()

    @classmethod
    def read(cls, request) -> dict:
        params = request.query_params
        fields = cls().get_fields()
        errors: dict[str, list[str]] = {}
        data: dict = {}
        for name in params:
            values = params.getlist(name)
            if name not in fields and not name.startswith(cls.extra_prefixes):
                errors[name] = ["unknown query parameter"]
            elif "" in values:
                errors[name] = ["empty; leave the parameter out instead"]
            elif len(values) > 1 and not isinstance(fields.get(name), CsvChoiceField):
                errors[name] = ["given more than once"]
            else:
                # A list filter may also be repeated: status=a&status=b is status=a,b.
                data[name] = ",".join(values)
        if errors:
            raise ValidationError(
                "Invalid query: " + "; ".join(f"{name}: {msgs[0]}" for name, msgs in errors.items()), fields=errors
            )
        serializer = cls(data={k: v for k, v in data.items() if k in fields})
        serializer.is_valid(raise_exception=True)
        extras = {k: v for k, v in data.items() if k not in fields}
        return {**serializer.validated_data, **({"extra": extras} if cls.extra_prefixes else {})}


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")


UNENCODED_PLUS = re.compile(r"(T\d{2}:\d{2}:\d{2}(?:\.\d+)?) (\d{2}:\d{2})$")


class DateTimeField(serializers.DateTimeField):
    """An RFC 3339 date-time with its offset (`2026-05-01T09:30:00Z`), what the schema's `date-time` means.

    DRF would also take a bare date or a time without an offset and guess the rest. In a query string
    (`in_query=True`) an offset's unencoded '+' arrives as a space and is read back as the '+' it was."""

    def __init__(self, *, in_query: bool = False, **kwargs):
        self.in_query = in_query
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if self.in_query and isinstance(value, str):
            value = UNENCODED_PLUS.sub(r"\1+\2", value)
        if isinstance(value, str) and not RFC3339.match(value):
            hint = " (a '+' in a query string must be sent as %2B)" if " " in value else ""
            raise serializers.ValidationError(f"not an RFC 3339 date-time such as 2026-05-01T09:30:00Z{hint}")
        return super().to_internal_value(value)


class CsvChoiceField(serializers.CharField):
    """A comma-separated list of choices, as one query parameter (`status=queued,joining`)."""

    def __init__(self, *, choices, **kwargs):
        self.choices = list(choices)
        kwargs.setdefault("help_text", f"comma-separated, any of: {', '.join(self.choices)}")
        super().__init__(**kwargs)
        one = "(?:" + "|".join(re.escape(c) for c in self.choices) + ")"
        # Also the schema's `pattern`, so that clients and fuzzers know the exact form.
        self.validators.append(RegexValidator(f"^{one}(?:,{one})*$"))

    def to_internal_value(self, data) -> str:
        text = super().to_internal_value(data)
        bad = [v for v in text.split(",") if v not in self.choices]
        if bad:
            raise serializers.ValidationError(f"unknown value {bad[0]!r}; use any of {', '.join(self.choices)}")
        return text

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        return value.split(",") if isinstance(value, str) else value


class PageQuery(QueryParams):
    """The query of a cursor-paginated list: `cursor` and `limit` (1 to NOTULA_API_MAX_PAGE_SIZE)."""

    cursor = serializers.CharField(required=False, help_text="the `next` or `previous` link's cursor")

    def get_fields(self):
        from django.conf import settings

        fields = super().get_fields()
        maximum = settings.API_MAX_PAGE_SIZE
        fields["limit"] = serializers.IntegerField(
            required=False, min_value=1, max_value=maximum, help_text=f"page size, 1-{maximum} (default 50)"
        )
        return fields
