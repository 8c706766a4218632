"""What the nomination pages share: today's date, loading a nomination the person may act on,
and showing a workflow error on its form."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nominations.models import Nomination
from nominations.workflow.base import NominationError


def today():
    return timezone.localdate()


def get_nomination(request, pk: int, perm: str) -> Nomination:
    """The nomination if the person may ``perm`` it; 404 if they may not even see it."""
    nomination = get_object_or_404(
        Nomination.objects.select_related(
            "technology_area", "candidate", "candidate__user", "nominated_by", "award"
        ),
        pk=pk,
    )
    if not request.user.has_perm("nominations.view_nomination", nomination):
        raise Http404
    if perm != "nominations.view_nomination" and not request.user.has_perm(perm, nomination):
        raise PermissionDenied
    return nomination


def apply_error(form, exc: NominationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
