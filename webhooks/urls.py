from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("staff/webhooks/", views.endpoints, name="endpoints"),
    path("staff/webhooks/<int:endpoint_id>/", views.edit, name="edit"),
    path("staff/webhooks/<int:endpoint_id>/delete/", views.delete, name="delete"),
    path("staff/webhooks/<int:endpoint_id>/deliveries/", views.deliveries, name="deliveries"),
    path(
        "staff/webhooks/deliveries/<int:delivery_id>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]
