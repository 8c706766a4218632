"""How an award is named outside the site: LinkedIn's add-to-profile link, the credential's
achievement name."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from awards.enums import AwardKind
from awards.models import Award

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def achievement_name(award: Award) -> str:
    if award.kind == AwardKind.MVP and award.technology_area is not None:
        return _("MVP in %(area)s") % {"area": award.technology_area.name}
    return _("MCC (Community Contributor)")


def linkedin_add_url(*, award: Award, cert_url: str) -> str:
    """LinkedIn's "Add licence or certification" form, filled in; the person confirms it there."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": achievement_name(award),
        "organizationName": settings.SITE_NAME,
        "issueYear": award.starts_on.year,
        "issueMonth": award.starts_on.month,
        "expirationYear": award.ends_on.year,
        "expirationMonth": award.ends_on.month,
        "certUrl": cert_url,
        "certId": award.certificate_code,
    }
    return f"{LINKEDIN_ADD_URL}?{urlencode(params)}"
