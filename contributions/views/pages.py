"""Pages of the contribution log. Views read the clock and the request, ask the rules, and call
queries and services; no business rule lives here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.rules import is_program_staff
from accounts.scope import RegionScope
from contributions import queries, services
from contributions.enums import Pillar
from contributions.forms import (
    AsOfForm,
    ContributionFilter,
    ContributionForm,
    ProfileForm,
)
from contributions.models import Contribution, Contributor, TechnologyArea

PREVIEW_PAGE_SIZE = 100
CONTRIBUTION_FIELDS = ContributionForm.Meta.fields


def _today():
    # The middleware activates the person's time zone, so this is "today" where they are.
    return timezone.localdate()


def _contributor_or_404(request, handle: str, perm: str) -> Contributor:
    contributor = (
        Contributor.objects.select_related("user", "primary_area__parent")
        .filter(handle__iexact=handle)
        .first()
    )
    if contributor is None or not request.user.has_perm(perm, contributor):
        raise Http404
    return contributor


def _own_contribution_or_404(request, pk: int) -> Contribution:
    contribution = get_object_or_404(Contribution.objects.select_related("contributor"), pk=pk)
    if not request.user.has_perm("contributions.manage_contribution", contribution):
        raise Http404  # never tell whether someone else's entry exists
    return contribution


# Profile -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request):
    contributor = services.ensure_contributor(user=request.user)
    form = ProfileForm(request.POST or None, instance=contributor, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.update_profile(
            contributor=contributor,
            timezone_name=data.pop("timezone"),
            language=data.pop("language"),
            additional_areas=data.pop("additional_areas"),
            **data,
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("contributions:profile")
    return render(
        request, "contributions/profile_form.html", {"form": form, "contributor": contributor}
    )


@require_safe
def public_profile(request, handle: str):
    contributor = _contributor_or_404(request, handle, "contributions.view_public_profile")
    page = queries.contributions_page(
        queries.public_contributions(contributor), cursor=request.GET.get("after", "")
    )
    return render(
        request,
        "contributions/public_profile.html",
        {
            "contributor": contributor,
            "page": page,
            "preview": not contributor.is_public,
            "areas": contributor.additional_areas.select_related("parent"),
        },
    )


# The log -------------------------------------------------------------------------------------


def _log_context(request, contributor: Contributor) -> dict:
    base = Contribution.objects.for_contributor(contributor)
    filterset = ContributionFilter(request.GET, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    sort = request.GET.get("sort", "date")
    if sort not in queries.SORTS:
        sort = "date"
    descending = request.GET.get("dir", "desc") != "asc"
    page = queries.contributions_page(
        queryset, sort=sort, descending=descending, cursor=request.GET.get("after", "")
    )
    params = request.GET.copy()
    params.pop("after", None)
    next_params = params.copy()
    if page.next_cursor:
        next_params["after"] = page.next_cursor
    return {
        "contributor": contributor,
        "filter": filterset,
        "page": page,
        "sort_options": [
            ("date", _("Date")),
            ("title", _("Title")),
            ("reach", _("Reach")),
            ("quantity", _("Quantity")),
        ],
        "first_page_query": params.urlencode(),
        "next_page_query": next_params.urlencode(),
        "is_first_page": not request.GET.get("after"),
    }


@login_required
@require_safe
def contribution_list(request):
    contributor = services.ensure_contributor(user=request.user)
    context = _log_context(request, contributor)
    context["own"] = True
    return render(request, "contributions/contribution_list.html", context)


def _form_page(request, *, form, contribution=None, title: str, action: str = ""):
    _switch_kind_with_htmx(form, action or request.path)
    template = "contributions/contribution_form.html"
    if request.htmx and request.POST.get("refresh"):
        template += "#fields"
    return render(
        request,
        template,
        {"form": form, "contribution": contribution, "page_title": title, "action": action},
    )


def _switch_kind_with_htmx(form, url: str) -> None:
    """Choosing a kind re-renders the fields (labels, roles) in place; the no-JS path is the
    "Update form" button, which posts the same ``refresh`` value."""
    form.fields["kind"].widget.attrs.update(
        {
            "hx-post": url,
            "hx-trigger": "change",
            "hx-target": "#contribution-fields",
            "hx-swap": "outerHTML",
            "hx-vals": '{"refresh": "1"}',
        }
    )


def _save_or_refresh(request, *, instance=None, initial=None):
    """POST with ``refresh`` re-renders for the chosen kind without saving (the no-JS "Update
    form" button and the htmx kind switch); anything else validates and saves."""
    today = _today()
    if request.method == "POST" and request.POST.get("refresh"):
        values = {name: request.POST.get(name, "") for name in CONTRIBUTION_FIELDS}
        return ContributionForm(initial=values, instance=instance, today=today), None
    if request.method == "POST":
        form = ContributionForm(request.POST, instance=instance, today=today)
        if form.is_valid():
            data = form.cleaned_data
            fields = {name: data[name] for name in CONTRIBUTION_FIELDS}
            if instance is None:
                contributor = services.ensure_contributor(user=request.user)
                saved = services.record_contribution(contributor=contributor, **fields)
            else:
                saved = services.update_contribution(contribution=instance, **fields)
            return form, saved
        return form, None
    return ContributionForm(initial=initial or {}, instance=instance, today=today), None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contribution_create(request):
    form, saved = _save_or_refresh(request, initial={"date": _today()})
    if saved:
        messages.success(request, _("Contribution “%(title)s” added.") % {"title": saved.title})
        return redirect("contributions:list")
    return _form_page(request, form=form, title=_("Add a contribution"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contribution_edit(request, pk: int):
    contribution = _own_contribution_or_404(request, pk)
    form, saved = _save_or_refresh(request, instance=contribution)
    if saved:
        messages.success(request, _("Contribution “%(title)s” saved.") % {"title": saved.title})
        return redirect("contributions:list")
    return _form_page(request, form=form, contribution=contribution, title=_("Edit contribution"))


@login_required
@require_safe
def contribution_duplicate(request, pk: int):
    """A new-entry form prefilled from an existing entry (date set to today)."""
    original = _own_contribution_or_404(request, pk)
    initial = {name: getattr(original, name) for name in CONTRIBUTION_FIELDS}
    initial["kind"] = original.kind_id
    initial["technology_area"] = original.technology_area_id
    initial["date"] = _today()
    form = ContributionForm(initial=initial, today=_today())
    return _form_page(
        request,
        form=form,
        title=_("Duplicate contribution"),
        action=reverse("contributions:create"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contribution_delete(request, pk: int):
    contribution = _own_contribution_or_404(request, pk)
    if request.method == "POST":
        title = contribution.title
        services.delete_contribution(contribution=contribution)
        messages.success(request, _("Contribution “%(title)s” deleted.") % {"title": title})
        return redirect("contributions:list")
    return render(
        request, "contributions/contribution_confirm_delete.html", {"contribution": contribution}
    )


# The window ----------------------------------------------------------------------------------


def _window_context(request, contributor: Contributor) -> dict:
    form = AsOfForm(request.GET or None)
    as_of = _today()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("as_of"):
        as_of = form.cleaned_data["as_of"]
    summary = queries.window_summary(contributor=contributor, as_of=as_of)
    by_area = summary.by_area
    area_names = (
        {
            area.pk: str(area)
            for area in TechnologyArea.objects.filter(pk__in=by_area).select_related("parent")
        }
        if by_area
        else {}
    )
    pillar_labels = dict(Pillar.choices)
    by_month = summary.by_month
    chart = {
        "labels": [month.strftime("%Y-%m") for month, _count in by_month],
        "counts": [count for _month, count in by_month],
        "label": _("Contributions"),
    }
    return {
        "contributor": contributor,
        "form": form,
        "as_of": as_of,
        "summary": summary,
        "by_pillar": [(pillar_labels[p], n) for p, n in summary.by_pillar.items()],
        "by_area": sorted(
            ((area_names.get(pk, "?"), n) for pk, n in by_area.items()), key=lambda x: (-x[1], x[0])
        ),
        "by_month": by_month,
        "chart": chart,
        "focus_percent": round(summary.focus_share * 100),
    }


@login_required
@require_safe
def my_window(request):
    contributor = services.ensure_contributor(user=request.user)
    context = _window_context(request, contributor)
    context["own"] = True
    return render(request, "contributions/window.html", context)


# Staff ---------------------------------------------------------------------------------------


@login_required
@require_safe
def contributor_list(request):
    if not request.user.has_perm("contributions.list_contributors"):
        raise Http404
    scope = RegionScope.for_user(request.user)
    if scope.is_empty:
        raise Http404  # a regional manager without a region oversees nobody
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        after = 0
    page = queries.contributors_for_staff(
        scope=scope, search=request.GET.get("q", "").strip()[:100], after_id=after
    )
    return render(
        request,
        "contributions/contributor_list.html",
        {"page": page, "q": request.GET.get("q", "")},
    )


@login_required
@require_safe
def contributor_log(request, handle: str):
    contributor = _contributor_or_404(request, handle, "contributions.view_log")
    context = _log_context(request, contributor)
    context["own"] = contributor.user_id == request.user.pk
    context["can_verify"] = is_program_staff(request.user)
    return render(request, "contributions/contribution_list.html", context)


@login_required
@require_safe
def contributor_window(request, handle: str):
    contributor = _contributor_or_404(request, handle, "contributions.view_log")
    context = _window_context(request, contributor)
    context["own"] = contributor.user_id == request.user.pk
    return render(request, "contributions/window.html", context)


@login_required
@require_POST
def contribution_verify(request, pk: int):
    contribution = get_object_or_404(Contribution.objects.select_related("contributor"), pk=pk)
    if not request.user.has_perm("contributions.verify_contribution", contribution):
        raise Http404
    verified = request.POST.get("verified") == "1"
    services.verify_contribution(contribution=contribution, actor=request.user, verified=verified)
    if verified:
        messages.success(request, _("Marked “%(title)s” verified.") % {"title": contribution.title})
    else:
        messages.success(
            request,
            _("Removed the verified mark from “%(title)s”.") % {"title": contribution.title},
        )
    return redirect("contributions:contributor_log", handle=contribution.contributor.handle)
