"""Token authentication that refuses expired tokens and remembers when a token was last used."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .models import TokenUsage

# Writing on every request would make each API read a database write; a minute is precise enough
# for "last used" and for spotting a token nobody uses any more.
LAST_USE_RESOLUTION = timedelta(minutes=1)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        # DRF's own lookup and messages, with the usage row in the same query.
        try:
            token = Token.objects.select_related("user", "usage").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        user = token.user
        now = timezone.now()
        try:
            usage = token.usage
        except TokenUsage.DoesNotExist:
            usage = None
        if usage is not None and usage.expired:
            raise exceptions.AuthenticationFailed(
                _("Token API ini sudah kedaluwarsa; minta token baru (POST /api/v1/token/)."),
                code="token_expired",
            )
        if usage is None:
            TokenUsage.objects.create(
                token=token, last_used_at=now
            )  # a token made before usage rows
        elif usage.last_used_at is None or now - usage.last_used_at >= LAST_USE_RESOLUTION:
            TokenUsage.objects.filter(pk=usage.pk).update(last_used_at=now)
        return user, token
