"""What a session knows about its person's second factor, decided once at sign-in (no page pays a
query for it), and wrong factor codes counted by the same lockout as wrong passwords."""

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .selectors import second_factor_required

SESSION_STATE = "signin.factor"
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def has_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES).exists()


def _passed_second_factor(request) -> bool:
    records = request.session.get("account_authentication_records", [])
    return any(r.get("method") == "mfa" and not r.get("reauthenticated") for r in records)


@receiver(user_logged_in, dispatch_uid="signin_factor_state")
def remember_factor_state(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_STATE] = {
        "required": second_factor_required(user),
        "enrolled": has_factor(user),
        "verified": _passed_second_factor(request),
    }


@receiver(mfa_signals.authenticator_added, dispatch_uid="signin_factor_added")
def factor_added(sender, request, user, authenticator, **kwargs):
    state = request.session.get(SESSION_STATE)
    if state is not None and authenticator.type in FACTOR_TYPES:
        # Enrolling proves possession of the factor: this session counts as verified.
        request.session[SESSION_STATE] = {**state, "enrolled": True, "verified": True}


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
