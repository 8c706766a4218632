from django.urls import include, path

from bench import views

# The app's own error pages, as under mvptracker.urls (Django looks them up on the root URLconf).
from mvptracker.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("bench/hello", views.hello),
    path("bench/one-query", views.one_query),
    path("", include("mvptracker.urls")),
]
