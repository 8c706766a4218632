"""CSV import (upload, preview, confirm) and export downloads of a person's own data."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contributions import exports, portability, services
from contributions.forms import MAX_IMPORT_BYTES, ImportForm
from contributions.models import PendingImport

PREVIEW_PAGE_SIZE = 100


# Room for the multipart framing and the CSRF field around a file at the limit.
FORM_OVERHEAD = 64 * 1024


def _today():
    return timezone.localdate()  # in the person's time zone (the middleware activates it)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request):
    if request.method == "POST" and _declared_length(request) > MAX_IMPORT_BYTES + FORM_OVERHEAD:
        # Refused before the body is read, so nothing of it is spooled to disk.
        form = ImportForm(data={})
        form.full_clean()
        form.errors["file"] = form.error_class([_("The file is larger than 2 MB.")])
        return _upload_page(request, form, status=413)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        contributor = services.ensure_contributor(user=request.user)
        try:
            preview = portability.preview_import(
                contributor=contributor, data=form.cleaned_data["file"].read(), today=_today()
            )
        except portability.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            PendingImport.objects.update_or_create(
                contributor=contributor,
                defaults={
                    "token": secrets.token_urlsafe(16),
                    "filename": form.cleaned_data["file"].name[:100],
                    "rows": preview.to_rows(),
                    "created_at": timezone.now(),
                },
            )
            return redirect("contributions:import_preview")
    status = 200
    if request.method == "POST":
        status = 413 if form.too_large else 400
    return _upload_page(request, form, status=status)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _upload_page(request, form, *, status: int):
    return render(
        request,
        "contributions/import_upload.html",
        {
            "form": form,
            "columns": portability.IMPORT_COLUMNS,
            "max_rows": portability.MAX_IMPORT_ROWS,
        },
        status=status,
    )


@login_required
@require_safe
def import_template(request):
    response = HttpResponse(portability.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contributions-template.csv"'
    return response


@login_required
@require_safe
def import_preview(request):
    stored = PendingImport.objects.filter(contributor__user=request.user).first()
    if stored is None:
        messages.info(request, _("Upload a file first."))
        return redirect("contributions:import")
    preview = portability.ImportPreview.from_rows(stored.rows)
    show = request.GET.get("show", "all")
    rows = preview.rows if show == "all" else [r for r in preview.rows if r.status == show]
    paginator = Paginator(rows, PREVIEW_PAGE_SIZE)  # rows are in memory: counting is free
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/import_preview.html",
        {
            "token": stored.token,
            "name": stored.filename,
            "page": page,
            "show": show,
            "counts": {
                "all": len(preview.rows),
                portability.WILL_IMPORT: preview.count(portability.WILL_IMPORT),
                portability.DUPLICATE: preview.count(portability.DUPLICATE),
                portability.ERROR: preview.count(portability.ERROR),
            },
        },
    )


@login_required
@require_POST
def import_confirm(request):
    contributor = services.ensure_contributor(user=request.user)
    written = portability.confirm_import(
        contributor=contributor, token=request.POST.get("token", ""), today=_today()
    )
    if written is None:
        messages.error(request, _("This import preview has expired. Upload the file again."))
        return redirect("contributions:import")
    text = _("Imported %(count)s contributions.") % {"count": written}
    if request.htmx:
        return render(
            request,
            "contributions/import_preview.html#done",
            {"written": written, "text": text},
        )
    messages.success(request, text)
    return redirect("contributions:list")


@login_required
@require_POST
def import_cancel(request):
    PendingImport.objects.filter(contributor__user=request.user).delete()
    messages.info(request, _("The import was cancelled; nothing was written."))
    return redirect("contributions:import")


def _download(body: str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def export_page(request):
    return render(request, "contributions/export.html")


@login_required
@require_safe
def export_contributions_csv(request):
    contributor = services.ensure_contributor(user=request.user)
    return _download(
        exports.export_csv(contributor),
        filename=f"{contributor.handle}-contributions.csv",
        content_type="text/csv",
    )


@login_required
@require_safe
def export_profile_csv(request):
    contributor = services.ensure_contributor(user=request.user)
    return _download(
        exports.export_profile_csv(contributor),
        filename=f"{contributor.handle}-profile.csv",
        content_type="text/csv",
    )


@login_required
@require_safe
def export_json(request):
    contributor = services.ensure_contributor(user=request.user)
    return _download(
        exports.export_json(contributor),
        filename=f"{contributor.handle}-export.json",
        content_type="application/json",
    )
