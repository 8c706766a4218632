"""View decorators for the roles every app's pages share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.rules import is_program_staff


def staff_required(view):
    """Program staff (global or regional); everyone else signed in gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_program_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
