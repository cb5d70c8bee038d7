from django.urls import path

from webhooks.api import views

urlpatterns = [
    path("webhooks", views.EndpointListView.as_view(), name="webhook-list"),
    path(
        "webhooks/deliveries/<str:delivery_id>/redeliver",
        views.DeliveryRedeliverView.as_view(),
        name="webhook-delivery-redeliver",
    ),
    path("webhooks/<str:endpoint_id>", views.EndpointDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<str:endpoint_id>/deliveries", views.EndpointDeliveriesView.as_view(), name="webhook-deliveries"),
    path("webhooks/<str:endpoint_id>/test", views.EndpointTestView.as_view(), name="webhook-test"),
]
