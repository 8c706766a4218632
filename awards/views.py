"""Award pages. Views read through queries, write through services, ask rules for permission."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_required
from accounts.rules import is_global_staff
from awards.eligibility import evaluate_contributor
from awards.enums import AwardKind, AwardStatus, RenewalReviewStatus
from awards.forms import (
    AsOfForm,
    AwardFilterForm,
    GrantForm,
    McCGrantForm,
    OptionalReasonForm,
    PolicyForm,
    ReasonForm,
    RenewalDecisionForm,
)
from awards.models import Award, EligibilityPolicy, RenewalReview
from awards.queries import (
    PAGE_SIZE,
    awards_for_staff,
    mcc_candidates,
    open_renewal_reviews,
    policy_what_if,
    renewal_queue_rows,
)
from awards.services import (
    AwardError,
    change_policy,
    decide_renewal,
    grant_award,
    grant_mcc_to_many,
    renew_award,
    revoke_award,
)
from awards.sharing import linkedin_add_url
from contributions.models import Contributor


def scope_region(user) -> str | None:
    """None for global staff (every region); a regional manager's region otherwise."""
    return None if is_global_staff(user) else (user.managed_region or "-")


def parse_as_of(request) -> date:
    form = AsOfForm(request.GET)
    if form.is_valid() and form.cleaned_data["as_of"]:
        return form.cleaned_data["as_of"]
    return timezone.localdate()


# ---------------------------------------------------------------- policy


@staff_required
@require_GET
def policy_detail(request):
    if not request.user.has_perm("awards.change_policy"):
        raise PermissionDenied
    current = EligibilityPolicy.current()
    history = list(
        EligibilityPolicy.objects.select_related("created_by").order_by("-pk")[:PAGE_SIZE]
    )
    fields = [
        (EligibilityPolicy._meta.get_field(name).verbose_name, getattr(current, name))
        for name in EligibilityPolicy.THRESHOLD_FIELDS
    ]
    return render(
        request,
        "awards/policy.html",
        {"current": current, "history": history, "fields": fields},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def policy_change(request):
    """Preview first (how many gain / lose eligibility today), then save the same values."""
    if not request.user.has_perm("awards.change_policy"):
        raise PermissionDenied
    current = EligibilityPolicy.current()
    preview = None
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            fingerprint = form.fingerprint(current.pk)
            if "save" in request.POST and form.cleaned_data["confirmation"] == fingerprint:
                policy = change_policy(
                    actor=request.user, note=form.cleaned_data["note"], **form.thresholds()
                )
                messages.success(
                    request, _("Policy version %(version)s saved.") % {"version": policy.pk}
                )
                return redirect("awards:policy")
            if "save" in request.POST:
                messages.info(
                    request,
                    _(
                        "The values or the current version changed since the preview: "
                        "check it again."
                    ),
                )
            preview = policy_what_if(
                proposed=EligibilityPolicy(**form.thresholds()),
                current=current,
                as_of=timezone.localdate(),
            )
            data = request.POST.copy()
            data["confirmation"] = fingerprint
            form = PolicyForm(data)
            form.is_valid()
    else:
        form = PolicyForm(
            initial={name: getattr(current, name) for name in EligibilityPolicy.THRESHOLD_FIELDS}
        )
    return render(
        request, "awards/policy_change.html", {"form": form, "current": current, "preview": preview}
    )


# ---------------------------------------------------------------- eligibility


def _eligibility_page(request, contributor, *, own: bool):
    as_of = parse_as_of(request)
    mcc = evaluate_contributor(contributor=contributor, award_kind=AwardKind.MCC, as_of=as_of)
    return render(
        request,
        "awards/eligibility.html",
        {
            "contributor": contributor,
            "as_of": as_of,
            "mcc": mcc,
            "own": own,
            "form": AsOfForm(initial={"as_of": as_of}),
        },
    )


@login_required
@require_GET
def my_eligibility(request):
    contributor = get_object_or_404(Contributor, user=request.user)
    return _eligibility_page(request, contributor, own=True)


@staff_required
@require_GET
def contributor_eligibility(request, contributor_id: int):
    contributor = get_object_or_404(Contributor, pk=contributor_id)
    if not request.user.has_perm("awards.manage_contributor", contributor):
        raise PermissionDenied
    return _eligibility_page(request, contributor, own=False)


# ---------------------------------------------------------------- awards (staff)


@staff_required
@require_GET
def award_list(request):
    form = AwardFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    awards = awards_for_staff(
        region=scope_region(request.user),
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
@require_http_methods(["GET", "POST"])
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
@require_GET
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


# ---------------------------------------------------------------- MCC candidates


@staff_required
@require_GET
def mcc_candidate_list(request):
    policy = EligibilityPolicy.current()
    as_of = timezone.localdate()
    after = request.GET.get("after")
    candidates = mcc_candidates(
        as_of=as_of,
        policy=policy,
        region=scope_region(request.user),
        after_id=int(after) if after and after.isdigit() else None,
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
    region = scope_region(request.user)
    if region is not None:
        allowed = set(
            Contributor.objects.filter(pk__in=ids, region=region).values_list("pk", flat=True)
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


# ---------------------------------------------------------------- renewals


@staff_required
@require_GET
def renewal_queue(request):
    reviews = open_renewal_reviews(region=scope_region(request.user), limit=PAGE_SIZE)
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
@require_GET
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
                messages.error(request, error)
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


# ---------------------------------------------------------------- certificate, verification


@login_required
@require_GET
def certificate(request, award_id: int):
    award = get_object_or_404(
        Award.objects.select_related("contributor", "technology_area"), pk=award_id
    )
    if not request.user.has_perm("awards.view_certificate", award):
        raise PermissionDenied
    return render(request, "awards/certificate.html", _sharing(request, award))
