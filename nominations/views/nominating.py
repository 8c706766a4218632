"""Nominating: one's own nominations, nominating an MVP's candidate, staff nominations
and self-applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nominations import queries
from nominations.enums import NominationSource
from nominations.forms import (
    ApplicationForm,
    NominationForm,
)
from nominations.views.base import apply_error, today
from nominations.workflow.base import NominationError
from nominations.workflow.submission import create_nomination


@login_required
@require_safe
def my_nominations(request):
    return render(
        request,
        "nominations/mine.html",
        {
            "mine": queries.nominations_for_user(request.user),
            "can_nominate": request.user.has_perm("nominations.nominate"),
        },
    )


def _nominate(request, *, source: str, title: str):
    form = NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = create_nomination(
                nominated_by=request.user,
                source=source,
                technology_area=data["technology_area"],
                reason=data["reason"],
                evidence_urls=data["evidence_urls"],
                candidate_email=data["candidate_email"],
                candidate_name=data["candidate_name"],
                as_of=today(),
            )
        except NominationError as exc:
            apply_error(form, exc)
        else:
            if result.merged:
                messages.info(
                    request,
                    _(
                        "%(name)s already has an open nomination in this category; "
                        "yours was added to it as an endorsement."
                    )
                    % {"name": result.nomination.candidate_name},
                )
            else:
                messages.success(request, _("Thank you: the nomination was submitted."))
            return redirect("nominations:detail", pk=result.nomination.pk)
    return render(
        request, "nominations/nominate.html", {"form": form, "title": title, "source": source}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominate(request):
    if not request.user.has_perm("nominations.nominate"):
        raise PermissionDenied
    return _nominate(request, source=NominationSource.MVP, title=_("Nominate someone"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_nominate(request):
    if not request.user.has_perm("nominations.nominate_as_staff"):
        raise PermissionDenied
    return _nominate(request, source=NominationSource.STAFF, title=_("Nominate directly"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = create_nomination(
                nominated_by=request.user,
                source=NominationSource.SELF,
                technology_area=data["technology_area"],
                reason=data["reason"],
                evidence_urls=data["evidence_urls"],
                as_of=today(),
            )
        except NominationError as exc:
            apply_error(form, exc)
        else:
            if result.merged:
                messages.info(request, _("Your support was added to your open nomination."))
                return redirect("nominations:detail", pk=result.nomination.pk)
            return redirect("nominations:complete", pk=result.nomination.pk)
    return render(
        request,
        "nominations/nominate.html",
        {"form": form, "title": _("Apply"), "source": NominationSource.SELF},
    )
