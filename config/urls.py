from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.api import error_body

api_v1 = [
    path("", include("bots.api.urls")),
    path("", include("meetings.api.urls")),
    path("", include("webhooks.api.urls")),
    path("", include("accounts.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("", RedirectView.as_view(url="/dashboard/"), name="root"),
    path("dashboard/", include("dashboard.urls")),
    # The simulated meeting platform; its views answer 404 while NOTULA_SIMULATOR_ENABLED is off.
    path("simulator/", include("simulator.urls")),
    path("healthz", lambda request: JsonResponse({"ok": True}), name="healthz"),
    # Recordings and debug artefacts; self-hosted installs serve them from the app itself.
    re_path(r"^media/(?P<path>.*)$", lambda request, path: serve(request, path, document_root=settings.MEDIA_ROOT)),
]


def _wants_json(request) -> bool:
    return request.path.startswith(("/api/", "/simulator/api/")) or "json" in request.headers.get("Accept", "")


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


def api_not_found(request, rest=""):
    return handler404(request)


# Keep last: unknown API paths answer the JSON error shape even with DEBUG on, where Django would
# otherwise render its HTML debug page.
urlpatterns += [re_path(r"^api/(?P<rest>.*)$", api_not_found)]
