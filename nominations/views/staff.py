"""The staff dashboard: the queue, bulk decisions, the CSV export and program metrics."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.spreadsheets import formula_safe
from nominations import queries
from nominations.forms import (
    BulkDecisionForm,
    QueueFilterForm,
)
from nominations.metrics import program_metrics
from nominations.views.base import today
from nominations.workflow.decisions import (
    decide_nominations,
)


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
        as_of=today(),
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
        as_of=today(),
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
    """A cell as text, through the one formula guard (CSV injection)."""
    return formula_safe("" if value is None else str(value))


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
            as_of=today(),
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
    data = program_metrics(user=request.user, as_of=today())
    return render(
        request,
        "nominations/metrics.html",
        {"metrics": data, "charts": data.chart_data(), "tab": "metrics"},
    )
