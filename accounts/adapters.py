from allauth.account.adapter import DefaultAccountAdapter

from notifications.services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    """Account emails go through the outbox: written with the request's data, sent by a task."""

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
