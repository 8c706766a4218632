from django.urls import path

from nominations import views

app_name = "nominations"
urlpatterns = [
    path("nominations/", views.my_nominations, name="mine"),
    path("nominations/new/", views.nominate, name="nominate"),
    path("nominations/apply/", views.apply, name="apply"),
    path("nominations/staff/new/", views.staff_nominate, name="staff_nominate"),
    path("nominations/invitation/<str:token>/", views.invitation, name="invitation"),
    path("nominations/<int:pk>/", views.detail, name="detail"),
    path("nominations/<int:pk>/complete/", views.complete, name="complete"),
    path("nominations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("nominations/<int:pk>/decide/", views.decide, name="decide"),
    path("nominations/<int:pk>/assign/", views.assign, name="assign"),
    path("nominations/<int:pk>/review/", views.review, name="review"),
    path("nominations/reviews/", views.my_reviews, name="my_reviews"),
    path("nominations/queue/", views.queue, name="queue"),
    path("nominations/queue/decide/", views.bulk_decide, name="bulk_decide"),
    path("nominations/queue/export.csv", views.export_csv, name="export"),
    path("nominations/metrics/", views.metrics, name="metrics"),
]
