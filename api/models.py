"""What DRF's token (rest_framework.authtoken.Token: one key per person) does not keep: when it was
last used and when it expires. Tokens themselves stay DRF's, so `drf_create_token` and the
`Authorization: Token <key>` header work as before."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token


class TokenUsage(models.Model):
    token = models.OneToOneField(
        Token,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="usage",
        verbose_name=_("token"),
    )
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("kedaluwarsa"), null=True, blank=True, help_text=_("Kosong: tidak kedaluwarsa.")
    )

    class Meta:
        verbose_name = _("pemakaian token API")
        verbose_name_plural = _("pemakaian token API")

    def __str__(self):
        return str(self.token_id)[:6] + "…"

    @property
    def expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()


def default_expiry(now=None):
    """A new token's expiry: API_TOKEN_DAYS after it is made (0: never)."""
    days = settings.API_TOKEN_DAYS
    return (now or timezone.now()) + timedelta(days=days) if days else None
