from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from credentials.verification import MAX_TOKEN_LENGTH


class VerifyCredentialForm(forms.Form):
    """A credential pasted as text or uploaded as the downloaded .jwt file."""

    token = forms.CharField(
        label=_("Paste a credential"),
        required=False,
        max_length=MAX_TOKEN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("The VC-JWT text (it starts with “ey”)."),
    )
    file = forms.FileField(
        label=_("or upload it"),
        required=False,
        help_text=_("The .jwt file downloaded from an award page (at most 64 KB)."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return ""
        if upload.size > MAX_TOKEN_LENGTH:
            raise ValidationError(_("This file is larger than 64 KB: it is not a credential."))
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(_("This file is not text: upload the .jwt file.")) from None

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("token") or "").strip() or (cleaned.get("file") or "").strip()
        if not self.errors and not text:
            raise ValidationError(_("Paste a credential or choose a file."))
        if text.startswith("{"):
            raise ValidationError(
                _(
                    "This is the readable JSON form, which carries no signature: "
                    "paste or upload the signed VC-JWT instead."
                )
            )
        cleaned["credential"] = text
        return cleaned
