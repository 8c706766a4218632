"""One nomination: its page, withdrawing, deciding, assigning reviewers and reviewing,
and a reviewer's assignments."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.enums import Role
from nominations import queries
from nominations.forms import (
    AssignForm,
    DecisionForm,
    ReviewForm,
    WithdrawForm,
)
from nominations.views.base import apply_error, get_nomination, today
from nominations.workflow.base import NominationError
from nominations.workflow.decisions import (
    transition_nomination,
    withdraw_nomination,
)
from nominations.workflow.panel import (
    assign_reviewer,
    auto_assign_reviewers,
    reviewers_without_conflict,
    submit_review,
)


@login_required
@require_safe
def detail(request, pk: int):
    nomination = get_nomination(request, pk, "nominations.view_nomination")
    user = request.user
    can_manage = user.has_perm("nominations.manage_nomination", nomination)
    page = queries.nomination_page(nomination=nomination, as_of=today(), with_panel=can_manage)
    context = {
        "nomination": nomination,
        "page": page,
        "can_manage": can_manage,
        "can_decide": user.has_perm("nominations.decide_nomination", nomination),
        "can_withdraw": user.has_perm("nominations.withdraw_nomination", nomination),
        "can_complete": user.has_perm("nominations.complete_nomination", nomination)
        and nomination.candidate_completed_at is None,
        "can_review": user.has_perm("nominations.review_nomination", nomination),
        "chart": page.chart_data(),
        "is_candidate": nomination.candidate and nomination.candidate.user_id == user.pk,
    }
    if can_manage:
        context["decision_form"] = DecisionForm()
        context["assign_form"] = AssignForm(reviewers=_eligible_reviewers(nomination))
    if context["can_withdraw"]:
        context["withdraw_form"] = WithdrawForm()
    return render(request, "nominations/detail.html", context)


def _eligible_reviewers(nomination):
    taken = nomination.assignments.values("reviewer_id")
    return reviewers_without_conflict(nomination).exclude(pk__in=taken).order_by("email")


@login_required
@require_POST
def withdraw(request, pk: int):
    nomination = get_nomination(request, pk, "nominations.withdraw_nomination")
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        withdraw_nomination(
            nomination_id=nomination.pk,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            as_of=today(),
        )
    except NominationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The nomination was withdrawn."))
    return redirect("nominations:detail", pk=nomination.pk)


@login_required
@require_POST
def decide(request, pk: int):
    nomination = get_nomination(request, pk, "nominations.manage_nomination")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose award or decline and give a reason."))
        return redirect("nominations:detail", pk=nomination.pk)
    try:
        transition_nomination(
            nomination_id=nomination.pk,
            to_status=form.cleaned_data["decision"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            as_of=today(),
        )
    except NominationError as exc:
        # Also the conflict when someone else decided first: say so, change nothing.
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("nominations:detail", pk=nomination.pk)


@login_required
@require_POST
def assign(request, pk: int):
    nomination = get_nomination(request, pk, "nominations.manage_nomination")
    User = get_user_model()
    form = AssignForm(request.POST, reviewers=User.objects.filter(rolegrant__role=Role.REVIEWER))
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer."))
        return redirect("nominations:detail", pk=nomination.pk)
    try:
        if form.cleaned_data["reviewer"] is not None:
            assign_reviewer(
                nomination_id=nomination.pk,
                reviewer=form.cleaned_data["reviewer"],
                actor=request.user,
                as_of=today(),
            )
            messages.success(request, _("Reviewer assigned."))
        else:
            added = auto_assign_reviewers(
                nomination_id=nomination.pk, actor=request.user, as_of=today()
            )
            messages.success(
                request, _("%(n)d reviewers assigned automatically.") % {"n": len(added)}
            )
    except NominationError as exc:
        messages.error(request, exc.message)
    return redirect("nominations:detail", pk=nomination.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, pk: int):
    nomination = get_nomination(request, pk, "nominations.review_nomination")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_review(
                nomination_id=nomination.pk,
                reviewer=request.user,
                as_of=today(),
                **form.cleaned_data,
            )
        except NominationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Thank you: your review was saved."))
            return redirect("nominations:my_reviews")
    page = queries.nomination_page(nomination=nomination, as_of=today(), with_panel=False)
    return render(
        request,
        "nominations/review.html",
        {"nomination": nomination, "form": form, "page": page, "chart": page.chart_data()},
    )


@login_required
@require_safe
def my_reviews(request):
    if not request.user.has_perm("nominations.view_reviews"):
        raise PermissionDenied
    return render(
        request,
        "nominations/my_reviews.html",
        {"assignments": queries.assignments_for_reviewer(request.user)},
    )
