"""The eligibility policy (view and change with a what-if preview) and eligibility pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import staff_required
from awards.enums import AwardKind
from awards.forms import AsOfForm, PolicyForm
from awards.models import EligibilityPolicy
from awards.queries import PAGE_SIZE, evaluate_contributor
from awards.services import change_policy
from awards.views.requests import parse_as_of
from awards.what_if import policy_what_if
from contributions.models import Contributor

# ---------------------------------------------------------------- policy


@staff_required
@require_safe
def policy_detail(request):
    if not request.user.has_perm("awards.change_policy"):
        raise PermissionDenied
    current = EligibilityPolicy.current()
    history = list(
        EligibilityPolicy.objects.select_related("created_by").order_by("-pk")[:PAGE_SIZE]
    )
    fields = [
        # The threshold fields are concrete model fields, never relations.
        (EligibilityPolicy._meta.get_field(name).verbose_name, getattr(current, name))  # type: ignore[union-attr]
        for name in EligibilityPolicy.THRESHOLD_FIELDS
    ]
    return render(
        request,
        "awards/policy.html",
        {"current": current, "history": history, "fields": fields},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
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
@require_safe
def my_eligibility(request):
    contributor = get_object_or_404(Contributor, user=request.user)
    return _eligibility_page(request, contributor, own=True)


@staff_required
@require_safe
def contributor_eligibility(request, contributor_id: int):
    contributor = get_object_or_404(Contributor, pk=contributor_id)
    if not request.user.has_perm("awards.manage_contributor", contributor):
        raise PermissionDenied
    return _eligibility_page(request, contributor, own=False)
