"""The PDF certificate: the printable certificate in the holder's language, with a QR code to
the public verification page. WeasyPrint lays it out; fonts come from the system (Korean needs
a CJK font: fonts-noto-cjk in the Dockerfile and CI)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from awards.models import Award
from awards.sharing import achievement_name
from credentials import issuing


def qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def holder_language(award: Award) -> str:
    language = getattr(award.contributor.user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def certificate_pdf_bytes(*, award: Award, base: str) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which costs every process that never
    # prints a certificate ~0.3 s at start-up.
    from weasyprint import HTML

    verify_url = issuing.credential_id(base, award)
    with translation.override(holder_language(award)):
        html = render_to_string(
            "credentials/certificate_pdf.html",
            {
                "award": award,
                "verify_url": verify_url,
                "qr": qr_data_uri(verify_url),
                "site_name": settings.SITE_NAME,
                "achievement": achievement_name(award),
                "language": translation.get_language(),
            },
        )
    return HTML(string=html, base_url=base).write_pdf()
