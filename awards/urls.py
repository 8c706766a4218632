from django.urls import path

from awards import views

app_name = "awards"
urlpatterns = [
    path("awards/", views.award_list, name="list"),
    path("awards/grant/", views.award_grant, name="grant"),
    path("awards/<int:award_id>/", views.award_detail, name="detail"),
    path("awards/<int:award_id>/revoke/", views.award_revoke, name="revoke"),
    path("awards/<int:award_id>/renew/", views.award_renew, name="renew"),
    path("awards/<int:award_id>/certificate/", views.certificate, name="certificate"),
    path("awards/policy/", views.policy_detail, name="policy"),
    path("awards/policy/change/", views.policy_change, name="policy_change"),
    path("awards/mcc/", views.mcc_candidate_list, name="mcc_candidates"),
    path("awards/mcc/grant/", views.mcc_grant, name="mcc_grant"),
    path("awards/renewals/", views.renewal_queue, name="renewals"),
    path("awards/renewals/<int:review_id>/", views.renewal_detail, name="renewal_detail"),
    path("awards/renewals/<int:review_id>/decide/", views.renewal_decide, name="renewal_decide"),
    path("eligibility/", views.my_eligibility, name="my_eligibility"),
    path(
        "eligibility/<int:contributor_id>/",
        views.contributor_eligibility,
        name="contributor_eligibility",
    ),
    # The public verification page, /verify/<code>/, is credentials:verify (it checks the
    # award's Open Badges credential, which lives above this app).
]
