from django.urls import path

from webhooks.api import views

urlpatterns = [
    path("webhooks", views.EndpointListView.as_view(), name="webhook-list"),
    path("webhooks/<str:endpoint_id>", views.EndpointDetailView.as_view(), name="webhook-detail"),
]
