from django.urls import path

from calendars.api import views

urlpatterns = [
    path("calendars", views.CalendarListView.as_view(), name="calendar-list"),
    path("calendars/<str:calendar_id>", views.CalendarDetailView.as_view(), name="calendar-detail"),
    path("calendars/<str:calendar_id>/resync", views.CalendarResyncView.as_view(), name="calendar-resync"),
    path("calendar-events", views.CalendarEventListView.as_view(), name="calendar-event-list"),
    path("calendar-events/<str:event_id>", views.CalendarEventDetailView.as_view(), name="calendar-event-detail"),
    path("calendar-events/<str:event_id>/bot", views.CalendarEventBotView.as_view(), name="calendar-event-bot"),
]
