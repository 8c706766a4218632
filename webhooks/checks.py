from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def private_networks_allowed(app_configs, **kwargs):
    if getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_NETWORKS", False):
        return [
            checks.Warning(
                "WEBHOOKS_ALLOW_PRIVATE_NETWORKS is on: webhook endpoints may point at "
                "loopback and internal addresses (server-side request forgery).",
                hint="Turn it off outside tests and local demos.",
                id="webhooks.W001",
            )
        ]
    return []
