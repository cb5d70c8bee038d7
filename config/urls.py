from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from bots.media import media_file
from common.api import error_body
from common.middleware import is_api_path

api_v1 = [
    path("", include("bots.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("webhooks.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("deletion.api.urls")),
    path("", include("calendars.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("", RedirectView.as_view(url="/dashboard/"), name="root"),
    path("dashboard/", include("dashboard.urls")),
    # Push notifications from Google and Microsoft (checked against the channels Notula opened).
    path("calendars/", include("calendars.urls")),
    # The simulated meeting platform; its views answer 404 while NOTULA_SIMULATOR_ENABLED is off.
    path("simulator/", include("simulator.urls")),
    # Other vendors' APIs, each under its own prefix (compat/registry.py).
    path("", include("compat.urls")),
    path("healthz", lambda request: JsonResponse({"ok": True}), name="healthz"),
    # Recordings, documents and debug artefacts, to their organization only (a signed link, a key or a member).
    re_path(r"^media/(?P<path>.+)$", media_file, name="media"),
]


def _wants_json(request) -> bool:
    return is_api_path(request.path) or "json" in request.headers.get("Accept", "")


def handler400(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body("bad_request", "The request could not be read."), status=400)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler403(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body("permission_denied", "You may not do this."), status=403)
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: API clients authenticate with keys, never cookies, but a refusal still speaks JSON."""
    if _wants_json(request):
        return JsonResponse(error_body("csrf_failed", f"CSRF check failed: {reason}"), status=403)
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason)


def handler404(request, exception=None):
    if _wants_json(request):
        return JsonResponse(error_body("not_found", f"No such endpoint: {request.path}"), status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if _wants_json(request):
        return JsonResponse(error_body("internal_error", "Internal server error; the error was logged."), status=500)
    from django.views.defaults import server_error

    return server_error(request)


@csrf_exempt
def api_not_found(request, rest=""):
    # Exempt like every API view: an unknown path answers 404 whatever the method, not a CSRF page.
    return handler404(request)


# Keep last: unknown API paths answer the JSON error shape even with DEBUG on, where Django would
# otherwise render its HTML debug page.
urlpatterns += [re_path(r"^api/(?P<rest>.*)$", api_not_found)]
