from django.urls import path

from ops import views

app_name = "ops"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("awards/jobs/", views.job_runs, name="job_runs"),
]
