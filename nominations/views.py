"""Nomination pages. Every write goes through nominations.workflow; every read through
nominations.queries; every permission through the rules in nominations.rules."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.enums import Role
from nominations import queries
from nominations.enums import NominationSource
from nominations.forms import (
    ApplicationForm,
    AssignForm,
    BulkDecisionForm,
    CompletionForm,
    DecisionForm,
    NominationForm,
    QueueFilterForm,
    ReviewForm,
    WithdrawForm,
)
from nominations.models import Nomination
from nominations.workflow import (
    NominationError,
    accept_invitation,
    assign_reviewer,
    auto_assign_reviewers,
    complete_nomination,
    create_nomination,
    decide_nominations,
    ineligibility_reasons,
    reviewers_without_conflict,
    submit_review,
    transition_nomination,
    withdraw_nomination,
)

CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _today():
    return timezone.localdate()


def _get(request, pk: int, perm: str) -> Nomination:
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


def _apply_error(form, exc: NominationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- nominating ----------------------------------------------------------------------------


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
                as_of=_today(),
            )
        except NominationError as exc:
            _apply_error(form, exc)
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
                as_of=_today(),
            )
        except NominationError as exc:
            _apply_error(form, exc)
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


# --- the candidate -------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token: str):
    """The link from the invitation email. Anonymous visitors are asked to sign up or log in
    and come back; a signed-in person accepts it with a POST (it works once)."""
    if request.method == "POST" and request.user.is_authenticated:
        try:
            nomination = accept_invitation(token=token, user=request.user, as_of=_today())
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
    nomination = _get(request, pk, "nominations.complete_nomination")
    contributor = nomination.candidate
    form = CompletionForm(
        request.POST or None,
        initial={
            "date_of_birth": contributor.date_of_birth,
            "employer_category": contributor.employer_category,
            "employer_name": contributor.employer_name,
        },
    )
    problems = ineligibility_reasons(contributor=contributor, as_of=_today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complete_nomination(
                nomination_id=nomination.pk,
                user=request.user,
                date_of_birth=data["date_of_birth"],
                employer_category=data["employer_category"],
                employer_name=data["employer_name"],
                as_of=_today(),
            )
        except NominationError as exc:
            _apply_error(form, exc)
            contributor.refresh_from_db()
            problems = ineligibility_reasons(contributor=contributor, as_of=_today())
        else:
            messages.success(request, _("Thank you: your nomination is complete."))
            return redirect("nominations:detail", pk=nomination.pk)
    page = queries.nomination_page(nomination=nomination, as_of=_today(), with_panel=False)
    return render(
        request,
        "nominations/complete.html",
        {"nomination": nomination, "form": form, "page": page, "problems": problems},
    )


# --- one nomination ------------------------------------------------------------------------


@login_required
@require_safe
def detail(request, pk: int):
    nomination = _get(request, pk, "nominations.view_nomination")
    user = request.user
    can_manage = user.has_perm("nominations.manage_nomination", nomination)
    page = queries.nomination_page(nomination=nomination, as_of=_today(), with_panel=can_manage)
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
        "is_candidate": nomination.candidate_id and nomination.candidate.user_id == user.pk,
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
    nomination = _get(request, pk, "nominations.withdraw_nomination")
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        withdraw_nomination(
            nomination_id=nomination.pk,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            as_of=_today(),
        )
    except NominationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The nomination was withdrawn."))
    return redirect("nominations:detail", pk=nomination.pk)


@login_required
@require_POST
def decide(request, pk: int):
    nomination = _get(request, pk, "nominations.manage_nomination")
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
            as_of=_today(),
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
    nomination = _get(request, pk, "nominations.manage_nomination")
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
                as_of=_today(),
            )
            messages.success(request, _("Reviewer assigned."))
        else:
            added = auto_assign_reviewers(
                nomination_id=nomination.pk, actor=request.user, as_of=_today()
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
    nomination = _get(request, pk, "nominations.review_nomination")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_review(
                nomination_id=nomination.pk,
                reviewer=request.user,
                as_of=_today(),
                **form.cleaned_data,
            )
        except NominationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Thank you: your review was saved."))
            return redirect("nominations:my_reviews")
    page = queries.nomination_page(nomination=nomination, as_of=_today(), with_panel=False)
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


# --- the staff queue -----------------------------------------------------------------------


def _queue_filters(request) -> tuple[QueueFilterForm, queries.QueueFilters, str]:
    form = QueueFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.QueueFilters(
            status=data["status"],
            area=data["area"].pk if data["area"] else None,
            region=data["region"],
            source=data["source"],
            days_left=data["days_left"],
        )
        return form, filters, data["sort"] or "due"
    return form, queries.QueueFilters(), "due"


@login_required
@require_safe
def queue(request):
    if not request.user.has_perm("nominations.view_queue"):
        raise PermissionDenied
    form, filters, sort = _queue_filters(request)
    page = queries.nomination_queue(
        user=request.user,
        filters=filters,
        as_of=_today(),
        sort=sort,
        cursor=request.GET.get("cursor", ""),
    )
    params = request.GET.copy()
    params.pop("cursor", None)
    next_url = ""
    if page.next_cursor:
        params["cursor"] = page.next_cursor
        next_url = f"?{params.urlencode()}"
    params.pop("cursor", None)
    # Link and checkbox label per row made here: a {% url %} and a {% blocktranslate %} per
    # row were most of the table's rendering time.
    rows = [
        (
            row,
            reverse("nominations:detail", args=[row.id]),
            _("Select %(name)s") % {"name": row.candidate_name},
        )
        for row in page.rows
    ]
    return render(
        request,
        "nominations/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "next_url": next_url,
            "export_url": f"{reverse('nominations:export')}?{params.urlencode()}",
            "bulk_form": BulkDecisionForm(),
            "tab": "queue",
        },
    )


@login_required
@require_POST
def bulk_decide(request):
    if not request.user.has_perm("nominations.view_queue"):
        raise PermissionDenied
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Select nominations, choose award or decline and give a reason."))
        return redirect("nominations:queue")
    # Only ids the person may act on (regional managers: their region).
    allowed = list(
        queries.queue_scope(request.user)
        .filter(pk__in=form.cleaned_data["ids"])
        .values_list("pk", flat=True)
    )
    decided, refused = decide_nominations(
        nomination_ids=allowed,
        to_status=form.cleaned_data["decision"],
        actor=request.user,
        reason=form.cleaned_data["reason"],
        as_of=_today(),
    )
    if decided:
        messages.success(request, _("%(n)d decisions recorded.") % {"n": len(decided)})
    for nomination_id, message in refused.items():
        messages.error(request, f"#{nomination_id}: {message}")
    skipped = len(form.cleaned_data["ids"]) - len(allowed)
    if skipped:
        messages.error(
            request, _("%(n)d nominations are outside what you manage.") % {"n": skipped}
        )
    return redirect("nominations:queue")


def csv_safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): prefix risky cells with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(CSV_DANGEROUS) else text


@login_required
@require_safe
def export_csv(request):
    if not request.user.has_perm("nominations.view_queue"):
        raise PermissionDenied
    _form, filters, sort = _queue_filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nominations.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("ID"),
            _("Candidate"),
            _("Email"),
            _("Award category"),
            _("Region"),
            _("Source"),
            _("Status"),
            _("Submitted"),
            _("Decision due"),
            _("Endorsements"),
            _("Reviews"),
        ]
    )
    cursor = ""
    while True:
        page = queries.nomination_queue(
            user=request.user,
            filters=filters,
            as_of=_today(),
            sort=sort,
            cursor=cursor,
            limit=1000,
        )
        for row in page.rows:
            writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        row.id,
                        row.candidate_name,
                        row.candidate_email,
                        row.area_name,
                        row.region,
                        row.source,
                        row.status,
                        row.submitted_at.date().isoformat(),
                        row.decision_due.isoformat(),
                        row.endorsements,
                        row.reviews,
                    )
                ]
            )
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    return response


@login_required
@require_safe
def metrics(request):
    if not request.user.has_perm("nominations.view_queue"):
        raise PermissionDenied
    data = queries.program_metrics(user=request.user, as_of=_today())
    return render(
        request,
        "nominations/metrics.html",
        {"metrics": data, "charts": data.chart_data(), "tab": "metrics"},
    )
