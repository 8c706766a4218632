from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("me/sources/", views.source_list, name="sources"),
    path("me/sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("me/sources/<int:pk>/delete/", views.source_delete, name="source_delete"),
    path("me/sources/<int:pk>/fetch/", views.source_fetch, name="source_fetch"),
    path("me/sources/<int:pk>/status/", views.source_status, name="source_status"),
    path("me/inbox/", views.inbox, name="inbox"),
    path("me/inbox/accept/", views.accept_selected, name="accept_selected"),
    path("me/inbox/<int:pk>/accept/", views.draft_accept, name="accept"),
    path("me/inbox/<int:pk>/dismiss/", views.draft_dismiss, name="dismiss"),
    path("me/inbox/<int:pk>/edit/", views.draft_edit, name="edit"),
]
