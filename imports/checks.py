from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def private_networks_allowed(app_configs, **kwargs):
    if getattr(settings, "IMPORT_ALLOW_PRIVATE_NETWORKS", False):
        return [
            Warning(
                "IMPORT_ALLOW_PRIVATE_NETWORKS is on: import sources may make this server "
                "request loopback and private addresses (server-side request forgery).",
                hint="Turn it off outside tests and local demos.",
                id="imports.W001",
            )
        ]
    return []
