"""Operations pages: the health probe and the record of daily-job runs."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.decorators import staff_required
from common.ids import parse_id
from ops.health import health
from ops.models import JobRun

PAGE_SIZE = 50


@never_cache
@require_safe
def healthz(request):
    healthy, report = health()
    return JsonResponse(report, status=200 if healthy else 503)


@staff_required
@require_safe
def job_runs(request):
    before = request.GET.get("before")
    runs = JobRun.objects.order_by("-pk")
    if (before_id := parse_id(before)) is not None:
        runs = runs.filter(pk__lt=before_id)
    page = list(runs[: PAGE_SIZE + 1])
    next_before = page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None
    return render(
        request, "ops/job_runs.html", {"runs": page[:PAGE_SIZE], "next_before": next_before}
    )
