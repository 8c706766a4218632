"""Request checks that apply to every page and the API alike."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from common.problems import problem_response


class RejectNullCharactersMiddleware:
    """A NUL character in the path or the query string is a 400 before any view reads it.

    No real link or search term holds one, and PostgreSQL refuses it in any text comparison,
    so a view that looked a handle, code or search up with it would answer a 500. Form bodies
    need no such check: every form field refuses NUL characters itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return problem_response(400, _("Null characters are not allowed."))
            raise BadRequest("NUL character in the URL")
        return self.get_response(request)
