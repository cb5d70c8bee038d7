from django.urls import path

from calendars import views

urlpatterns = [
    path("push/google", views.google_notification, name="calendar-push-google"),
    path("push/microsoft", views.microsoft_notification, name="calendar-push-microsoft"),
]
