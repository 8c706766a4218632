from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from notifications.services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    """Account emails go through the outbox: written with the request's data, sent by a task."""

    def save_user(self, request, user, form, commit=True):
        """A new account keeps the language its owner signed up in."""
        language = translation.get_language() or ""
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        queue_email(
            to=email,
            subject=message.subject,
            body=message.body,
            html_body=html,
            category=template_prefix.rsplit("/", 1)[-1],
        )
