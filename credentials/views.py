import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from awards.enums import AwardStatus
from awards.models import Award
from credentials import issuing, services
from credentials.forms import VerifyCredentialForm
from credentials.models import AwardCredential
from credentials.pdf import certificate_pdf_bytes
from credentials.verification import verify_token


def credential_response(issued, *, as_json: bool, filename: str = "") -> HttpResponse:
    if as_json:
        response = HttpResponse(
            json.dumps(issued.payload, ensure_ascii=False, indent=2),
            content_type="application/json",
        )
    else:
        response = HttpResponse(issued.token, content_type=issuing.MEDIA_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _award_for_holder(request, award_id: int) -> Award:
    award = get_object_or_404(
        Award.objects.select_related("contributor__user", "technology_area"), pk=award_id
    )
    if not request.user.has_perm("awards.view_certificate", award):
        raise PermissionDenied
    return award


@require_GET
def jwks(request):
    response = JsonResponse(services.jwks(as_of=timezone.now().date()))
    response["Content-Type"] = "application/jwk-set+json"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def issuer(request):
    profile = {"@context": [issuing.VC_CONTEXT, issuing.OB_CONTEXT]}
    profile.update(issuing.issuer_profile(issuing.site_base(request)))
    return JsonResponse(profile, json_dumps_params={"ensure_ascii": False})


@require_GET
def status_list(request):
    token, payload = services.status_list_credential(base=issuing.site_base(request))
    if request.GET.get("format") == "json":
        return JsonResponse(payload)
    response = HttpResponse(token, content_type=issuing.MEDIA_TYPE)
    response["Cache-Control"] = "no-cache"  # a revocation must show at once
    return response


@login_required
@require_GET
def download(request, award_id: int):
    award = _award_for_holder(request, award_id)
    issued = services.issue_credential(award=award, base=issuing.site_base(request))
    as_json = request.GET.get("format") == "json"
    suffix = "json" if as_json else "jwt"
    return credential_response(
        issued, as_json=as_json, filename=f"credential-{award.certificate_code}.{suffix}"
    )


@login_required
@require_GET
def certificate_pdf(request, award_id: int):
    award = _award_for_holder(request, award_id)
    base = issuing.site_base(request)
    response = HttpResponse(certificate_pdf_bytes(award=award, base=base), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{award.certificate_code}.pdf"'
    return response


def _award_state(award: Award, today) -> str:
    if award.status == AwardStatus.REVOKED:
        return "revoked"
    if award.status == AwardStatus.EXPIRED or award.ends_on < today:
        return "expired"
    if award.starts_on > today:
        return "upcoming"
    return "valid"


@require_GET
def verify(request, code: str):
    award = (
        Award.objects.select_related("contributor__user", "technology_area")
        .filter(certificate_code=code)
        .first()
    )
    if award is None:
        raise Http404
    verdict = None
    if AwardCredential.objects.filter(award=award).exists():
        # The award's credential as this site issues it, checked as any pasted one would be.
        base = issuing.site_base(request)
        issued = services.issue_credential(award=award, base=base)
        verdict = verify_token(issued.token, base=base, now=timezone.now())
    return render(
        request,
        "credentials/verify.html",
        {
            "award": award,
            "state": _award_state(award, timezone.localdate()),
            "verdict": verdict,
            "form": VerifyCredentialForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def verify_pasted(request):
    bound = request.method == "POST"
    form = VerifyCredentialForm(request.POST if bound else None, request.FILES if bound else None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verify_token(
            form.cleaned_data["credential"], base=issuing.site_base(request), now=timezone.now()
        )
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request,
        "credentials/verify_pasted.html",
        {"form": form, "verdict": verdict},
        status=status,
    )
