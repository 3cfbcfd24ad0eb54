"""Forms of certificates: an external certificate, a revocation, the public check."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.learning.choices import CefrLevel, CertificateField

__all__ = ["ExternalCertificateForm", "RevokeForm", "VerifyForm"]


class ExternalCertificateForm(forms.Form):
    """An external certificate: what it attests, who issued it, its dates and evidence."""

    officer_code = forms.CharField(
        label=_("Officer code"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to record your own certificate."),
    )
    field = forms.ChoiceField(label=_("Field"), choices=CertificateField.choices)
    title = forms.CharField(label=_("Certificate"), max_length=300)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    level = forms.CharField(
        label=_("Level"),
        max_length=32,
        required=False,
        help_text=_("For a foreign language, the CEFR level: A1, A2, B1, B2, C1 or C2."),
    )
    issued_on = forms.DateField(label=_("Issued on"), help_text=_("dd/mm/yyyy"))
    expires_on = forms.DateField(label=_("Expires on"), required=False, help_text=_("dd/mm/yyyy"))
    evidence = forms.FileField(
        label=_("Evidence (PDF, PNG or JPEG, at most 10 MB)"), required=False
    )

    def __init__(self, *args: Any, may_choose_officer: bool = False, **kwargs: Any) -> None:
        """Offer the officer code only to a user who may record for others."""
        super().__init__(*args, **kwargs)
        if not may_choose_officer:
            del self.fields["officer_code"]

    def clean(self) -> dict[str, Any]:
        """Check the level of a language certificate and the order of the dates."""
        data = super().clean() or {}
        # A language certificate is counted by its CEFR level (emulation criteria).
        if data.get("field") == CertificateField.LANGUAGE:
            level = (data.get("level") or "").strip().upper()
            if level not in CefrLevel.values:
                self.add_error("level", _("Choose A1, A2, B1, B2, C1 or C2."))
            else:
                data["level"] = level
        issued, expires = data.get("issued_on"), data.get("expires_on")
        # A certificate cannot expire before it was issued.
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The certificate expires before it was issued."))
        return data


class RevokeForm(forms.Form):
    """The reason for revoking a certificate (required, kept in the audit log)."""

    reason = forms.CharField(
        label=_("Reason for revocation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(forms.Form):
    """The number printed on a certificate."""

    number = forms.CharField(label=_("Certificate number"), max_length=60)
