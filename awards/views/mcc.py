"""MCC candidates: who meets the forum thresholds, and granting the status to several at once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import staff_required
from accounts.scope import RegionScope
from awards.forms import McCGrantForm
from awards.models import EligibilityPolicy
from awards.queries import PAGE_SIZE, mcc_candidates
from awards.services import grant_mcc_to_many
from common.ids import parse_id
from contributions.models import Contributor


@staff_required
@require_safe
def mcc_candidate_list(request):
    policy = EligibilityPolicy.current()
    as_of = timezone.localdate()
    after = request.GET.get("after")
    candidates = mcc_candidates(
        as_of=as_of,
        policy=policy,
        scope=RegionScope.for_user(request.user),
        after_id=parse_id(after),
        limit=PAGE_SIZE + 1,
    )
    next_after = None
    if len(candidates) > PAGE_SIZE:
        candidates = candidates[:PAGE_SIZE]
        next_after = candidates[-1].contributor_id
    return render(
        request,
        "awards/mcc_candidates.html",
        {"candidates": candidates, "policy": policy, "as_of": as_of, "next_after": next_after},
    )


@staff_required
@require_POST
def mcc_grant(request):
    form = McCGrantForm(request.POST)
    if not form.is_valid() or not form.chosen_ids():
        messages.error(request, _("Choose at least one contributor and a start date."))
        return redirect("awards:mcc_candidates")
    ids = form.chosen_ids()
    scope = RegionScope.for_user(request.user)
    if not scope.all_regions:
        allowed = set(
            scope.filter(Contributor.objects.filter(pk__in=ids)).values_list("pk", flat=True)
        )
        if set(ids) - allowed:
            raise PermissionDenied
    result = grant_mcc_to_many(
        contributor_ids=ids,
        starts_on=form.cleaned_data["starts_on"],
        actor=request.user,
        reason=_("Recent online forum activity"),
    )
    if result.granted:
        messages.success(
            request,
            _("MCC granted: %(count)s.") % {"count": len(result.granted)},
        )
    for contributor_id, why in result.skipped:
        messages.warning(
            request,
            _("Skipped contributor %(id)s: %(why)s") % {"id": contributor_id, "why": why},
        )
    return redirect("awards:mcc_candidates")
