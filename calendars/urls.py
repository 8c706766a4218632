from django.urls import path

from calendars import views

app_name = "calendars"
urlpatterns = [
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("settings/calendar/", views.settings_page, name="settings"),
    path("settings/calendar/revoke/", views.revoke, name="revoke"),
]
