from django.apps import apps
from django.conf import settings
from django.shortcuts import render

from dashboard.tenancy import dashboard_view


def simulator_available() -> bool:
    return settings.SIMULATOR_ENABLED and apps.is_installed("simulator")


@dashboard_view
def simulator_page(request):
    return render(request, "dashboard/simulator.html", {"available": simulator_available()})
