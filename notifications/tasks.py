from celery import shared_task

from notifications import services


@shared_task(acks_late=True)
def deliver_email_task(email_id: int) -> None:
    services.deliver_email(email_id=email_id)


@shared_task
def deliver_outbox_task() -> int:
    return services.deliver_due_emails()


@shared_task(acks_late=True)
def deliver_emails_task(email_ids: list[int]) -> int:
    """Deliver a batch queued by a job; each email is locked and sent at most once."""
    return sum(services.deliver_email(email_id=pk) for pk in email_ids)
