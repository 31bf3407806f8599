"""django-allauth, fitted to the portal: nobody signs up, SSO apps come from the Pemda settings,
and an SSO identity reaches a person only by the portal's linking rule (services.find_person)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors, services

SESSION_PROVIDER = "signin.oidc_provider"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False  # people are added by an Admin Inspektorat, never by themselves

    def is_reauthentication_required(self, *, app, **kwargs):
        # The first factor is enrolled without asking for the password again: someone who signed in
        # by SSO has none to give, and enrolment is forced right after signing in anyway. Changing
        # or removing an existing factor still asks (for that factor's code, or the password).
        from .signals import has_factor

        request = context.request
        if app == "allauth.mfa" and request is not None and not has_factor(request.user):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def refusal(request, message, status=403):
    return render(request, "signin/sso_refused.html", {"message": message}, status=status)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        apps = []
        for config in selectors.oidc_providers():
            if provider not in (None, "openid_connect", config.provider_id):
                continue
            if client_id is not None and client_id != config.oidc_client_id:
                continue
            issuer = config.oidc_issuer.rstrip("/")
            apps.append(
                SocialApp(
                    provider="openid_connect",
                    provider_id=config.provider_id,
                    name=config.oidc_name or str(config.pemda),
                    client_id=config.oidc_client_id,
                    secret=config.oidc_client_secret,
                    settings={
                        "server_url": issuer,
                        # The ID token's "iss" must be the issuer configured here, not whatever the
                        # discovery document claims.
                        "openid_configuration_overrides": {"issuer": issuer},
                    },
                )
            )
        return apps

    def pre_social_login(self, request, sociallogin):
        provider_id = sociallogin.account.provider
        config = selectors.oidc_provider(provider_id)
        if config is None:
            raise ImmediateHttpResponse(refusal(request, _("SSO Pemda ini tidak aktif."), 404))
        claims = services.claims_of(sociallogin.account.extra_data)
        if sociallogin.is_existing:
            person = sociallogin.user
            if not person.is_active:
                raise ImmediateHttpResponse(refusal(request, _("Akun ini dinonaktifkan.")))
        else:
            try:
                person = services.find_person(config=config, claims=claims)
            except services.SsoRefused as refused:
                raise ImmediateHttpResponse(refusal(request, refused.message)) from None
            sociallogin.connect(request, person)
            services.mark_linked(user=person, pemda_id=config.pemda_id)
        # Remembered for sign-out (RP-initiated logout at this provider); survives login().
        request.session[SESSION_PROVIDER] = provider_id

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        raise ImmediateHttpResponse(
            render(request, "socialaccount/authentication_error.html", status=403)
        )
