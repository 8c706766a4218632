from django.urls import path

from nominations.views import candidate, nominating, nomination, staff

app_name = "nominations"
urlpatterns = [
    path("nominations/", nominating.my_nominations, name="mine"),
    path("nominations/new/", nominating.nominate, name="nominate"),
    path("nominations/apply/", nominating.apply, name="apply"),
    path("nominations/staff/new/", nominating.staff_nominate, name="staff_nominate"),
    path("nominations/invitation/<str:token>/", candidate.invitation, name="invitation"),
    path("nominations/<int:pk>/", nomination.detail, name="detail"),
    path("nominations/<int:pk>/complete/", candidate.complete, name="complete"),
    path("nominations/<int:pk>/withdraw/", nomination.withdraw, name="withdraw"),
    path("nominations/<int:pk>/decide/", nomination.decide, name="decide"),
    path("nominations/<int:pk>/assign/", nomination.assign, name="assign"),
    path("nominations/<int:pk>/review/", nomination.review, name="review"),
    path("nominations/reviews/", nomination.my_reviews, name="my_reviews"),
    path("nominations/queue/", staff.queue, name="queue"),
    path("nominations/queue/decide/", staff.bulk_decide, name="bulk_decide"),
    path("nominations/queue/export.csv", staff.export_csv, name="export"),
    path("nominations/metrics/", staff.metrics, name="metrics"),
]
