"""Tokens for scripts: made with an expiry, replaced when expired, revoked on a password change."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from accounts.models import User

from .models import TokenUsage, default_expiry


@receiver(post_save, sender=Token, dispatch_uid="api_token_usage")
def _token_made(sender, instance, created, **kwargs):
    # Every way a token is made (POST /token/, drf_create_token, the admin) gets the expiry.
    if created:
        TokenUsage.objects.get_or_create(token=instance, defaults={"expires_at": default_expiry()})


@receiver(post_save, sender=User, dispatch_uid="api_tokens_revoked_on_password_change")
def _password_changed(sender, instance, **kwargs):
    """A new password (own change page, the admin, changepassword, a reset) ends the person's API
    token: whoever knew the old password may have taken a token with it."""
    if getattr(instance, "_password_changed", False):
        Token.objects.filter(user=instance).delete()
        instance._password_changed = False


def valid_token(user):
    """The person's token, a new one if there was none or it had expired."""
    token = Token.objects.filter(user=user).select_related("usage").first()
    if token is not None:
        usage = getattr(token, "usage", None)
        if usage is not None and usage.expired:
            token.delete()
            token = None
    return token or Token.objects.create(user=user)


class ObtainExpiringToken(ObtainAuthToken):
    """POST username + password → {"token", "expires_at"}; an expired token is replaced."""

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = valid_token(serializer.validated_data["user"])
        usage = TokenUsage.objects.filter(token=token).first()
        expires = usage.expires_at.isoformat() if usage and usage.expires_at else None
        return Response({"token": token.key, "expires_at": expires})


obtain_token = ObtainExpiringToken.as_view()
