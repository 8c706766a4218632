"""The candidate's pages: the invitation link and completing the nomination."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.eligibility import known_ineligibility
from nominations import queries
from nominations.forms import (
    CompletionForm,
)
from nominations.views.base import apply_error, get_nomination, today
from nominations.workflow.base import NominationError
from nominations.workflow.candidate import accept_invitation, complete_nomination


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token: str):
    """The link from the invitation email. Anonymous visitors are asked to sign up or log in
    and come back; a signed-in person accepts it with a POST (it works once)."""
    if request.method == "POST" and request.user.is_authenticated:
        try:
            nomination = accept_invitation(token=token, user=request.user, as_of=today())
        except NominationError as exc:
            messages.error(request, exc.message)
            return render(
                request, "nominations/invitation.html", {"error": exc.message}, status=400
            )
        return redirect("nominations:complete", pk=nomination.pk)
    return render(request, "nominations/invitation.html", {"next": request.path})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def complete(request, pk: int):
    nomination = get_nomination(request, pk, "nominations.complete_nomination")
    contributor = nomination.candidate
    assert contributor is not None  # complete_nomination is granted to the candidate only
    form = CompletionForm(
        request.POST or None,
        initial={
            "date_of_birth": contributor.date_of_birth,
            "employer_category": contributor.employer_category,
            "employer_name": contributor.employer_name,
        },
    )
    problems = known_ineligibility(contributor=contributor, as_of=today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complete_nomination(
                nomination_id=nomination.pk,
                user=request.user,
                date_of_birth=data["date_of_birth"],
                employer_category=data["employer_category"],
                employer_name=data["employer_name"],
                as_of=today(),
            )
        except NominationError as exc:
            apply_error(form, exc)
            contributor.refresh_from_db()
            problems = known_ineligibility(contributor=contributor, as_of=today())
        else:
            messages.success(request, _("Thank you: your nomination is complete."))
            return redirect("nominations:detail", pk=nomination.pk)
    page = queries.nomination_page(nomination=nomination, as_of=today(), with_panel=False)
    return render(
        request,
        "nominations/complete.html",
        {"nomination": nomination, "form": form, "page": page, "problems": problems},
    )
