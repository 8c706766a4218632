"""A person's in-app notifications: the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from common.ids import parse_id
from notifications.models import Notification

PAGE_SIZE = 50


@login_required
@require_safe
def notification_list(request):
    before = request.GET.get("before")
    items = Notification.objects.filter(recipient=request.user).order_by("-pk")
    if (before_id := parse_id(before)) is not None:
        items = items.filter(pk__lt=before_id)
    page = list(items[: PAGE_SIZE + 1])
    next_before = page[PAGE_SIZE - 1].pk if len(page) > PAGE_SIZE else None
    return render(
        request,
        "notifications/list.html",
        {"notifications": page[:PAGE_SIZE], "next_before": next_before},
    )


@login_required
@require_POST
def notification_read(request):
    """Mark one notification (``id``) or all of the person's unread ones as read."""
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    notification_id = request.POST.get("id", "")
    if notification_id:
        pk = parse_id(notification_id)
        unread = unread.filter(pk=pk) if pk is not None else unread.none()
    unread.update(read_at=timezone.now())
    return redirect("notifications:list")
