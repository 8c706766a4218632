"""Staff pages: endpoints (the secret shown once at creation), one endpoint's deliveries,
"Redeliver". Global staff only (webhooks.rules)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from webhooks import queries, services
from webhooks.forms import EndpointEditForm, EndpointForm
from webhooks.models import Delivery, Endpoint
from webhooks.rules import can_manage_webhooks


def webhook_staff_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_webhooks(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _apply(form, action):
    """Run a service with the form's data; its ValidationError lands on the form's fields."""
    try:
        return action(**form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@never_cache
@webhook_staff_required
@require_http_methods(["GET", "POST"])
def endpoints(request):
    """List, and create on POST. The secret is in this one response only (not cached, not
    redirected, not in the session)."""
    secret = None
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        created = _apply(form, lambda **data: services.create_endpoint(actor=request.user, **data))
        if created:
            secret = created[1]
            form = EndpointForm()
    return render(
        request,
        "webhooks/endpoints.html",
        {"form": form, "endpoints": queries.endpoints_summary(), "secret": secret},
        status=201 if secret else (400 if form.errors else 200),
    )


@webhook_staff_required
@require_http_methods(["GET", "POST"])
def edit(request, endpoint_id: int):
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    initial = {
        "url": endpoint.url,
        "events": endpoint.events,
        "description": endpoint.description,
        "enabled": endpoint.enabled,
    }
    form = EndpointEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = _apply(
            form,
            lambda **data: services.update_endpoint(
                endpoint_id=endpoint.pk, actor=request.user, **data
            ),
        )
        if updated:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhooks:endpoints")
    return render(
        request,
        "webhooks/edit.html",
        {"form": form, "endpoint": endpoint},
        status=400 if form.errors else 200,
    )


@webhook_staff_required
@require_POST
def delete(request, endpoint_id: int):
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    services.delete_endpoint(endpoint_id=endpoint.pk, actor=request.user)
    messages.success(request, _("The endpoint %(url)s was deleted.") % {"url": endpoint.url})
    return redirect("webhooks:endpoints")


@webhook_staff_required
@require_GET
def deliveries(request, endpoint_id: int):
    endpoint = get_object_or_404(Endpoint, pk=endpoint_id)
    rows = queries.deliveries_for_endpoint(endpoint)[: queries.DELIVERIES_PAGE]
    return render(
        request,
        "webhooks/deliveries.html",
        {"endpoint": endpoint, "deliveries": rows, "page_size": queries.DELIVERIES_PAGE},
    )


@webhook_staff_required
@require_POST
def redeliver(request, delivery_id: int):
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    services.redeliver(delivery_id=delivery.pk)
    messages.success(
        request, _("Delivery %(id)s will be sent again.") % {"id": delivery.webhook_id}
    )
    return redirect("webhooks:deliveries", delivery.endpoint_id)
