from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An email written in the same transaction as the event that causes it.

    Delivery happens after commit in a task with retries; a periodic sweep sends whatever a
    lost task left behind, so nothing is lost when the broker is down at commit time.

    A row either holds the rendered ``subject`` and ``body``, or names a ``template`` (the
    path without ``.txt``; ``<template>_subject.txt`` is the subject) with a small JSON
    ``context`` and the ``language`` to render in: the delivery renders it and stores what it
    sent. Jobs write thousands of rows in one INSERT that way, without rendering each.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    template = models.CharField(max_length=200, blank=True)
    context = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=16, blank=True)
    html_body = models.TextField(blank=True)
    category = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Notification(models.Model):
    """An in-app notification shown to one person."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notif_recipient")]

    def __str__(self) -> str:
        return self.message
