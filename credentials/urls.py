from django.urls import path

from credentials import views

app_name = "credentials"
urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("credentials/issuer/", views.issuer, name="issuer"),
    path("credentials/status/1", views.status_list, name="status_list"),
    path("awards/<int:award_id>/credential.jwt", views.download, name="download"),
    path("awards/<int:award_id>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/", views.verify_pasted, name="verify_pasted"),
    # Certificate codes are URL-safe tokens; anything else is a 404 before it reaches a query.
    path("verify/<slug:code>/", views.verify, name="verify"),
]
