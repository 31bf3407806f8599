"""Which sign-in rules apply to a person or a Pemda."""

from django.conf import settings

from accounts.models import Membership, Role

from .models import PemdaSignIn

# The roles that change scores and designations: a second factor applies to them.
GUARDED_ROLES = frozenset({Role.INSPEKTORAT_ADMIN, Role.EVALUATOR})


def _apply_environment(config: PemdaSignIn) -> PemdaSignIn:
    """OIDC_* variables configure one Pemda's provider without the admin (README, SSO)."""
    if settings.OIDC_PEMDA_CODE and settings.OIDC_ISSUER:
        config.oidc_enabled = True
        config.oidc_issuer = settings.OIDC_ISSUER
        config.oidc_client_id = settings.OIDC_CLIENT_ID
        config.oidc_client_secret = settings.OIDC_CLIENT_SECRET
        config.oidc_claim = settings.OIDC_CLAIM
        config.allowed_email_domains = settings.OIDC_EMAIL_DOMAINS
        config.oidc_name = config.oidc_name or "SSO"
        config.oidc_slug = config.oidc_slug or settings.OIDC_SLUG
    return config


def signin_settings(pemda) -> PemdaSignIn:
    """The Pemda's settings; an unsaved row with the defaults when it has none."""
    config = PemdaSignIn.objects.filter(pemda=pemda).first() or PemdaSignIn(pemda=pemda)
    if settings.OIDC_PEMDA_CODE and pemda.code == settings.OIDC_PEMDA_CODE:
        _apply_environment(config)
    return config


def oidc_providers() -> list[PemdaSignIn]:
    """Every Pemda whose SSO is on, for the sign-in page and allauth's list of apps."""
    from units.models import Pemda

    configs = {
        c.pemda_id: c
        for c in PemdaSignIn.objects.filter(oidc_enabled=True, pemda__active=True).select_related(
            "pemda"
        )
    }
    if settings.OIDC_PEMDA_CODE and settings.OIDC_ISSUER:
        pemda = Pemda.objects.filter(code=settings.OIDC_PEMDA_CODE).first()
        if pemda is not None:
            configs[pemda.pk] = signin_settings(pemda)
    return sorted(configs.values(), key=lambda c: c.pemda.name)


def oidc_provider(provider_id: str) -> PemdaSignIn | None:
    for config in oidc_providers():
        if config.provider_id == provider_id:
            return config
    return None


def _settings_of_pemdas(pemda_ids) -> list[PemdaSignIn]:
    from units.models import Pemda

    return [signin_settings(p) for p in Pemda.objects.filter(pk__in=pemda_ids)]


def second_factor_required(user) -> bool:
    """A person needs a second factor when they hold an Admin Inspektorat or TPI evaluator role in
    a Pemda that requires it (PemdaSignIn.mfa_required, default MFA_REQUIRED_DEFAULT)."""
    if not user.is_authenticated:
        return False
    pemda_ids = set(
        Membership.objects.filter(user=user, role__in=GUARDED_ROLES).values_list(
            "pemda_id", flat=True
        )
    )
    return any(c.mfa_required for c in _settings_of_pemdas(pemda_ids))


def local_password_allowed(user) -> bool:
    """False when any Pemda the person works for has switched local passwords off. Superusers
    keep theirs: they are the way back in when a provider is down."""
    if user.is_superuser:
        return True
    pemda_ids = set(Membership.objects.filter(user=user).values_list("pemda_id", flat=True))
    return all(c.local_passwords for c in _settings_of_pemdas(pemda_ids))


def people_of(pemda):
    """The people with a role in the Pemda, with what the security page shows (constant queries)."""
    from allauth.mfa.models import Authenticator
    from django.db.models import Prefetch
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    from .models import SsoInvitation

    return (
        User.objects.filter(memberships__pemda=pemda)
        .distinct()
        .order_by("full_name", "username")
        .prefetch_related(
            Prefetch(
                "authenticator_set", queryset=Authenticator.objects.only("id", "type", "user_id")
            ),
            Prefetch("memberships", queryset=Membership.objects.filter(pemda=pemda)),
            Prefetch("sso_invitations", queryset=SsoInvitation.objects.filter(pemda=pemda)),
            Prefetch("auth_token", queryset=Token.objects.select_related("usage")),
            "socialaccount_set",
        )
    )
