"""The project's URLs plus views that fail, to see the error pages as a visitor sees them."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a forged header")


urlpatterns = [
    path("fails", fails),
    path("api/v1/fails", fails),
    path("forbidden", forbidden),
    path("suspicious", suspicious),
    *project_urlpatterns,
]
