"""Each dialect's paths under its own prefix (compat/registry.py); included by config/urls.py."""

from django.urls import include, path

from compat.registry import DIALECTS, dialect_prefix

urlpatterns = [
    path(dialect_prefix(vendor).lstrip("/") + "/", include(module)) for vendor, (module, _) in DIALECTS.items()
]
