"""Pages of the import hub: the sources, and the inbox of drafts they suggest. Views read the
clock and the request and call queries and services; every page works without JavaScript
(htmx only polls a fetch's progress)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.ids import parse_id
from contributions.forms import ContributionForm
from contributions.services import ensure_contributor
from imports import queries, services
from imports.forms import SourceForm
from imports.models import Draft, Source

EDIT_FIELDS = ContributionForm.Meta.fields


def _own_source(request, pk: int) -> Source:
    source = get_object_or_404(Source.objects.select_related("contributor"), pk=pk)
    if not request.user.has_perm("imports.manage_source", source):
        raise Http404  # never tell whether someone else's source exists
    return source


def _own_draft(request, pk: int) -> Draft:
    draft = get_object_or_404(Draft.objects.select_related("contributor", "kind"), pk=pk)
    if not request.user.has_perm("imports.manage_draft", draft):
        raise Http404
    return draft


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def source_list(request):
    contributor = ensure_contributor(user=request.user)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.create_source(
                contributor=contributor, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Source “%(source)s” connected.") % {"source": source})
            return redirect("imports:sources")
    sources = list(queries.sources_for(contributor))
    for source in sources:
        _mark_fetching(source)
    return render(request, "imports/sources.html", {"form": form, "sources": sources})


def _mark_fetching(source: Source) -> Source:
    # A queued fetch whose worker vanished stops showing (and polling) after ten minutes.
    source.fetching = source.is_fetching(now=timezone.now())
    return source


@login_required
@require_http_methods(["GET", "POST"])
def source_edit(request, pk: int):
    source = _own_source(request, pk)
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_source(source=source, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Source saved."))
            return redirect("imports:sources")
    return render(
        request, "imports/source_form.html", {"form": form, "source": _mark_fetching(source)}
    )


@login_required
@require_POST
def source_delete(request, pk: int):
    source = _own_source(request, pk)
    services.delete_source(source=source)
    messages.success(request, _("Source removed; its pending drafts were removed too."))
    return redirect("imports:sources")


@login_required
@require_POST
def source_fetch(request, pk: int):
    source = _own_source(request, pk)
    services.request_fetch(source=source, now=timezone.now())
    if request.htmx:
        source.refresh_from_db()
        return _status(request, source)
    messages.info(
        request,
        _("Fetching “%(source)s”. Refresh the page to see the result.") % {"source": source},
    )
    return redirect("imports:sources")


def _status(request, source: Source):
    return render(request, "imports/_source_status.html", {"source": _mark_fetching(source)})


@login_required
@require_GET
def source_status(request, pk: int):
    return _status(request, _own_source(request, pk))


@login_required
@require_GET
def inbox(request):
    contributor = ensure_contributor(user=request.user)
    sources = list(queries.sources_for(contributor))
    source_id = request.GET.get("source", "")
    chosen = next((s for s in sources if str(s.pk) == source_id), None)
    page = queries.inbox_page(
        queries.drafts_for(contributor, source_id=chosen.pk if chosen else None),
        cursor=request.GET.get("after", ""),
    )
    return render(
        request,
        "imports/inbox.html",
        {
            "page": page,
            "sources": sources,
            "chosen": chosen,
            "is_first_page": not request.GET.get("after"),
        },
    )


def _back_to_inbox(request):
    target = request.POST.get("next", "")
    if target.startswith(reverse("imports:inbox")):
        return redirect(target)
    return redirect("imports:inbox")


@login_required
@require_POST
def draft_accept(request, pk: int):
    draft = _own_draft(request, pk)
    try:
        contribution = services.accept_draft(
            draft_id=draft.pk,
            contributor=draft.contributor,
            today=timezone.localdate(),
            now=timezone.now(),
        )
    except services.DraftConflict:
        messages.info(request, _("This draft was already decided."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:edit", pk=draft.pk)
    else:
        messages.success(
            request, _("“%(title)s” added to your contributions.") % {"title": contribution.title}
        )
    return _back_to_inbox(request)


@login_required
@require_POST
def draft_dismiss(request, pk: int):
    draft = _own_draft(request, pk)
    try:
        services.dismiss_draft(draft_id=draft.pk, contributor=draft.contributor, now=timezone.now())
    except services.DraftConflict:
        messages.info(request, _("This draft was already decided."))
    else:
        messages.success(request, _("Dismissed; it will not be suggested again."))
    return _back_to_inbox(request)


@login_required
@require_POST
def accept_selected(request):
    contributor = ensure_contributor(user=request.user)
    ids = [pk for value in request.POST.getlist("draft") if (pk := parse_id(value))][:200]
    if not ids:
        messages.info(request, _("Select the drafts to accept."))
        return _back_to_inbox(request)
    accepted, failed = services.accept_drafts(
        draft_ids=ids, contributor=contributor, today=timezone.localdate(), now=timezone.now()
    )
    if accepted:
        messages.success(
            request, _("%(count)s drafts added to your contributions.") % {"count": len(accepted)}
        )
    if failed:
        messages.error(
            request,
            _("%(count)s drafts could not be accepted; edit them first.") % {"count": len(failed)},
        )
    return _back_to_inbox(request)


def _initial(draft: Draft) -> dict:
    return {
        "kind": draft.kind_id,
        "technology_area": draft.technology_area_id,
        "title": draft.title,
        "date": draft.date,
        "url": draft.url,
        "description": draft.description,
        "quantity": draft.quantity,
        "reach": draft.reach,
    }


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, pk: int):
    """The contribution form, prefilled from the draft: "Accept" records it with what was
    typed, "Save draft" keeps the changes on the draft (a re-fetch then leaves it alone)."""
    draft = _own_draft(request, pk)
    if draft.status != "pending":
        messages.info(request, _("This draft was already decided."))
        return redirect("imports:inbox")
    today = timezone.localdate()
    if request.method == "POST" and request.POST.get("refresh"):
        values = {name: request.POST.get(name, "") for name in EDIT_FIELDS}
        form = ContributionForm(initial=values, today=today)
    elif request.method == "POST":
        form = ContributionForm(request.POST, today=today)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in EDIT_FIELDS}
            try:
                if request.POST.get("save"):
                    services.edit_draft(
                        draft_id=draft.pk,
                        contributor=draft.contributor,
                        today=today,
                        **{name: data[name] for name in services.DRAFT_FIELDS},
                    )
                    messages.success(request, _("Draft saved."))
                else:
                    services.accept_draft(
                        draft_id=draft.pk,
                        contributor=draft.contributor,
                        today=today,
                        now=timezone.now(),
                        **data,
                    )
                    messages.success(
                        request,
                        _("“%(title)s” added to your contributions.") % {"title": data["title"]},
                    )
                return redirect("imports:inbox")
            except services.DraftConflict:
                messages.info(request, _("This draft was already decided."))
                return redirect("imports:inbox")
            except ValidationError as exc:
                _apply_errors(form, exc)
    else:
        form = ContributionForm(initial=_initial(draft), today=today)
    return render(request, "imports/draft_form.html", {"form": form, "draft": draft})
