"""What a session knows about its person's second factor, decided once at sign-in (no page pays a
query for it), and wrong factor codes counted by the same lockout as wrong passwords."""

from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.core import context
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .selectors import second_factor_required

SESSION_STATE = "signin.factor"
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES).exists()


def _passed_second_factor(request, user) -> bool:
    records = get_authentication_records(request, user)
    return any(r.get("method") == "mfa" for r in records)


@receiver(user_logged_in, dispatch_uid="signin_factor_state")
def remember_factor_state(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_STATE] = {
        "required": second_factor_required(user),
        "enrolled": has_factor(user),
        "verified": _passed_second_factor(request, user),
    }


@receiver(post_save, sender=Authenticator, dispatch_uid="signin_factor_added")
def factor_added(sender, instance, created, **kwargs):
    # On save, not on allauth's authenticator_added: that one is sent after the commit, which may
    # come after the session was written.
    request = context.request
    if not created or instance.type not in FACTOR_TYPES or request is None:
        return
    if getattr(request, "user", None) is None or request.user.pk != instance.user_id:
        return  # made by someone else (the admin, a command): not this session's proof
    state = request.session.get(SESSION_STATE)
    if state is not None:
        # Enrolling proves possession of the factor: this session counts as verified, and as just
        # reauthenticated by it, so the recovery codes made with it can be read without a password
        # (someone who signed in by SSO has none).
        request.session[SESSION_STATE] = {**state, "enrolled": True, "verified": True}
        record_authentication(
            request, request.user, "mfa", id=instance.pk, type=instance.type, reauthenticated=True
        )


@receiver(mfa_signals.authenticator_removed, dispatch_uid="signin_factor_removed")
def factor_removed(sender, request, user, authenticator, **kwargs):
    state = request.session.get(SESSION_STATE)
    if state is not None:
        request.session[SESSION_STATE] = {**state, "enrolled": has_factor(user)}


@receiver(mfa_signals.authentication_failed, dispatch_uid="signin_factor_failed")
def count_wrong_factor(sender, request, user, **kwargs):
    # django-axes counts this like a wrong password for the same username and address: five wrong
    # codes (or passwords and codes together) lock the pair for AXES_COOLOFF_MINUTES.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
