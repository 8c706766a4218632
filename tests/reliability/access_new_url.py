"""The project's URLs plus two nobody has classified (see test_access.py)."""

from django.http import HttpResponse
from django.urls import path

from mvptracker.urls import urlpatterns as project_patterns


def _page(request):
    return HttpResponse("new")


urlpatterns = [
    path("brand-new/", _page, name="brand_new_page"),
    path("admin/brand-new/", _page, name="brand_new_admin_page"),  # the admin's prefix rules
    *project_patterns,
]
