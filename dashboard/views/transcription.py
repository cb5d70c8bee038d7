"""Transcription: the organization's cloud provider keys (added, replaced, deleted; never shown again)
and its default backend. Input goes through the API's serializers and services."""

from django.contrib import messages
from django.shortcuts import render

from accounts import transcription_keys
from accounts.api.serializers import TranscriptionKeyInput
from accounts.api.transcription_default import TranscriptionDefaultInput
from accounts.models import TranscriptionKey
from accounts.transcription_default import transcription_default_get, transcription_default_set
from bots.api.serializers import BOT_ASR_BACKEND_CHOICES
from dashboard.tenancy import dashboard_view
from dashboard.views.common import back, dashboard_action
from meetings.asr_choices import LANGUAGE_CHOICES

PAGE = "/dashboard/transcription/"


def _errors(serializer) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in serializer.errors.items())


@dashboard_view
def transcription_page(request):
    organization = request.organization
    response = render(
        request,
        "dashboard/transcription.html",
        {
            "keys": transcription_keys.transcription_key_list_with_hints(organization=organization),
            "providers": TranscriptionKey.Provider.choices,
            "backends": BOT_ASR_BACKEND_CHOICES,
            "languages": LANGUAGE_CHOICES,
            "default": transcription_default_get(organization=organization),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@dashboard_action(fallback=PAGE)
def transcription_key_save(request):
    data = TranscriptionKeyInput(
        data={"provider": request.POST.get("provider"), "api_key": request.POST.get("api_key")}
    )
    if not data.is_valid():
        messages.error(request, _errors(data))
        return back(request, PAGE)
    transcription_keys.transcription_key_set(organization=request.organization, **data.validated_data)
    messages.success(request, f"The {data.validated_data['provider']} key was stored; it is not shown again.")
    return back(request, PAGE)


@dashboard_action(fallback=PAGE)
def transcription_key_remove(request, provider: str):
    transcription_keys.transcription_key_delete(organization=request.organization, provider=provider)
    messages.success(request, f"The {provider} key was deleted.")
    return back(request, PAGE)


@dashboard_action(fallback=PAGE)
def transcription_default_save(request):
    backend = request.POST.get("backend") or None
    given = {"backend": backend}
    if backend:
        given.update({name: request.POST.get(name) or None for name in ("model", "language")})
    data = TranscriptionDefaultInput(data=given)
    if not data.is_valid():
        messages.error(request, _errors(data))
        return back(request, PAGE)
    chosen = transcription_default_set(organization=request.organization, **data.validated_data)
    messages.success(request, f"New bots now use {chosen['backend'] or 'the server default'}.")
    return back(request, PAGE)
