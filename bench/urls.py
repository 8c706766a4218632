from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/hello", views.hello),
    path("bench/one-query", views.one_query),
    path("", include("mvptracker.urls")),
]
