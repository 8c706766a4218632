"""Reads for the staff pages and the API."""

from django.db.models import Count, Q, QuerySet

from webhooks.enums import DeliveryStatus
from webhooks.models import Delivery, Endpoint

DELIVERIES_PAGE = 100


def endpoints_summary() -> QuerySet[Endpoint]:
    """Every endpoint with its pending and failed delivery counts (one query)."""
    return Endpoint.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    ).order_by("pk")


def deliveries_for_endpoint(endpoint: Endpoint) -> QuerySet[Delivery]:
    return Delivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")
