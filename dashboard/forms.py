"""Dashboard forms. Input goes through the API's own serializers and services, so a mistake reads
the same in the browser as in a 400 answer of the API."""

from django import forms
from django.conf import settings

from accounts.bot_accounts import bot_account_list
from bots.api.serializers import BotCreateInput, RecordingSettings, TranscriptionSettings
from bots.models import Bot
from bots.services import bot_create
from common.errors import NotulaError
from meetings.events import EventType
from webhooks.api.serializers import EndpointInput
from webhooks.models import WebhookEndpoint
from webhooks.services import endpoint_create, endpoint_update


def _choices(field) -> list[tuple[str, str]]:
    return [(value, label) for value, label in field.choices.items()]


def _flatten_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """{"transcription": {"backend": [...]}} -> {"transcription.backend": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            flat.update(_flatten_errors(value, f"{prefix}{key}."))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    flat[prefix.rstrip(".") or "__all__"] = [str(m) for m in messages]
    return flat


class ApiBackedForm(forms.Form):
    """A form whose rules live in an API serializer; `field_paths` maps API paths to form fields."""

    field_paths: dict[str, str] = {}

    def add_api_errors(self, errors) -> None:
        for path, messages in _flatten_errors(errors).items():
            field = self.field_paths.get(path)
            for message in messages:
                if field in self.fields:
                    self.add_error(field, message)
                else:
                    self.add_error(None, message if path == "__all__" else f"{path}: {message}")

    def add_service_error(self, exc: NotulaError) -> None:
        if exc.fields:
            self.add_api_errors(exc.fields)
        else:
            self.add_error(None, exc.message)


class SendBotForm(ApiBackedForm):
    meeting_url = forms.CharField(
        required=False, widget=forms.URLInput(attrs={"placeholder": "https://meet.google.com/abc-defg-hij"})
    )
    bot_name = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": settings.DEFAULT_BOT_NAME}))
    when = forms.ChoiceField(
        choices=[("now", "Join now"), ("later", "Join at a time")], initial="now", widget=forms.RadioSelect
    )
    # The browser fills join_at with an ISO 8601 instant from the local date-time picker.
    join_at = forms.CharField(required=False, widget=forms.HiddenInput)
    join_at_local = forms.CharField(required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    # Choices are offered by the widget but checked by the API serializer, for the API's wording.
    transcription_backend = forms.CharField(
        required=False,
        widget=forms.Select(choices=[("", "Default")] + _choices(TranscriptionSettings().fields["backend"])),
    )
    transcription_model = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "default"}))
    transcription_language = forms.CharField(required=False, initial="en")
    recording_mode = forms.CharField(
        required=False, widget=forms.Select(choices=_choices(RecordingSettings().fields["mode"]))
    )
    # The organization's stored accounts (Google for Meet, Microsoft for Teams), offered by __init__.
    join_as = forms.CharField(required=False, widget=forms.Select(choices=[("", "A guest (not signed in)")]))

    field_paths = {
        "meeting_url": "meeting_url",
        "bot_name": "bot_name",
        "join_at": "join_at_local",
        "transcription.backend": "transcription_backend",
        "transcription.model": "transcription_model",
        "transcription.language": "transcription_language",
        "recording.mode": "recording_mode",
        "join_as": "join_as",
    }

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transcription_model"].widget.attrs["placeholder"] = settings.ASR_MODEL
        if organization is not None:
            accounts = [(a.id, f"{a.email} ({a.provider})") for a in bot_account_list(organization=organization)]
            self.fields["join_as"].widget.choices = [("", "A guest (not signed in)")] + accounts

    def api_payload(self) -> dict:
        """The request body the API would have received for this form."""
        data = self.cleaned_data
        payload: dict = {"meeting_url": data["meeting_url"].strip()}
        if data["bot_name"].strip():
            payload["bot_name"] = data["bot_name"].strip()
        if data["when"] == "later":
            payload["join_at"] = data["join_at"] or data["join_at_local"] or None
        transcription = {
            key: data[f"transcription_{key}"].strip()
            for key in ("backend", "model", "language")
            if data[f"transcription_{key}"].strip()
        }
        if transcription:
            payload["transcription"] = transcription
        if data["recording_mode"]:
            payload["recording"] = {"mode": data["recording_mode"]}
        if data["join_as"]:
            payload["join_as"] = data["join_as"]
        return payload

    def save(self, *, organization) -> Bot | None:
        """Create the bot as POST /api/v1/bots would; None with the errors on the form when refused."""
        if not self.is_valid():
            return None
        payload = self.api_payload()
        if "join_at" in payload and not payload["join_at"]:
            self.add_error("join_at_local", "Pick the date and time the bot should join.")
            return None
        serializer = BotCreateInput(data=payload)
        if not serializer.is_valid():
            self.add_api_errors(serializer.errors)
            return None
        try:
            return bot_create(organization=organization, **serializer.validated_data)
        except NotulaError as exc:
            self.add_service_error(exc)
            return None


class EndpointForm(ApiBackedForm):
    url = forms.CharField(required=False, widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks"}))
    event_types = forms.MultipleChoiceField(
        required=False,
        choices=[(t, t) for t in EventType.ALL],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every event type.",
    )
    format = forms.CharField(
        initial=WebhookEndpoint.Format.NATIVE, widget=forms.Select(choices=WebhookEndpoint.Format.choices)
    )
    description = forms.CharField(required=False)

    field_paths = {"url": "url", "event_types": "event_types", "format": "format", "description": "description"}

    def _validated(self) -> dict | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        payload = {
            "url": data["url"].strip(),
            "event_types": data["event_types"],
            "format": data["format"],
            "description": data["description"],
        }
        serializer = EndpointInput(data=payload)
        if not serializer.is_valid():
            self.add_api_errors(serializer.errors)
            return None
        return serializer.validated_data

    def create(self, *, organization) -> WebhookEndpoint | None:
        validated = self._validated()
        if validated is None:
            return None
        try:
            return endpoint_create(organization=organization, **validated)
        except NotulaError as exc:
            self.add_service_error(exc)
            return None

    def update(self, *, endpoint: WebhookEndpoint) -> WebhookEndpoint | None:
        validated = self._validated()
        if validated is None:
            return None
        try:
            return endpoint_update(endpoint=endpoint, **validated)
        except NotulaError as exc:
            self.add_service_error(exc)
            return None


class ApiKeyForm(forms.Form):
    name = forms.CharField(required=False, max_length=100, widget=forms.TextInput(attrs={"placeholder": "e.g. crm"}))
