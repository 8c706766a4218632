from django.urls import path

from contributions import views

app_name = "contributions"
# Handles are slugs (see handle_validator): anything else is a 404 before it reaches a query
# (a NUL byte would make PostgreSQL refuse the query: a 500).
urlpatterns = [
    path("u/<slug:handle>/", views.public_profile, name="public_profile"),
    path("me/profile/", views.profile_edit, name="profile"),
    path("me/contributions/", views.contribution_list, name="list"),
    path("me/contributions/new/", views.contribution_create, name="create"),
    path("me/contributions/<int:pk>/edit/", views.contribution_edit, name="edit"),
    path("me/contributions/<int:pk>/duplicate/", views.contribution_duplicate, name="duplicate"),
    path("me/contributions/<int:pk>/delete/", views.contribution_delete, name="delete"),
    path("me/window/", views.my_window, name="window"),
    path("me/import/", views.import_upload, name="import"),
    path("me/import/template.csv", views.import_template, name="import_template"),
    path("me/import/preview/", views.import_preview, name="import_preview"),
    path("me/import/confirm/", views.import_confirm, name="import_confirm"),
    path("me/import/cancel/", views.import_cancel, name="import_cancel"),
    path("me/export/", views.export_page, name="export"),
    path("me/export/contributions.csv", views.export_contributions_csv, name="export_csv"),
    path("me/export/profile.csv", views.export_profile_csv, name="export_profile_csv"),
    path("me/export/export.json", views.export_json, name="export_json"),
    path("contributors/", views.contributor_list, name="contributors"),
    path("contributors/<slug:handle>/", views.contributor_log, name="contributor_log"),
    path("contributors/<slug:handle>/window/", views.contributor_window, name="contributor_window"),
    path("contributions/<int:pk>/verify/", views.contribution_verify, name="verify"),
]
