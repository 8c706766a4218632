"""Awards for staff: the list, granting, revoking and renewing; the certificate page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import staff_required
from accounts.scope import RegionScope
from awards.enums import AwardKind, AwardStatus
from awards.forms import AwardFilterForm, GrantForm, OptionalReasonForm, ReasonForm
from awards.models import Award
from awards.queries import PAGE_SIZE, awards_for_staff
from awards.services import AwardError, grant_award, renew_award, revoke_award
from awards.sharing import linkedin_add_url


@staff_required
@require_safe
def award_list(request):
    form = AwardFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    awards = awards_for_staff(
        scope=RegionScope.for_user(request.user),
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        category_slug=filters.get("area", ""),
        filter_region=filters.get("region", ""),
        before_id=filters.get("before"),
        limit=PAGE_SIZE + 1,
    )
    next_query = None
    if len(awards) > PAGE_SIZE:
        awards = awards[:PAGE_SIZE]
        query = request.GET.copy()
        query["before"] = awards[-1].pk
        next_query = query.urlencode()
    return render(
        request,
        "awards/award_list.html",
        {"awards": awards, "form": form, "next_query": next_query},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def award_grant(request):
    if request.method == "POST":
        form = GrantForm(request.POST)
        if form.is_valid():
            contributor = form.cleaned_data["contributor"]
            if not request.user.has_perm("awards.manage_contributor", contributor):
                raise PermissionDenied
            try:
                award = grant_award(
                    contributor=contributor,
                    kind=form.cleaned_data["kind"],
                    technology_area=form.cleaned_data["technology_area"],
                    starts_on=form.cleaned_data["starts_on"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except AwardError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Granted %(award)s.") % {"award": award})
                return redirect("awards:detail", award_id=award.pk)
    else:
        form = GrantForm(
            initial={
                "contributor": request.GET.get("contributor", ""),
                "kind": request.GET.get("kind", AwardKind.MVP),
                "starts_on": timezone.localdate(),
            }
        )
    return render(request, "awards/award_grant.html", {"form": form})


def _award_for(request, award_id) -> Award:
    award = get_object_or_404(
        Award.objects.select_related("contributor__user", "technology_area"), pk=award_id
    )
    if not request.user.has_perm("awards.manage_award", award):
        raise PermissionDenied
    return award


def _sharing(request, award: Award) -> dict:
    # The verification page belongs to ``credentials`` (above this app); only its URL is named.
    path = reverse("credentials:verify", kwargs={"code": award.certificate_code})
    verify_url = settings.SITE_URL + path if settings.SITE_URL else request.build_absolute_uri(path)
    return {
        "award": award,
        "verify_url": verify_url,
        "linkedin_url": linkedin_add_url(award=award, cert_url=verify_url),
    }


@staff_required
@require_safe
def award_detail(request, award_id: int):
    award = _award_for(request, award_id)
    events = award.events.select_related("actor").order_by("created_at", "pk")
    return render(
        request,
        "awards/award_detail.html",
        {
            **_sharing(request, award),
            "events": events,
            "revoke_form": ReasonForm(),
            "renew_form": OptionalReasonForm(),
            "can_renew": award.kind == AwardKind.MVP and award.status != AwardStatus.REVOKED,
        },
    )


@staff_required
@require_POST
def award_revoke(request, award_id: int):
    award = _award_for(request, award_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A revocation needs a reason."))
    else:
        try:
            revoke_award(award_id=award.pk, actor=request.user, reason=form.cleaned_data["reason"])
        except AwardError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The award was revoked."))
    return redirect("awards:detail", award_id=award.pk)


@staff_required
@require_POST
def award_renew(request, award_id: int):
    award = _award_for(request, award_id)
    form = OptionalReasonForm(request.POST)
    form.is_valid()
    try:
        new_award = renew_award(
            award_id=award.pk, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except AwardError as exc:
        messages.error(request, str(exc))
        return redirect("awards:detail", award_id=award.pk)
    messages.success(request, _("Renewed: %(award)s.") % {"award": new_award})
    return redirect("awards:detail", award_id=new_award.pk)


# ---------------------------------------------------------------- certificate, verification


@login_required
@require_safe
def certificate(request, award_id: int):
    award = get_object_or_404(
        Award.objects.select_related("contributor", "technology_area"), pk=award_id
    )
    if not request.user.has_perm("awards.view_certificate", award):
        raise PermissionDenied
    return render(request, "awards/certificate.html", _sharing(request, award))
