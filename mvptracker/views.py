from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from mvptracker.ops.health import health

# Django raises these while reading a body past its limits; they answer 413, not a plain 400.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


@never_cache
@require_GET
def healthz(request):
    healthy, report = health()
    return JsonResponse(report, status=200 if healthy else 503)


@require_safe
def home(request):
    return render(request, "home.html")


def error_400(request, exception=None):
    if isinstance(exception, TOO_LARGE):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return render(request, "errors/413.html", {"limit": limit}, status=413)
    return render(request, "errors/400.html", status=400)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
