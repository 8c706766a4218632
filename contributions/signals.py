from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from contributions.services import ensure_contributor


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_contributor(user=instance)
