"""The renewal queue: open reviews of MVP terms, their evidence and the decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import staff_required
from accounts.scope import RegionScope
from awards.enums import AwardKind, RenewalReviewStatus
from awards.forms import RenewalDecisionForm
from awards.models import EligibilityPolicy, RenewalReview
from awards.queries import PAGE_SIZE, evaluate_contributor, open_renewal_reviews, renewal_queue_rows
from awards.services import AwardError, decide_renewal


@staff_required
@require_safe
def renewal_queue(request):
    reviews = open_renewal_reviews(scope=RegionScope.for_user(request.user), limit=PAGE_SIZE)
    rows = renewal_queue_rows(reviews=reviews, policy=EligibilityPolicy.current())
    return render(request, "awards/renewal_queue.html", {"reviews": reviews, "rows": rows})


def _review_for(request, review_id) -> RenewalReview:
    review = get_object_or_404(
        RenewalReview.objects.select_related("award__contributor__user", "award__technology_area"),
        pk=review_id,
    )
    if not request.user.has_perm("awards.manage_award", review.award):
        raise PermissionDenied
    return review


@staff_required
@require_safe
def renewal_detail(request, review_id: int):
    review = _review_for(request, review_id)
    evaluation = evaluate_contributor(
        contributor=review.award.contributor,
        award_kind=AwardKind.MVP,
        category=review.award.technology_area,
        as_of=review.award.ends_on,
    )
    return render(
        request,
        "awards/renewal_detail.html",
        {
            "review": review,
            "evaluation": evaluation,
            "form": RenewalDecisionForm(),
            "is_open": review.status == RenewalReviewStatus.OPEN,
        },
    )


@staff_required
@require_POST
def renewal_decide(request, review_id: int):
    review = _review_for(request, review_id)
    form = RenewalDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))  # ErrorList yields message strings
        return redirect("awards:renewal_detail", review_id=review.pk)
    try:
        decide_renewal(
            review_id=review.pk,
            actor=request.user,
            renew=form.cleaned_data["decision"] == "renew",
            reason=form.cleaned_data["reason"],
        )
    except AwardError as exc:
        messages.error(request, str(exc))
        return redirect("awards:renewal_detail", review_id=review.pk)
    messages.success(request, _("Renewal decision saved."))
    return redirect("awards:renewals")
