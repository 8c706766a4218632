from celery import shared_task

from webhooks import delivery


@shared_task(acks_late=True)
def deliver_webhooks_task() -> dict:
    """Deliver every due webhook (after an event's commit, and every minute from beat)."""
    return delivery.deliver_due()
