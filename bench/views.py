from django.contrib.auth import get_user_model
from django.http import HttpResponse


def hello(request):
    return HttpResponse("ok", content_type="text/plain")


def one_query(request):
    """One indexed query: a primary-key lookup."""
    email = get_user_model().objects.filter(pk=1).values_list("email", flat=True).first()
    return HttpResponse(email or "", content_type="text/plain")
