from urllib.parse import urlencode

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts.admin_scope import admin_pemda_ids, scoped_users
from accounts.roles import role_map
from units.models import Pemda

from . import selectors, services
from .adapters import SESSION_PROVIDER
from .forms import LoginForm
from .signals import FACTOR_TYPES, SESSION_STATE

SESSION_ID_TOKEN = "signin.id_token"


class LoginView(auth_views.LoginView):
    """/masuk/: the portal's password form (django-axes throttles it as before), then allauth's
    login stages, so that a person with a second factor is asked for it; plus the SSO buttons."""

    form_class = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = selectors.oidc_providers()
        return context

    def form_valid(self, form):
        login = Login(user=form.get_user(), redirect_url=self.get_success_url())
        return perform_password_login(
            self.request, {"username": form.cleaned_data["username"]}, login
        )


@require_POST
def logout(request):
    """Ends the portal session and, after an SSO sign-in, the provider's (RP-initiated logout)
    when its discovery document names an end_session_endpoint."""
    provider_id = request.session.get(SESSION_PROVIDER)
    id_token = request.session.get(SESSION_ID_TOKEN)
    auth_logout(request)
    after = request.build_absolute_uri(reverse("login"))
    config = selectors.oidc_provider(provider_id) if provider_id else None
    if config is not None:
        end_session = _end_session_endpoint(request, config)
        if end_session:
            params = {"post_logout_redirect_uri": after, "client_id": config.oidc_client_id}
            if id_token:
                params["id_token_hint"] = id_token
            return redirect(f"{end_session}?{urlencode(params)}")
    return redirect("login")


def _end_session_endpoint(request, config) -> str | None:
    adapter = PortalOIDCAdapter(request, config.provider_id)
    try:
        return adapter.openid_config.get("end_session_endpoint")
    except Exception:  # noqa: BLE001 - a provider that is down must not keep anyone signed in here
        return None


class PortalOIDCAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, keeping the ID token for the sign-out's id_token_hint."""

    def complete_login(self, request, app, token, **kwargs):
        sociallogin = super().complete_login(request, app, token, **kwargs)
        id_token = kwargs["response"].get("id_token")
        if id_token:
            request.session[SESSION_ID_TOKEN] = id_token
        return sociallogin


def oidc_login(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(PortalOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def oidc_callback(request, provider_id):
    try:
        return OAuth2CallbackView.adapter_view(PortalOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
    except ImmediateHttpResponse as e:
        return e.response


def _token_of(user):
    return Token.objects.filter(user=user).select_related("usage").first()


@login_required
def security(request):
    """The person's own sign-in: second factors, API token (revocable), SSO link."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "revoke_token":
        if services.revoke_token(user=user, by=user):
            messages.success(request, _("Token API Anda dicabut; skrip yang memakainya ditolak."))
        return redirect("signin:security")
    factors = list(Authenticator.objects.filter(user=user).order_by("type", "created_at"))
    state = request.session.get(SESSION_STATE)
    if state and not state["enrolled"] and any(f.type in FACTOR_TYPES for f in factors):
        # Enrolled in another session meanwhile: the next page asks to sign in again with it.
        request.session[SESSION_STATE] = {**state, "enrolled": True}
    return render(
        request,
        "signin/security.html",
        {
            "factors": factors,
            "has_totp": any(f.type == Authenticator.Type.TOTP for f in factors),
            "has_recovery": any(f.type == Authenticator.Type.RECOVERY_CODES for f in factors),
            "required": selectors.second_factor_required(user),
            "token": _token_of(user),
            "social_accounts": list(user.socialaccount_set.all()),
            "resets": list(user.factor_resets.select_related("by")[:5]),
        },
    )


def _admin_pemda(request):
    pemdas = admin_pemda_ids(request.user)
    wanted = request.GET.get("pemda") or request.POST.get("pemda")
    if wanted and wanted.isdigit() and int(wanted) in pemdas:
        pemda = Pemda.objects.get(pk=int(wanted))
    elif pemdas:
        pemda = Pemda.objects.filter(pk__in=pemdas).order_by("name").first()
    else:
        raise PermissionDenied(_("Halaman ini hanya untuk Admin Inspektorat."))
    if not request.user.has_perm("signin.manage_signin", pemda):
        raise PermissionDenied(_("Halaman ini hanya untuk Admin Inspektorat."))
    return pemda


@login_required
def people(request):
    """An Admin Inspektorat's list of the Pemda's people: factors, SSO link, API token use."""
    pemda = _admin_pemda(request)
    return render(
        request,
        "signin/people.html",
        {
            "pemda": pemda,
            "config": selectors.signin_settings(pemda),
            "people": selectors.people_of(pemda),
            "manageable": set(
                scoped_users([pemda.pk])
                .filter(memberships__pemda=pemda)
                .values_list("pk", flat=True)
            ),
        },
    )


@login_required
@require_POST
def person_action(request, pk):
    # Someone with no role in any of the asker's Pemda is not confirmed to exist (404, as the API);
    # a colleague of the same Pemda is, and the page then refuses a non-admin with 403.
    if not request.user.is_superuser:
        get_object_or_404(
            get_user_model()
            .objects.filter(memberships__pemda_id__in=role_map(request.user).pemda_ids)
            .distinct(),
            pk=pk,
        )
    pemda = _admin_pemda(request)
    # Only people whose every role is in this admin's Pemda: another Pemda's colleague is not theirs.
    person = get_object_or_404(
        scoped_users([pemda.pk]).filter(memberships__pemda=pemda).distinct(), pk=pk
    )
    action = request.POST.get("action")
    name = person.display_name
    if action == "reset_factors":
        if services.reset_factors(user=person, by=request.user):
            messages.success(
                request, _("Faktor kedua %(name)s dihapus dan dicatat.") % {"name": name}
            )
        else:
            messages.info(request, _("%(name)s belum memasang faktor kedua.") % {"name": name})
    elif action == "revoke_token":
        if services.revoke_token(user=person, by=request.user):
            messages.success(request, _("Token API %(name)s dicabut.") % {"name": name})
    elif action == "invite_sso":
        services.invite_to_sso(user=person, pemda=pemda, by=request.user)
        messages.success(request, _("%(name)s boleh masuk dengan SSO.") % {"name": name})
    elif action == "withdraw_sso":
        services.withdraw_sso(user=person, pemda=pemda, by=request.user)
        messages.success(request, _("Tautan SSO %(name)s dicabut.") % {"name": name})
    else:
        messages.error(request, _("Tindakan tidak dikenal."))
    return redirect(f"{reverse('signin:people')}?{urlencode({'pemda': pemda.pk})}")
